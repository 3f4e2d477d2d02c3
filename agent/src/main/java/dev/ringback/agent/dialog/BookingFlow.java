package dev.ringback.agent.dialog;

import dev.ringback.agent.business.ArrivalWindow;
import dev.ringback.agent.business.CatalogueService;
import dev.ringback.agent.dialog.DialogState.Action;
import dev.ringback.agent.dialog.DialogState.Step;
import dev.ringback.agent.language.DayPart;
import dev.ringback.agent.language.Signal;
import dev.ringback.agent.language.Utterance;
import dev.ringback.agent.language.When;
import dev.ringback.agent.tools.BookJobTime;
import dev.ringback.agent.tools.CreateJob;
import dev.ringback.agent.tools.RescheduleJobTime;
import dev.ringback.agent.tools.SuggestAlternativeTimes;
import dev.ringback.agent.tools.ToolArgumentException;
import dev.ringback.agent.tools.ToolCallRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Booking a new visit or moving a booked one to a free arrival window: ask the day, offer a slot, suggest others. */
final class BookingFlow {
    private static final Logger log = LoggerFactory.getLogger(BookingFlow.class);

    private final DialogState state;
    private Availability.Slot offered;
    private List<Availability.Slot> alternatives = List.of();
    private boolean closedNoticeGiven;

    BookingFlow(DialogState state) {
        this.state = state;
    }

    void start(When when, boolean flexible) {
        state.action = Action.BOOK;
        state.pendingWhen = when;
        if (state.serviceId == null) state.serviceId = state.topic.flatMap(Topic::serviceId).orElse(null);
        if (state.serviceId == null && state.emergencyService != null) state.serviceId = state.emergencyService;
        if (state.serviceId == null) {
            state.say("Sure.");
            state.ask("What's the job about?");
            state.step = Step.AWAIT_SERVICE;
            return;
        }
        if (when.isEmpty() && !flexible) {
            askDay();
            return;
        }
        planSlot(when);
    }

    void askDay() {
        if (state.afterHours && state.action == Action.BOOK && !closedNoticeGiven) {
            state.say("The office is closed right now, but I can still book a visit.");
            closedNoticeGiven = true;
        }
        state.ask(state.action == Action.RESCHEDULE ? "What day would suit you better?" : "What day would suit you?");
        state.step = Step.AWAIT_DAY;
    }

    /** Finds the first free window for the request, or says why not and suggests the nearest ones. */
    void planSlot(When when) {
        state.refusals.takeBackFor(when, Optional.empty());
        Availability.Plan plan = state.availability.plan(when, state.refusals::rulesOut);
        if (plan.slot().isPresent()) {
            offerSlot(plan.slot().get(), when.date().isPresent() && when.hasTimeOfDay());
            return;
        }
        LocalDate date = plan.date();
        String day = Spoken.date(date, state.today);
        switch (plan.refusal().orElseThrow()) {
            case DAY_PASSED -> {
                state.say("That day has already passed.");
                askDay();
                return;
            }
            case BEYOND_HORIZON -> {
                state.say("I can only book up to " + Spoken.number(state.business.horizonDays()) + " days ahead.");
                askDay();
                return;
            }
            case CLOSED -> state.say("Sorry, we're closed on " + Spoken.dayName(date.getDayOfWeek()) + "s.");
            case NO_SUCH_TIME -> state.say("Sorry, we don't have a visit at that time "
                    + (day.equals("today") || day.equals("tomorrow") ? day : "on " + day) + ".");
            case TOO_LATE -> state.say("Sorry, it's too late to get someone there " + (day.equals("today") ? "today" : "then") + ".");
            case FULL -> state.say("Sorry, " + day + " is fully booked" + (when.part() == DayPart.ANY ? "" : " in the " + partName(when.part())) + ".");
            case TURNED_DOWN -> state.say("Sorry, I've no other time free " + (day.equals("today") || day.equals("tomorrow") ? day : "on " + day)
                    + (when.part() == DayPart.ANY ? "" : " in the " + partName(when.part())) + ".");
        }
        suggest(date, when.part());
    }

