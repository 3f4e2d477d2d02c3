package dev.ringback.agent;

import dev.ringback.agent.dialog.Availability;
import dev.ringback.agent.dialog.CallbackTimes;
import dev.ringback.agent.dialog.Spoken;
import dev.ringback.agent.dialog.Topic;
import dev.ringback.agent.dialog.TopicExtractor;
import dev.ringback.agent.language.DayPart;
import dev.ringback.agent.language.Normalizer;
import dev.ringback.agent.language.Signal;
import dev.ringback.agent.language.Utterance;
import dev.ringback.agent.language.UtteranceParser;
import dev.ringback.agent.language.When;
import dev.ringback.agent.policy.PolicyGate;
import dev.ringback.agent.policy.SentencePolicy;
import dev.ringback.agent.tools.BookJobTime;
import dev.ringback.agent.tools.CancelJobBooking;
import dev.ringback.agent.tools.CreateJob;
import dev.ringback.agent.tools.CreateMessageForOwner;
import dev.ringback.agent.tools.LookupCustomerHistory;
import dev.ringback.agent.tools.RescheduleJobTime;
import dev.ringback.agent.tools.ScheduleCallback;
import dev.ringback.agent.tools.SuggestAlternativeTimes;
import dev.ringback.agent.tools.ToolArgumentException;
import dev.ringback.agent.tools.ToolCall;
import dev.ringback.agent.tools.ToolContext;
import dev.ringback.agent.tools.ToolRunner;
import dev.ringback.agent.tools.TransferToOncall;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The deterministic voice agent for one call: continues the SMS conversation, books / moves / cancels visits,
 * takes messages, schedules call backs and transfers genuine after-hours emergencies. Every sentence passes
 * the {@link SentencePolicy} before it leaves; the clock is the SMS time, never the wall clock.
 * One instance per call; not thread-safe.
 */
public final class DialogManager {
    private static final Logger log = LoggerFactory.getLogger(DialogManager.class);

    private enum State {
        OPEN, CONFIRM_EMERGENCY, OFFER_TRANSFER, AWAIT_SERVICE, AWAIT_DAY, CONFIRM_SLOT, CHOOSE_ALTERNATIVE, CHOOSE_JOB,
        CONFIRM_CANCEL, OFFER_OWNER_CALLBACK, AWAIT_MESSAGE, AWAIT_CALLBACK_TIME, CONFIRM_CALLBACK, ANYTHING_ELSE, TRANSFERRED, ENDED
    }

    private enum Action { BOOK, RESCHEDULE, CANCEL }

    /** States in which a "yes" commits something. */
    private static final Set<State> CONFIRMING = Set.of(State.CONFIRM_SLOT, State.CONFIRM_CANCEL, State.CONFIRM_CALLBACK,
            State.OFFER_TRANSFER, State.OFFER_OWNER_CALLBACK, State.CHOOSE_ALTERNATIVE);

    private final BusinessProfile business;
    private final BusinessStore store;
    private final CallbackContext context;
    private final ToolRunner tools;
    private final UtteranceParser parser;
    private final PolicyGate gate;
    private final Availability availability;
    private final LocalDateTime now;
    private final LocalDate today;
    private final boolean afterHours;
    private final Optional<Topic> topic;
    private final boolean emergencyThread;
    private final StringBuilder customerWords = new StringBuilder();
    private final Set<String> knownServices = new LinkedHashSet<>();

    private Optional<String> firstName;
    private List<CustomerJob> jobs = List.of();
    private State state = State.OPEN;
    private Action action = Action.BOOK;
    private int turn;
    private String serviceId;
    private String jobId;
    private Availability.Slot offered;
    private List<Availability.Slot> alternatives = List.of();
    private List<CustomerJob> jobChoices = List.of();
    private When pendingWhen = When.NONE;
    private LocalDateTime callbackAt;
    private boolean emergency;
    private String emergencyService;
    private String messageAbout = "general";
    /** The customer's own words that named the job, when the SMS did not. */
    private String serviceTurn;
    private String messageReason = "call back requested";
    private final List<String> priceWords = new ArrayList<>();
    private int priceRefusals;
    private int misunderstandings;
    private boolean closedNoticeGiven;
    private boolean disclosureUnheard;
    /** The offer sentences cut off by a barge-in, said again before a bare "yes" can confirm them. */
    private List<String> unheardOffer = List.of();
    private boolean lastTurnWasOpening;
    private Optional<String> outcome = Optional.empty();
    private List<String> lastSentences = List.of();

    // the turn being built
    private List<PolicyGate.Sentence> out = new ArrayList<>();
    private List<ToolCallRecord> calls = new ArrayList<>();
    private boolean endCall;
    private Optional<String> transferTo = Optional.empty();

    public DialogManager(BusinessProfile business, BusinessStore store, CallbackContext context) {
        this.business = Objects.requireNonNull(business, "business");
        this.store = Objects.requireNonNull(store, "store");
        this.context = Objects.requireNonNull(context, "context");
        this.now = context.smsAt().withZoneSameInstant(business.timezone()).toLocalDateTime().truncatedTo(ChronoUnit.MINUTES);
        this.today = now.toLocalDate();
        this.afterHours = !business.isOpenAt(now);
        this.tools = new ToolRunner(store, new ToolContext(context.callId(), context.customerPhone(), now, business));
        this.parser = new UtteranceParser(business, now);
        this.gate = new PolicyGate(new SentencePolicy(business.services()), context.callId());
        this.availability = new Availability(business, store, now);
        this.firstName = context.customerName().map(DialogManager::firstWord);
        List<String> inbound = context.thread().stream()
                .filter(m -> m.direction() == SmsMessage.Direction.INBOUND).map(SmsMessage::text).toList();
        this.topic = new TopicExtractor(business.services()).extract(inbound);
        boolean urgentWords = false;
        for (String text : inbound) {
            customerWords.append(text).append(' ');
            Utterance u = parser.parse(text);
            knownServices.addAll(u.services());
            urgentWords |= u.has(Signal.EMERGENCY);
        }
        this.emergencyThread = urgentWords;
        if (emergencyThread) {
            emergency = true;
            emergencyService = topic.flatMap(Topic::serviceId).filter(id -> business.service(id).map(CatalogueService::emergency).orElse(false))
                    .orElse(null);
        }
    }