    /**
     * The answer to "would you like me to book that?": a yes books it; a no, a time ruled out ("not today") or
     * another time ("no, the afternoon", "Thursday morning please") turns the offer down and plans again, never
     * offering a time already turned down; restating the time on offer is a yes.
     */
    boolean onConfirmSlot(Utterance u) {
        boolean refusesOffer = refusesOffer(u);
        if (refusesOffer || changesSlot(u)) {
            state.refusals.refuse(offered);
            state.refusals.refuse(u.refused(), Optional.of(offered.date()));
            When wanted = u.when();
            boolean partOfTheDayOnly = u.refused().hasTimeOfDay() && u.refused().date().map(offered.date()::equals).orElse(true);
            if (wanted.isEmpty() && partOfTheDayOnly) {
                // "not the morning": another time that day
                planSlot(When.NONE.withDate(offered.date()));
            } else if (wanted.isEmpty()) {
                state.say("No problem.");
                askDay();
            } else {
                // "no, the afternoon" is about the day on offer, unless that whole day was just ruled out
                boolean dayRuledOut = u.refused().date().filter(offered.date()::equals).isPresent() && !u.refused().hasTimeOfDay();
                planSlot(wanted.date().isPresent() || dayRuledOut ? wanted : wanted.withDate(offered.date()));
            }
            return true;
        }
        if (acceptsOffer(u)) {
            commitSlot();
            return true;
        }
        return false;
    }

    /** Whether this answer would book (or move) the visit on offer. */
    boolean acceptsOffer(Utterance u) {
        if (refusesOffer(u) || changesSlot(u)) return false;
        if (u.hasAny(Signal.YES, Signal.BOOK) || (state.action == Action.RESCHEDULE && u.has(Signal.RESCHEDULE))) return true;
        // "Thursday morning, please" to an offer of Thursday morning; not "hang on, Thursday?"
        return !u.when().isEmpty() && !u.hasAny(Signal.HOLD, Signal.REPEAT, Signal.HUMAN_QUESTION);
    }

    /** Whether this answer to "would either of those suit you?" would take one of them. */
    boolean acceptsAlternative(Utterance u) {
        if (u.has(Signal.NO) || !u.refused().isEmpty()) return false;
        return !u.when().isEmpty() || u.hasAny(Signal.YES, Signal.FLEXIBLE);
    }

    /** Whether the time the customer named is one of the times suggested. */
    boolean namesAnOffer(Utterance u) {
        if (u.when().isEmpty()) return false;
        return state.step == Step.CHOOSE_ALTERNATIVE && alternatives.stream().anyMatch(s -> covers(u.when(), s));
    }

    private boolean refusesOffer(Utterance u) {
        if (u.has(Signal.NO) && !u.has(Signal.YES)) return true;
        return !u.refused().isEmpty() && covers(u.refused(), offered);
    }

    /** Whether a time the customer named (or ruled out) includes that slot; a time without a day means the slot's day. */
    private boolean covers(When w, Availability.Slot slot) {
        if (w.date().isPresent() && !w.date().get().equals(slot.date())) return false;
        if (!w.hasTimeOfDay()) return true;
        return Availability.matching(state.business.windowsOn(slot.date()), w.part(), w.clock()).contains(slot.window());
    }

    /** The answer to "would either of those suit you?"; a no turns both down, a time ruled out the ones it covers. */
    boolean onChooseAlternative(Utterance u) {
        if (!u.refused().isEmpty()) {
            for (Availability.Slot s : alternatives) if (covers(u.refused(), s)) state.refusals.refuse(s);
            state.refusals.refuse(u.refused(), Optional.empty());
        }
        if (!u.when().isEmpty()) {
            chooseAlternative(u.when(), u.has(Signal.NO));
            return true;
        }
        List<Availability.Slot> left = alternatives.stream().filter(s -> !state.refusals.rulesOut(s)).toList();
        if (u.has(Signal.NO) || (!u.refused().isEmpty() && left.isEmpty())) {
            alternatives.forEach(state.refusals::refuse);
            state.say("No problem.");
            askDay();
            return true;
        }
        if (!u.refused().isEmpty()) {
            alternatives = left;
            offerSlot(left.get(0), false);
            return true;
        }
        if (u.has(Signal.YES) || u.has(Signal.FLEXIBLE)) {
            if (alternatives.size() == 1 || u.has(Signal.FLEXIBLE)) {
                offered = alternatives.get(0);
                commitSlot();
            } else {
                state.say("Which one suits you better?");
                state.ask(Spoken.capitalised(spoken(alternatives.get(0))) + ", or " + spoken(alternatives.get(1)) + "?");
            }
            return true;
        }
        return false;
    }