    /** The opening: who is calling (an AI), that the call is recorded, their text and its topic in their words. */
    public AgentTurn open() {
        begin();
        lastTurnWasOpening = true;
        lookUpCustomer();
        say("Hi" + firstName.map(n -> " " + n).orElse("") + ", this is the AI assistant for " + business.name() + ".");
        if (business.recordingDisclosure()) say("This call is recorded.");
        if (topic.isPresent()) {
            say("You texted us " + topic.get().mention() + ".", "I'm calling about your text message.");
        } else {
            say("I'm calling about your text message.");
        }
        if (emergencyThread) {
            say("Is it still happening right now?");
            state = State.CONFIRM_EMERGENCY;
        } else {
            say("How can I help?");
            state = State.OPEN;
        }
        return finish();
    }

    /** One customer turn, as heard (recogniser output or typed text). */
    public AgentTurn onCustomerTurn(String heardText) {
        turn++;
        begin();
        boolean afterOpening = lastTurnWasOpening;
        lastTurnWasOpening = false;
        if (state == State.ENDED || state == State.TRANSFERRED) {
            endCall = state == State.ENDED;
            return finish();
        }
        String heard = heardText == null ? "" : heardText.strip();
        customerWords.append(heard).append(' ');
        Utterance u = parser.parse(heard);
        knownServices.addAll(u.services());
        if (!u.services().isEmpty() && serviceTurn == null) serviceTurn = heard;
        if (disclosureUnheard) {
            say(business.recordingDisclosure() ? "Sorry, just so you know, I'm an AI assistant and this call is recorded."
                    : "Sorry, just so you know, I'm an AI assistant.");
            disclosureUnheard = false;
        }
        log.debug("call {} turn {} heard '{}' -> {} {} after opening={}", context.callId(), turn, heard, u.signals(), u.when(), afterOpening);
        respond(u, heard);
        return finish();
    }

    /** Barge-in: the customer heard only part of that sentence (and nothing after it). */
    public void onInterrupted(String sentence, double fractionHeard) {
        int index = lastSentences.indexOf(sentence);
        if (index < 0) return;
        int disclosures = business.recordingDisclosure() ? 2 : 1;
        boolean missed = index < disclosures - 1 || (index == disclosures - 1 && fractionHeard < 0.9);
        if (lastTurnWasOpening && missed) disclosureUnheard = true;
        // a bare "yes" must not confirm an offer the customer never heard to the end
        boolean questionMissed = index < lastSentences.size() - 1 || fractionHeard < 0.6;
        unheardOffer = questionMissed && CONFIRMING.contains(state) ? lastSentences.subList(index, lastSentences.size()) : List.of();
        log.debug("call {} interrupted at sentence {} ({}% heard); disclosure unheard={}", context.callId(), index,
                Math.round(fractionHeard * 100), disclosureUnheard);
    }

    /** Phrases the recogniser should expect next (a hint, not a grammar). */
    public List<String> expectedPhrases() {
        Set<String> phrases = new LinkedHashSet<>();
        switch (state) {
            case CONFIRM_SLOT, CONFIRM_CANCEL, CONFIRM_CALLBACK, CONFIRM_EMERGENCY, OFFER_TRANSFER, OFFER_OWNER_CALLBACK ->
                    phrases.addAll(List.of("yes", "no", "yes please", "no thanks", "that works", "sounds good", "put me through"));
            case AWAIT_DAY, CHOOSE_ALTERNATIVE, CHOOSE_JOB -> {
                phrases.addAll(List.of("today", "tomorrow", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                        "morning", "afternoon", "first thing", "any time", "next week"));
            }
            case AWAIT_CALLBACK_TIME -> phrases.addAll(List.of("in an hour", "at three", "this afternoon", "tomorrow morning", "later today"));
            case ANYTHING_ELSE -> phrases.addAll(List.of("no that's all", "that's it thanks", "no thanks bye", "yes"));
            default -> phrases.addAll(List.of("book", "come out", "reschedule", "move it", "cancel", "how much", "leave a message",
                    "call me back later", "emergency"));
        }
        phrases.addAll(List.of("cancel", "emergency", "am i talking to a person", "that's all"));
        for (CatalogueService s : business.services()) phrases.addAll(s.synonyms());
        return List.copyOf(phrases);
    }

    /** "booked", "rescheduled", "cancelled", "message_taken", "callback_scheduled", "transferred" or "ended", once known. */
    public Optional<String> outcome() {
        return outcome;
    }

    /** How many sentences the policy blocked and replaced in this call. */
    public int blockedSentences() {
        return gate.blocked();
    }

    // --- understanding a turn ---

    private void respond(Utterance u, String heard) {
        if (u.has(Signal.HUMAN_QUESTION)) {
            say("I'm an AI assistant for " + business.name() + ", calling about your text.");
            if (!actionable(u)) {
                if (state == State.OFFER_TRANSFER || (emergency && afterHours && state == State.CONFIRM_EMERGENCY)) {
                    offerTransfer();
                } else if (!reask()) {
                    say("I can book, move or cancel a visit, or take a message for the team.");
                }
                return;
            }
        }
        if (u.has(Signal.REPEAT) && !actionable(u)) {
            lastSentences.forEach(this::say);
            return;
        }
        if (u.has(Signal.HOLD) && !actionable(u) && !u.hasAny(Signal.YES, Signal.NO)) {
            say("Sure, take your time.");
            return;
        }
        List<String> missedOffer = unheardOffer;
        unheardOffer = List.of();
        if (!missedOffer.isEmpty() && u.has(Signal.YES) && !actionable(u) && !u.has(Signal.NO)) {
            say("Sorry, I'll say that again.");
            missedOffer.forEach(this::say);
            return;
        }
        if (inState(u, heard)) return;
        general(u, heard);
    }

    /** The answer to the question just asked; false when the utterance is about something else. */
    private boolean inState(Utterance u, String heard) {
        switch (state) {
            case CONFIRM_EMERGENCY -> {
                if (u.hasAny(Signal.NO, Signal.NOT_URGENT) && !u.has(Signal.EMERGENCY)) {
                    emergency = false;
                    say("Okay, good to hear.");
                    offerHelp();
                    return true;
                }
                if (u.hasAny(Signal.YES, Signal.EMERGENCY, Signal.TRANSFER_REQUEST)) {
                    emergencyConfirmed(u);
                    return true;
                }
            }
            case OFFER_TRANSFER -> {
                if (u.hasAny(Signal.YES, Signal.TRANSFER_REQUEST) && !u.has(Signal.NO)) {
                    transfer();
                    return true;
                }
                if (u.has(Signal.NO)) {
                    takeMessage(heard, "urgent: after-hours emergency, customer did not want the on-call transfer", true);
                    return true;
                }
            }
            case CONFIRM_SLOT -> {
                if (changesSlot(u)) {
                    When w = u.when().date().isPresent() ? u.when() : u.when().withDate(offered.date());
                    planSlot(w);
                    return true;
                }
                if (u.has(Signal.NO) && !u.has(Signal.YES)) {
                    say("No problem.");
                    askDay();
                    return true;
                }
                if (u.hasAny(Signal.YES, Signal.BOOK) || (action == Action.RESCHEDULE && u.has(Signal.RESCHEDULE))) {
                    commitSlot();
                    return true;
                }
            }
            case CHOOSE_ALTERNATIVE -> {
                if (!u.when().isEmpty()) {
                    chooseAlternative(u.when());
                    return true;
                }
                if (u.has(Signal.YES) || u.has(Signal.FLEXIBLE)) {
                    if (alternatives.size() == 1 || u.has(Signal.FLEXIBLE)) {
                        offered = alternatives.get(0);
                        commitSlot();
                    } else {
                        say("Which one suits you better?");
                        say(Spoken.capitalised(Spoken.slot(alternatives.get(0).date(), alternatives.get(0).window(), today))
                                + ", or " + Spoken.slot(alternatives.get(1).date(), alternatives.get(1).window(), today) + "?");
                    }
                    return true;
                }
                if (u.has(Signal.NO)) {
                    say("No problem.");
                    askDay();
                    return true;
                }
            }
            case CHOOSE_JOB -> {
                Optional<CustomerJob> job = pickJob(u, jobChoices);
                if (job.isPresent()) {
                    continueWithJob(job.get(), pendingWhen);
                    return true;
                }
            }
            case CONFIRM_CANCEL -> {
                if (u.has(Signal.NO) && !u.has(Signal.CANCEL)) {
                    say("Okay, I'll leave it booked.");
                    anythingElse();
                    return true;
                }
                if (u.hasAny(Signal.YES, Signal.CANCEL)) {
                    commitCancel(heard);
                    return true;
                }
            }
            case OFFER_OWNER_CALLBACK -> {
                if (u.has(Signal.PRICE)) {
                    refusePrice(u, heard);
                    return true;
                }
                // "fine, just book someone for Thursday" answers with a new request, not a yes
                if (u.hasAny(Signal.BOOK, Signal.RESCHEDULE, Signal.CANCEL, Signal.CALL_LATER) || !u.when().isEmpty()) return false;
                if (u.hasAny(Signal.YES, Signal.OWNER_CALLBACK, Signal.MESSAGE) && !u.has(Signal.NO)) {
                    takeMessage(priceWords.isEmpty() ? customerWords.toString() : "Price question: " + String.join(" ", priceWords), messageReason, false);
                    return true;
                }
                if (u.has(Signal.NO)) {
                    say("No problem.");
                    anythingElse();
                    return true;
                }
            }
            case AWAIT_MESSAGE -> {
                if (!u.hasAny(Signal.NO, Signal.DONE) || heard.split("\\s+").length > 4) {
                    takeMessage(heard, messageReason, false);
                    return true;
                }
            }
            case AWAIT_CALLBACK_TIME -> {
                Optional<LocalDateTime> at = callbackTime(u.when());
                if (at.isPresent()) {
                    confirmCallback(at.get());
                    return true;
                }
            }
            case CONFIRM_CALLBACK -> {
                Optional<LocalDateTime> at = callbackTime(u.when());
                if (at.isPresent() && !at.get().equals(callbackAt)) {
                    confirmCallback(at.get());
                    return true;
                }
                if (u.has(Signal.NO) && !u.has(Signal.YES)) {
                    say("What time would suit you better?");
                    state = State.AWAIT_CALLBACK_TIME;
                    return true;
                }
                if (u.hasAny(Signal.YES, Signal.THANKS) || at.isPresent()) {
                    commitCallback();
                    return true;
                }
            }
            case AWAIT_DAY -> {
                if (!u.when().isEmpty() || u.has(Signal.FLEXIBLE)) {
                    planSlot(u.when());
                    return true;
                }
            }
            case AWAIT_SERVICE -> {
                if (!u.services().isEmpty()) {
                    serviceId = u.services().get(0);
                    startBooking(u.when().isEmpty() ? pendingWhen : u.when(), u.has(Signal.FLEXIBLE));
                    return true;
                }
                if (!actionable(u) && heard.split("\\s+").length > 2) {
                    say("I can't book that in myself.");
                    takeMessage(heard, "job the agent could not match to the catalogue", false);
                    return true;
                }
            }
            case ANYTHING_ELSE -> {
                if (!actionable(u)) {
                    if (u.hasAny(Signal.NO, Signal.DONE, Signal.THANKS)) {
                        close();
                    } else if (u.has(Signal.YES)) {
                        say("Sure. What else can I help with?");
                        state = State.OPEN;
                    } else {
                        return false;
                    }
                    return true;
                }
            }
            default -> {
                return false;
            }
        }
        return false;
    }