    /** A tool refused the argument: say so and ask again for what can fix it. */
    void recover(ToolArgumentException e) {
        log.info("call {}: recovering from {}", state.context.callId(), e.getMessage());
        switch (e.problem()) {
            case DATE_IN_PAST, BEYOND_HORIZON, CLOSED_THAT_DAY, UNKNOWN_WINDOW, JOB_ALREADY_BOOKED -> {
                state.say("Sorry, I can't book that time.");
                askDay();
            }
            case UNKNOWN_SERVICE -> {
                state.serviceId = null;
                state.say("Sorry, what's the job about?");
                state.step = Step.AWAIT_SERVICE;
            }
            default -> {
                state.say("Sorry, I couldn't do that from here.");
                state.offerOwnerCallback("I can pass a message to the team instead.", "the agent could not complete: " + e.problem().name().toLowerCase());
            }
        }
    }

    private static String partName(DayPart part) {
        return switch (part) {
            case MORNING, FIRST_THING -> "morning";
            case AFTERNOON, LATE -> "afternoon";
            case EVENING -> "evening";
            case ANY -> "";
        };
    }

    private String spoken(Availability.Slot slot) {
        return Spoken.slot(slot.date(), slot.window(), state.today);
    }

    private void offerSlot(Availability.Slot slot, boolean customerChose) {
        offered = slot;
        String spoken = spoken(slot);
        if (state.action == Action.RESCHEDULE) {
            state.ask("I can move it to " + spoken + ".", "Would you like me to do that?");
        } else if (customerChose) {
            state.ask("I can have someone there " + spoken + ".", "Would you like me to book that?");
        } else if (state.emergency && !state.afterHours) {
            state.ask("The earliest I can get someone there is " + spoken + ".", "Would you like me to book that?");
        } else {
            state.ask("The first free time is " + spoken + ".", "Would you like me to book that?");
        }
        state.step = Step.CONFIRM_SLOT;
    }

    /** The customer named a day or time that differs from the slot on offer. */
    private boolean changesSlot(Utterance u) {
        return !u.when().isEmpty() && !covers(u.when(), offered);
    }

    private void suggest(LocalDate around, DayPart part) {
        LocalDate clamped = around.isBefore(state.today) ? state.today : around;
        List<ArrivalWindow> windows = state.business.arrivalWindows();
        LocalTime lastStart = windows.get(windows.size() - 1).start();
        Optional<LocalTime> after = switch (part) {
            case AFTERNOON -> Optional.of(LocalTime.NOON);
            case LATE, EVENING -> Optional.of(lastStart);
            default -> Optional.empty();
        };
        Optional<LocalTime> before = part == DayPart.MORNING || part == DayPart.FIRST_THING ? Optional.of(LocalTime.NOON) : Optional.empty();
        // more options when some will be dropped as already turned down
        int wanted = state.refusals.isEmpty() ? 3 : 5;
        List<Availability.Slot> options = suggestions(new SuggestAlternativeTimes(clamped, after, before, wanted));
        if (options.isEmpty() && (after.isPresent() || before.isPresent())) {
            options = suggestions(new SuggestAlternativeTimes(clamped, Optional.empty(), Optional.empty(), wanted));
        }
        if (options.isEmpty()) {
            state.say("I can't find a free time near then.");
            state.offerOwnerCallback("I can ask the team to call you back to arrange a time.", "booking: no free arrival window near the requested day");
            return;
        }
        alternatives = options.subList(0, Math.min(2, options.size()));
        if (alternatives.size() == 1) {
            state.ask("The nearest free time is " + spoken(alternatives.get(0)) + ".", "Would that suit you?");
        } else {
            state.ask("The nearest free times are " + spoken(alternatives.get(0)) + ".", "Or " + spoken(alternatives.get(1)) + ".",
                    "Would either of those suit you?");
        }
        state.step = Step.CHOOSE_ALTERNATIVE;
    }