    /** Requests that do not depend on the question just asked. */
    private void general(Utterance u, String heard) {
        if (u.has(Signal.EMERGENCY) && !emergency) {
            emergency = true;
            emergencyService = u.services().stream().filter(id -> business.service(id).map(CatalogueService::emergency).orElse(false))
                    .findFirst().orElse(null);
            emergencyConfirmed(u);
            return;
        }
        if (u.has(Signal.CANCEL)) {
            startJobAction(Action.CANCEL, u);
            return;
        }
        if (u.has(Signal.RESCHEDULE) && jobs.stream().anyMatch(CustomerJob::isBooked)) {
            startJobAction(Action.RESCHEDULE, u);
            return;
        }
        if (u.hasAny(Signal.CALL_LATER, Signal.BUSY)) {
            startCallback(u);
            return;
        }
        if (u.has(Signal.PRICE)) {
            refusePrice(u, heard);
            return;
        }
        if (u.has(Signal.TRANSFER_REQUEST)) {
            if (emergency && afterHours) {
                transfer();
            } else {
                say("I can't put you through right now, but someone from the team can call you back.");
                say("Would you like that?");
                messageReason = "customer asked to speak to a person";
                state = State.OFFER_OWNER_CALLBACK;
            }
            return;
        }
        if (u.has(Signal.MESSAGE)) {
            if (heard.split("\\s+").length <= 6 && !u.normalized().matches(".*\\b(invoice|receipt|bill|warranty|landlord|insurance)\\b.*")) {
                say("Sure. What would you like me to pass on?");
                messageReason = "message from customer";
                state = State.AWAIT_MESSAGE;
            } else {
                takeMessage(heard, reasonFor(u), false);
            }
            return;
        }
        if (u.has(Signal.OWNER_CALLBACK)) {
            takeMessage(heard, "customer asked for a call back", false);
            return;
        }
        boolean open = state == State.OPEN || state == State.CONFIRM_EMERGENCY;
        if (u.has(Signal.BOOK) || !u.when().isEmpty() || (open && !u.services().isEmpty() && !u.hasAny(Signal.DONE))) {
            action = Action.BOOK;
            if (!u.services().isEmpty() && jobId == null) serviceId = u.services().get(0);
            startBooking(u.when(), u.has(Signal.FLEXIBLE));
            return;
        }
        if (u.hasAny(Signal.DONE, Signal.NO)) {
            close();
            return;
        }
        if (u.has(Signal.YES) && open) {
            offerHelp();
            return;
        }
        if (u.has(Signal.THANKS)) {
            anythingElse();
            return;
        }
        notUnderstood(heard);
    }

    private boolean actionable(Utterance u) {
        return u.hasAny(Signal.BOOK, Signal.RESCHEDULE, Signal.CANCEL, Signal.PRICE, Signal.MESSAGE, Signal.OWNER_CALLBACK,
                Signal.CALL_LATER, Signal.BUSY, Signal.EMERGENCY, Signal.TRANSFER_REQUEST) || !u.when().isEmpty();
    }

    private void notUnderstood(String heard) {
        misunderstandings++;
        if (misunderstandings == 1) {
            say("Sorry, I didn't quite catch that.");
            say("I can book, move or cancel a visit, or take a message for the team.");
            return;
        }
        say("Sorry, I'm having trouble understanding.");
        takeMessage(customerWords.toString().strip(), "the agent could not understand the request", false);
    }

    private void offerHelp() {
        say("I can book someone to come and take a look, or take a message for the team.");
        say("What would you like to do?");
        state = State.OPEN;
    }

    /** Says the last question again; false when there was none. */
    private boolean reask() {
        for (int i = lastSentences.size() - 1; i >= 0; i--) {
            if (lastSentences.get(i).endsWith("?")) {
                say(lastSentences.get(i));
                return true;
            }
        }
        return false;
    }

    // --- booking and rescheduling ---

    private void startBooking(When when, boolean flexible) {
        action = Action.BOOK;
        pendingWhen = when;
        if (serviceId == null) serviceId = topic.flatMap(Topic::serviceId).orElse(null);
        if (serviceId == null && emergencyService != null) serviceId = emergencyService;
        if (serviceId == null) {
            say("Sure. What's the job about?");
            state = State.AWAIT_SERVICE;
            return;
        }
        if (when.isEmpty() && !flexible) {
            askDay();
            return;
        }
        planSlot(when);
    }

    private void askDay() {
        if (afterHours && action == Action.BOOK && !closedNoticeGiven) {
            say("The office is closed right now, but I can still book a visit.");
            closedNoticeGiven = true;
        }
        say(action == Action.RESCHEDULE ? "What day would suit you better?" : "What day would suit you?");
        state = State.AWAIT_DAY;
    }

    /** Finds the first free window for the request, or says why not and suggests the nearest ones. */
    private void planSlot(When when) {
        Availability.Plan plan = availability.plan(when);
        if (plan.slot().isPresent()) {
            offerSlot(plan.slot().get(), when.date().isPresent() && when.hasTimeOfDay());
            return;
        }
        LocalDate date = plan.date();
        String day = Spoken.date(date, today);
        switch (plan.refusal().orElseThrow()) {
            case DAY_PASSED -> {
                say("That day has already passed.");
                askDay();
                return;
            }
            case BEYOND_HORIZON -> {
                say("I can only book up to " + Spoken.number(business.horizonDays()) + " days ahead.");
                askDay();
                return;
            }
            case CLOSED -> say("Sorry, we're closed on " + Spoken.dayName(date.getDayOfWeek()) + "s.");
            case NO_SUCH_TIME -> say("Sorry, we don't have a visit at that time " + (day.equals("today") || day.equals("tomorrow") ? day : "on " + day) + ".");
            case TOO_LATE -> say("Sorry, it's too late to get someone there " + (day.equals("today") ? "today" : "then") + ".");
            case FULL -> say("Sorry, " + day + " is fully booked" + (when.part() == DayPart.ANY ? "" : " in the " + partName(when.part())) + ".");
        }
        suggest(date, when.part());
    }

    private static String partName(DayPart part) {
        return switch (part) {
            case MORNING, FIRST_THING -> "morning";
            case AFTERNOON, LATE -> "afternoon";
            case EVENING -> "evening";
            case ANY -> "";
        };
    }

    private void offerSlot(Availability.Slot slot, boolean customerChose) {
        offered = slot;
        String spoken = Spoken.slot(slot.date(), slot.window(), today);
        if (action == Action.RESCHEDULE) {
            say("I can move it to " + spoken + ".");
            say("Would you like me to do that?");
        } else if (customerChose) {
            say("I can have someone there " + spoken + ".");
            say("Would you like me to book that?");
        } else if (emergency && !afterHours) {
            say("The earliest I can get someone there is " + spoken + ".");
            say("Would you like me to book that?");
        } else {
            say("The first free time is " + spoken + ".");
            say("Would you like me to book that?");
        }
        state = State.CONFIRM_SLOT;
    }

    /** The customer named a day or time that differs from the slot on offer. */
    private boolean changesSlot(Utterance u) {
        When w = u.when();
        if (w.isEmpty()) return false;
        if (w.date().isPresent() && !w.date().get().equals(offered.date())) return true;
        if (w.clock().isPresent() && !offered.window().contains(w.clock().get())) return true;
        return switch (w.part()) {
            case MORNING -> !offered.window().start().isBefore(LocalTime.NOON);
            case AFTERNOON, LATE, EVENING -> offered.window().start().isBefore(LocalTime.NOON);
            default -> false;
        };
    }

    private void suggest(LocalDate around, DayPart part) {
        LocalDate clamped = around.isBefore(today) ? today : around;
        LocalTime lastStart = business.arrivalWindows().get(business.arrivalWindows().size() - 1).start();
        Optional<LocalTime> after = switch (part) {
            case AFTERNOON -> Optional.of(LocalTime.NOON);
            case LATE, EVENING -> Optional.of(lastStart);
            default -> Optional.empty();
        };
        Optional<LocalTime> before = part == DayPart.MORNING || part == DayPart.FIRST_THING ? Optional.of(LocalTime.NOON) : Optional.empty();
        List<Availability.Slot> options = suggestions(new SuggestAlternativeTimes(clamped, after, before, 3));
        if (options.isEmpty() && (after.isPresent() || before.isPresent())) {
            options = suggestions(new SuggestAlternativeTimes(clamped, Optional.empty(), Optional.empty(), 3));
        }
        if (options.isEmpty()) {
            say("I can't find a free time near then.");
            say("I can ask the team to call you back to arrange a time.");
            say("Would you like that?");
            messageReason = "booking: no free arrival window near the requested day";
            state = State.OFFER_OWNER_CALLBACK;
            return;
        }
        alternatives = options.subList(0, Math.min(2, options.size()));
        if (alternatives.size() == 1) {
            say("The nearest free time is " + Spoken.slot(alternatives.get(0).date(), alternatives.get(0).window(), today) + ".");
            say("Would that suit you?");
        } else {
            say("The nearest free times are " + Spoken.slot(alternatives.get(0).date(), alternatives.get(0).window(), today) + ".");
            say("Or " + Spoken.slot(alternatives.get(1).date(), alternatives.get(1).window(), today) + ".");
            say("Would either of those suit you?");
        }
        state = State.CHOOSE_ALTERNATIVE;
    }