    private List<Availability.Slot> suggestions(SuggestAlternativeTimes call) {
        List<Availability.Slot> slots = new ArrayList<>();
        Optional<ToolCallRecord> rec;
        try {
            rec = state.use(call);
        } catch (ToolArgumentException e) {
            log.info("call {}: no suggestions: {}", state.context.callId(), e.getMessage());
            return slots;
        }
        if (rec.isEmpty()) return slots;
        Object options = rec.get().result().get("options");
        if (options instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m) {
                    Availability.Slot slot = new Availability.Slot(LocalDate.parse((String) m.get("date")),
                            new ArrivalWindow(LocalTime.parse((String) m.get("window_start")), LocalTime.parse((String) m.get("window_end"))));
                    if (!state.refusals.rulesOut(slot)) slots.add(slot);
                }
            }
        }
        return slots;
    }

    /** saidNo: "no, Thursday first thing" turns down the times offered that it does not name. */
    private void chooseAlternative(When when, boolean saidNo) {
        for (Availability.Slot s : alternatives) {
            if (state.refusals.rulesOut(s)) continue;
            boolean dateOk = when.date().map(d -> d.equals(s.date())).orElse(true);
            boolean timeOk = !Availability.matching(List.of(s.window()), when.part(), when.clock()).isEmpty()
                    || (when.part() == DayPart.FIRST_THING && state.business.windowsOn(s.date()).indexOf(s.window()) == 0);
            if (dateOk && timeOk && (when.date().isPresent() || when.hasTimeOfDay())) {
                if (saidNo) alternatives.stream().filter(other -> !other.equals(s)).forEach(state.refusals::refuse);
                offerSlot(s, true);
                return;
            }
        }
        if (saidNo) alternatives.forEach(state.refusals::refuse);
        planSlot(when);
    }

    private void commitSlot() {
        Availability.Slot slot = offered;
        String spoken = spoken(slot);
        if (state.refusals.rulesOut(slot)) {
            // the flows never offer a turned-down time; should one slip through, ask rather than book it
            log.warn("call {}: not booking {}, the customer turned it down", state.context.callId(), slot);
            askDay();
            return;
        }
        try {
            if (state.action == Action.RESCHEDULE) {
                Optional<ToolCallRecord> rec = state.use(new RescheduleJobTime(state.jobId, slot.date(), slot.window()));
                if (rec.isEmpty()) return;
                if (Boolean.TRUE.equals(rec.get().result().get("ok"))) {
                    state.outcome("rescheduled");
                    state.handled.add("Moved the visit to " + spoken + ".");
                    state.refreshJobs();
                    state.say("Done. Your visit is now " + spoken + ".");
                    state.anythingElse();
                } else {
                    state.say("Sorry, that time has just been taken.");
                    suggest(slot.date(), DayPart.ANY);
                }
                return;
            }
            if (state.jobId == null) {
                Optional<ToolCallRecord> created = state.use(new CreateJob(state.context.customerPhone(), state.serviceId, jobDescription()));
                if (created.isEmpty()) return;
                state.jobId = (String) created.get().result().get("job_id");
            }
            Optional<ToolCallRecord> rec = state.use(new BookJobTime(state.jobId, slot.date(), slot.window()));
            if (rec.isEmpty()) return;
            if (Boolean.TRUE.equals(rec.get().result().get("ok"))) {
                state.outcome("booked");
                state.handled.add("Booked a visit for " + spoken + ".");
                state.refreshJobs();
                state.say("You're booked in for " + spoken + ".");
                state.anythingElse();
            } else {
                state.say("Sorry, that time has just been taken.");
                suggest(slot.date(), DayPart.ANY);
            }
        } catch (ToolArgumentException e) {
            recover(e);
        }
    }

    /** The customer's latest text naming the service, else what they said on the call, else the catalogue name. */
    private String jobDescription() {
        List<String> inbound = state.inboundTexts();
        for (int i = inbound.size() - 1; i >= 0; i--) {
            if (state.parser.parse(inbound.get(i)).services().contains(state.serviceId)) return DialogState.cut(inbound.get(i), 500);
        }
        String fallback = state.serviceTurn != null ? state.serviceTurn
                : state.business.service(state.serviceId).map(CatalogueService::name).orElse(state.serviceId);
        return DialogState.cut(fallback, 500);
    }
}