    private List<Availability.Slot> suggestions(SuggestAlternativeTimes call) {
        List<Availability.Slot> slots = new ArrayList<>();
        Optional<ToolCallRecord> rec;
        try {
            rec = use(call);
        } catch (ToolArgumentException e) {
            log.info("call {}: no suggestions: {}", context.callId(), e.getMessage());
            return slots;
        }
        if (rec.isEmpty()) return slots;
        Object options = rec.get().result().get("options");
        if (options instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m) {
                    slots.add(new Availability.Slot(LocalDate.parse((String) m.get("date")),
                            new ArrivalWindow(LocalTime.parse((String) m.get("window_start")), LocalTime.parse((String) m.get("window_end")))));
                }
            }
        }
        return slots;
    }

    private void chooseAlternative(When when) {
        for (Availability.Slot s : alternatives) {
            boolean dateOk = when.date().map(d -> d.equals(s.date())).orElse(true);
            boolean timeOk = !Availability.matching(List.of(s.window()), when.part(), when.clock()).isEmpty()
                    || (when.part() == DayPart.FIRST_THING && business.windowsOn(s.date()).indexOf(s.window()) == 0);
            if (dateOk && timeOk && (when.date().isPresent() || when.hasTimeOfDay())) {
                offerSlot(s, true);
                return;
            }
        }
        planSlot(when);
    }

    private void commitSlot() {
        Availability.Slot slot = offered;
        String spoken = Spoken.slot(slot.date(), slot.window(), today);
        try {
            if (action == Action.RESCHEDULE) {
                Optional<ToolCallRecord> rec = use(new RescheduleJobTime(jobId, slot.date(), slot.window()));
                if (rec.isEmpty()) return;
                if (Boolean.TRUE.equals(rec.get().result().get("ok"))) {
                    outcome("rescheduled");
                    refreshJobs();
                    say("Done. Your visit is now " + spoken + ".");
                    anythingElse();
                } else {
                    say("Sorry, that time has just been taken.");
                    suggest(slot.date(), DayPart.ANY);
                }
                return;
            }
            if (jobId == null) {
                Optional<ToolCallRecord> created = use(new CreateJob(context.customerPhone(), serviceId, jobDescription()));
                if (created.isEmpty()) return;
                jobId = (String) created.get().result().get("job_id");
            }
            Optional<ToolCallRecord> rec = use(new BookJobTime(jobId, slot.date(), slot.window()));
            if (rec.isEmpty()) return;
            if (Boolean.TRUE.equals(rec.get().result().get("ok"))) {
                outcome("booked");
                refreshJobs();
                say("You're booked in for " + spoken + ".");
                anythingElse();
            } else {
                say("Sorry, that time has just been taken.");
                suggest(slot.date(), DayPart.ANY);
            }
        } catch (ToolArgumentException e) {
            recover(e);
        }
    }

    private Optional<String> latestInbound() {
        List<SmsMessage> inbound = context.thread().stream().filter(m -> m.direction() == SmsMessage.Direction.INBOUND).toList();
        return inbound.isEmpty() ? Optional.empty() : Optional.of(inbound.get(inbound.size() - 1).text());
    }

    private String jobDescription() {
        List<SmsMessage> inbound = context.thread().stream().filter(m -> m.direction() == SmsMessage.Direction.INBOUND).toList();
        for (int i = inbound.size() - 1; i >= 0; i--) {
            if (parser.parse(inbound.get(i).text()).services().contains(serviceId)) return cut(inbound.get(i).text(), 500);
        }
        return cut(serviceTurn != null ? serviceTurn : business.service(serviceId).map(CatalogueService::name).orElse(serviceId), 500);
    }

    // --- existing jobs: cancel and reschedule ---

    private void startJobAction(Action wanted, Utterance u) {
        List<CustomerJob> candidates = jobs.stream().filter(j -> wanted == Action.CANCEL
                ? j.status() == CustomerJob.Status.BOOKED || j.status() == CustomerJob.Status.OPEN
                : j.isBooked()).toList();
        if (candidates.isEmpty()) {
            if (wanted == Action.RESCHEDULE) {
                startBooking(u.when(), u.has(Signal.FLEXIBLE));
                return;
            }
            say("I can't find a booking to cancel.");
            say("I can pass a message to the team instead.");
            say("Would you like that?");
            messageReason = "customer wants to cancel but no booking was found";
            state = State.OFFER_OWNER_CALLBACK;
            return;
        }
        action = wanted;
        pendingWhen = u.when();
        Optional<CustomerJob> job = pickJob(u, candidates);
        if (job.isEmpty()) {
            jobChoices = candidates;
            say("Which booking do you mean?");
            List<String> described = candidates.stream().limit(3).map(this::describeShort).toList();
            say("Is it " + String.join(", or ", described) + "?");
            state = State.CHOOSE_JOB;
            return;
        }
        continueWithJob(job.get(), u.when());
    }

    private void continueWithJob(CustomerJob job, When when) {
        jobId = job.id();
        serviceId = job.service();
        if (action == Action.CANCEL) {
            say("Just to confirm, you'd like to cancel " + describe(job) + "?");
            state = State.CONFIRM_CANCEL;
            return;
        }
        boolean newTime = !when.isEmpty() && !(when.date().isPresent() && when.date().equals(job.date()) && !when.hasTimeOfDay());
        if (newTime) {
            planSlot(when);
        } else {
            askDay();
        }
    }

    /** The job the customer means: the only one, or the one whose day or service they named. */
    private Optional<CustomerJob> pickJob(Utterance u, List<CustomerJob> candidates) {
        if (candidates.size() == 1) return Optional.of(candidates.get(0));
        if (u.when().date().isPresent()) {
            List<CustomerJob> onDay = candidates.stream().filter(j -> j.date().equals(u.when().date())).toList();
            if (onDay.size() == 1) return Optional.of(onDay.get(0));
        }
        for (String s : u.services()) {
            List<CustomerJob> ofService = candidates.stream().filter(j -> j.service().equals(s)).toList();
            if (ofService.size() == 1) return Optional.of(ofService.get(0));
        }
        return Optional.empty();
    }

    private String describe(CustomerJob job) {
        String what = "the " + serviceWords(job.service()) + " job";
        if (job.isBooked()) what += " on " + Spoken.slot(job.date().get(), job.window().get(), today);
        return what;
    }

    /** "the drain job on Friday the fourth": enough to tell bookings apart in one breath. */
    private String describeShort(CustomerJob job) {
        String what = "the " + serviceWords(job.service()) + " job";
        return job.isBooked() ? what + " on " + Spoken.date(job.date().get(), today) : what;
    }

    /** How the customer called that service, else the catalogue's name for it. */
    private String serviceWords(String id) {
        String said = Normalizer.normalize(customerWords.toString());
        Optional<CatalogueService> service = business.service(id);
        if (service.isEmpty()) return id;
        for (String synonym : service.get().synonyms()) {
            if ((" " + said + " ").contains(" " + Normalizer.normalize(synonym) + " ")) return synonym;
        }
        return service.get().name();
    }

    private void commitCancel(String heard) {
        try {
            Optional<ToolCallRecord> rec = use(new CancelJobBooking(jobId, cut("Customer asked to cancel: " + heard, 500)));
            if (rec.isEmpty()) return;
            outcome("cancelled");
            refreshJobs();
            say("That's cancelled.");
            anythingElse();
        } catch (ToolArgumentException e) {
            recover(e);
        }
    }

    // --- price questions, messages, call backs ---

    private void refusePrice(Utterance u, String heard) {
        priceRefusals++;
        priceWords.add(heard);
        messageAbout = u.services().stream().findFirst().or(() -> topic.flatMap(Topic::serviceId)).orElse("general");
        messageReason = "price question, please call back";
        if (priceRefusals == 1) {
            say("I'm not able to give prices over the phone.");
            say("The owner can call you back to talk it through.");
        } else {
            say("Sorry, I can't give a figure, even a rough one.");
            say("The owner can call you back about it.");
        }
        say("Would you like that?");
        state = State.OFFER_OWNER_CALLBACK;
    }

    private String reasonFor(Utterance u) {
        String t = u.normalized();
        if (t.matches(".*\\b(invoice|receipt|bill)\\b.*")) return "invoice request";
        if (t.matches(".*\\b(warranty|complaint|complain)\\b.*")) return "warranty or complaint";
        return "message from customer";
    }

    private void takeMessage(String text, String reason, boolean urgent) {
        String about = messageAbout;
        if ("general".equals(about)) {
            about = jobs.stream().filter(j -> j.status() == CustomerJob.Status.DONE || j.isBooked()).map(CustomerJob::service)
                    .filter(knownServices::contains).findFirst()
                    .or(() -> topic.flatMap(Topic::serviceId)).orElse("general");
        }
        try {
            Optional<ToolCallRecord> rec = use(new CreateMessageForOwner(context.customerPhone(), about, cut(text, 2000), cut(reason, 200)));
            if (rec.isEmpty()) return;
            if (outcome.isEmpty() || outcome.get().equals("ended")) outcome("message_taken");
            if (urgent) {
                say("Okay. I've left an urgent message for the team.");
            } else {
                say("Thanks. I've passed that on to the team.");
            }
            say("Someone will get back to you.");
            anythingElse();
        } catch (ToolArgumentException e) {
            recover(e);
        }
    }

    private void startCallback(Utterance u) {
        Optional<LocalDateTime> at = callbackTime(u.when());
        if (at.isEmpty()) {
            say(u.has(Signal.BUSY) ? "No problem." : "Sure.");
            say("What time would suit you for a call back?");
            state = State.AWAIT_CALLBACK_TIME;
            return;
        }
        confirmCallback(at.get());
    }

    private Optional<LocalDateTime> callbackTime(When when) {
        return CallbackTimes.resolve(when, now);
    }

    private void confirmCallback(LocalDateTime at) {
        callbackAt = at;
        say("Sure. We'll call you back " + spokenMoment(at) + ".");
        say("Is that right?");
        state = State.CONFIRM_CALLBACK;
    }

    private String spokenMoment(LocalDateTime at) {
        return Spoken.date(at.toLocalDate(), today) + " at " + Spoken.time(at.toLocalTime());
    }

    private void commitCallback() {
        String note = "Customer asked for a call back. Their text: " + latestInbound().orElse("(none)");
        try {
            Optional<ToolCallRecord> rec = use(new ScheduleCallback(context.customerPhone(), callbackAt, cut(note, 500)));
            if (rec.isEmpty()) return;
            outcome("callback_scheduled");
            say("Done. We'll call you " + spokenMoment(callbackAt) + ".");
            close();
        } catch (ToolArgumentException e) {
            say("Sorry, I can't book a call back for then.");
            say("What other time would suit you?");
            state = State.AWAIT_CALLBACK_TIME;
        }
    }

    // --- emergencies ---

    private void emergencyConfirmed(Utterance u) {
        emergency = true;
        if (emergencyService == null) {
            emergencyService = u.services().stream().filter(id -> business.service(id).map(CatalogueService::emergency).orElse(false))
                    .findFirst().orElse(null);
        }
        if (afterHours) {
            if (u.has(Signal.TRANSFER_REQUEST)) {
                transfer();
                return;
            }
            say("That sounds urgent.");
            offerTransfer();
            return;
        }
        // in business hours the team handles it: the earliest visit, no on-call transfer
        say("That sounds urgent.");
        if (emergencyService == null || !emergencyService.equals("gas")) say("If you can, turn off the water at the mains.");
        action = Action.BOOK;
        if (serviceId == null) serviceId = emergencyService != null ? emergencyService : topic.flatMap(Topic::serviceId).orElse(null);
        if (serviceId == null) {
            takeMessage(customerWords.toString().strip(), "urgent: emergency during business hours", true);
            return;
        }
        planSlot(When.NONE.withDate(availability.earliestDayFor(DayPart.ANY, Optional.empty())));
    }

    private void offerTransfer() {
        List<OnCallPerson> roster = store.onCallRoster();
        Optional<OnCallPerson> person = roster.isEmpty() ? business.onCall().stream().findFirst() : Optional.of(roster.get(0));
        if (person.isEmpty()) {
            takeMessage(customerWords.toString().strip(), "urgent: after-hours emergency, nobody on call", true);
            return;
        }
        say(person.get().firstName() + ", our on-call plumber, can help you right now.");
        say("Would you like me to put you through?");
        state = State.OFFER_TRANSFER;
    }

    private void transfer() {
        String what = Optional.ofNullable(emergencyService).flatMap(business::service).map(CatalogueService::name).orElse("emergency");
        String reason = cut(what + " after hours. Customer said: " + customerWords.toString().strip(), 500);
        try {
            Optional<ToolCallRecord> rec = use(new TransferToOncall(context.customerPhone(), reason));
            if (rec.isEmpty()) return;
            String to = (String) rec.get().result().get("transfer_to");
            String name = firstWord(String.valueOf(rec.get().result().getOrDefault("name", "the on-call plumber")));
            transferTo = Optional.of(to);
            outcome("transferred");
            say("Putting you through to " + name + " now.");
            state = State.TRANSFERRED;
        } catch (ToolArgumentException e) {
            recover(e);
        }
    }

    // --- closing ---

    private void anythingElse() {
        say("Is there anything else I can help with?");
        state = State.ANYTHING_ELSE;
    }

    private void close() {
        say("Thanks" + firstName.map(n -> ", " + n).orElse("") + ".");
        say("Bye for now.");
        if (outcome.isEmpty()) outcome("ended");
        endCall = true;
        state = State.ENDED;
    }

    // --- tools ---

    private void lookUpCustomer() {
        try {
            Optional<ToolCallRecord> rec = use(new LookupCustomerHistory(context.customerPhone()));
            rec.ifPresent(r -> {
                if (firstName.isEmpty() && r.result().get("name") instanceof String n && !n.isBlank()) firstName = Optional.of(firstWord(n));
            });
            refreshJobs();
        } catch (ToolArgumentException e) {
            log.warn("call {}: customer lookup refused: {}", context.callId(), e.getMessage());
        }
    }

    private void refreshJobs() {
        jobs = store.jobs(context.customerPhone());
        for (CustomerJob j : jobs) knownServices.add(j.service());
    }

    /** Runs a tool; a refused argument becomes the caller's to recover from, a store failure is spoken as one. */
    private Optional<ToolCallRecord> use(ToolCall call) {
        try {
            ToolCallRecord rec = tools.run(turn, call);
            calls.add(rec);
            return Optional.of(rec);
        } catch (BusinessStore.StoreException e) {
            log.error("call {}: tool {} failed in the store", context.callId(), call.tool(), e);
            say("Sorry, something went wrong on my side.");
            say("The team will call you back.");
            state = State.ANYTHING_ELSE;
            return Optional.empty();
        }
    }

    private void recover(ToolArgumentException e) {
        log.info("call {}: recovering from {}", context.callId(), e.getMessage());
        switch (e.problem()) {
            case DATE_IN_PAST, BEYOND_HORIZON, CLOSED_THAT_DAY, UNKNOWN_WINDOW, JOB_ALREADY_BOOKED -> {
                say("Sorry, I can't book that time.");
                askDay();
            }
            case UNKNOWN_SERVICE -> {
                serviceId = null;
                say("Sorry, what's the job about?");
                state = State.AWAIT_SERVICE;
            }
            default -> {
                say("Sorry, I couldn't do that from here.");
                say("I can pass a message to the team instead.");
                say("Would you like that?");
                messageReason = "the agent could not complete: " + e.problem().name().toLowerCase();
                state = State.OFFER_OWNER_CALLBACK;
            }
        }
    }

    private void outcome(String value) {
        outcome = Optional.of(value);
    }

    // --- speaking through the policy ---

    private void begin() {
        out = new ArrayList<>();
        calls = new ArrayList<>();
        endCall = false;
        transferTo = Optional.empty();
    }

    private void say(String text) {
        out.add(new PolicyGate.Sentence(text, Optional.empty()));
    }

    private void say(String text, String fallback) {
        out.add(new PolicyGate.Sentence(text, Optional.of(fallback)));
    }

    private AgentTurn finish() {
        List<String> spoken = gate.pass(out, customerWords.toString(), knownServices);
        lastSentences = List.copyOf(spoken);
        return new AgentTurn(spoken, calls, endCall, transferTo);
    }

    private static String firstWord(String name) {
        String trimmed = name.strip();
        int space = trimmed.indexOf(' ');
        return space < 0 ? trimmed : trimmed.substring(0, space);
    }

    private static String cut(String text, int max) {
        String t = text.strip();
        return t.length() <= max ? t : t.substring(0, max);
    }
}
