package dev.ringback.agent.dialog;

import dev.ringback.agent.AgentTurn;
import dev.ringback.agent.CallbackContext;
import dev.ringback.agent.ExpectedAnswer;
import dev.ringback.agent.Heard;
import dev.ringback.agent.business.BusinessProfile;
import dev.ringback.agent.business.CatalogueService;
import dev.ringback.agent.business.CustomerJob;
import dev.ringback.agent.business.SmsMessage;
import dev.ringback.agent.dialog.DialogState.Action;
import dev.ringback.agent.dialog.DialogState.Step;
import dev.ringback.agent.language.Signal;
import dev.ringback.agent.language.Utterance;
import dev.ringback.agent.language.UtteranceParser;
import dev.ringback.agent.language.When;
import dev.ringback.agent.policy.PolicyGate;
import dev.ringback.agent.policy.SentencePolicy;
import dev.ringback.agent.store.BusinessStore;
import dev.ringback.agent.tools.LookupCustomerHistory;
import dev.ringback.agent.tools.ToolArgumentException;
import dev.ringback.agent.tools.ToolCallRecord;
import dev.ringback.agent.tools.ToolContext;
import dev.ringback.agent.tools.ToolRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The deterministic voice agent for one call: continues the SMS conversation, books / moves / cancels visits,
 * takes messages, schedules call backs and transfers genuine after-hours emergencies. This class understands a
 * turn and routes it: to the answer of the question just asked, else to a request that stands on its own; the
 * flows ({@link BookingFlow}, {@link JobChangeFlow}, {@link MessageFlow}, {@link EmergencyFlow}) do the rest.
 * Every sentence passes the {@link SentencePolicy} before it leaves; the clock is the SMS time, never the wall clock.
 *
 * <p>Over real audio the recogniser mishears, so a turn is read with doubt: of the recogniser's readings the one
 * that answers the question is taken ({@link ReadingChooser}); an unsure reading never books, cancels or transfers
 * without the question asked again; an emergency only the recogniser heard is checked once ({@link UrgentCues});
 * times the customer turns down are never offered again ({@link Refusals}); what the SMS thread asked for is
 * carried into the call ({@link ThreadRequest}); nothing understood leads to the choices, then to the team.
 * One instance per call; not thread-safe.
 */
public final class DialogManager {
    private static final Logger log = LoggerFactory.getLogger(DialogManager.class);

    private final DialogState state;
    private final BookingFlow booking;
    private final JobChangeFlow jobChanges;
    private final MessageFlow messages;
    private final EmergencyFlow emergencies;
    private final boolean emergencyThread;
    private final ThreadRequest thread;
    private final UrgentCues cues;
    private final ReadingChooser readings;

    /** Turns in a row of which nothing was understood. */
    private int misses;
    /** "I can book a visit, move or cancel one, or take a message": offered once per call. */
    private boolean choicesOffered;
    private boolean disclosureUnheard;
    /** The offer sentences cut off by a barge-in, said again before a bare "yes" can confirm them. */
    private List<String> unheardOffer = List.of();
    private boolean lastTurnWasOpening;
    /** The question said again because its answer was unsure: a second answer to it stands. */
    private List<String> reaskedForDoubt = List.of();
    /** The turns that sounded urgent (normalised), and whether the one short question about it was asked. */
    private final Set<String> urgentTurns = new LinkedHashSet<>();
    private boolean emergencyChecked;
    private Utterance checkedCue;
    private Step stepBeforeCheck = Step.OPEN;

    public DialogManager(BusinessProfile business, BusinessStore store, CallbackContext context) {
        Objects.requireNonNull(business, "business");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(context, "context");
        LocalDateTime now = context.smsAt().withZoneSameInstant(business.timezone()).toLocalDateTime().truncatedTo(ChronoUnit.MINUTES);
        UtteranceParser parser = new UtteranceParser(business, now);
        List<String> inbound = context.thread().stream()
                .filter(m -> m.direction() == SmsMessage.Direction.INBOUND).map(SmsMessage::text).toList();
        Optional<Topic> topic = new TopicExtractor(business.services()).extract(inbound);
        this.state = new DialogState(business, store, context, now, parser, topic,
                new ToolRunner(store, new ToolContext(context.callId(), context.customerPhone(), now, business)),
                new PolicyGate(new SentencePolicy(business.services()), context.callId()));
        this.booking = new BookingFlow(state);
        this.jobChanges = new JobChangeFlow(state, booking);
        this.messages = new MessageFlow(state, booking);
        this.emergencies = new EmergencyFlow(state, booking, messages);
        boolean urgentWords = false;
        for (String text : inbound) {
            state.customerWords.append(text).append(' ');
            Utterance u = parser.parse(text);
            state.knownServices.addAll(u.services());
            urgentWords |= u.has(Signal.EMERGENCY);
        }
        this.emergencyThread = urgentWords;
        if (emergencyThread) {
            state.emergency = true;
            state.emergencyService = topic.flatMap(Topic::serviceId)
                    .filter(id -> business.service(id).map(CatalogueService::emergency).orElse(false)).orElse(null);
        }
        this.thread = ThreadRequest.of(inbound, parser);
        Optional<String> threadService = topic.flatMap(Topic::serviceId);
        boolean urgentTopic = threadService.flatMap(business::service).map(CatalogueService::emergency).orElse(false);
        this.cues = new UrgentCues(business, emergencyThread || urgentTopic);
        this.readings = new ReadingChooser(parser, cues, threadService);
    }

    /** The opening: who is calling (an AI), that the call is recorded, their text and its topic in their words. */
    public AgentTurn open() {
        state.begin();
        lastTurnWasOpening = true;
        lookUpCustomer();
        state.say("Hi" + state.firstName.map(n -> " " + n).orElse("") + ", this is the AI assistant for " + state.business.name() + ".");
        if (state.business.recordingDisclosure()) state.say("This call is recorded.");
        if (state.topic.isPresent()) {
            state.say("You texted us " + state.topic.get().mention() + ".", "I'm calling about your text message.");
        } else {
            state.say("I'm calling about your text message.");
        }
        if (emergencyThread) {
            state.ask("Is it still happening right now?");
            state.step = Step.CONFIRM_EMERGENCY;
        } else {
            state.ask("How can I help?");
            state.step = Step.OPEN;
        }
        return state.finish();
    }

    /** One customer turn of typed text (or a test's line). */
    public AgentTurn onCustomerTurn(String text) {
        return onCustomerTurn(Heard.typed(text));
    }

    /**
     * One customer turn, as the recogniser heard it. Of its readings the one that answers the question just asked
     * is taken; a reading the recogniser was unsure of never commits anything without asking again.
     */
    public AgentTurn onCustomerTurn(Heard heardTurn) {
        Objects.requireNonNull(heardTurn, "heardTurn");
        state.turn++;
        state.begin();
        boolean afterOpening = lastTurnWasOpening;
        lastTurnWasOpening = false;
        if (state.step == Step.ENDED || state.step == Step.TRANSFERRED) {
            if (state.step == Step.ENDED) state.endCall();
            return state.finish();
        }
        Reading reading = readings.choose(heardTurn, state.step, booking::namesAnOffer);
        String heard = reading.text();
        Utterance u = reading.utterance();
        state.customerWords.append(heard).append(' ');
        state.knownServices.addAll(u.services());
        if (!u.services().isEmpty() && state.serviceTurn == null) state.serviceTurn = heard;
        if (disclosureUnheard) {
            state.say(state.business.recordingDisclosure() ? "Sorry, just so you know, I'm an AI assistant and this call is recorded."
                    : "Sorry, just so you know, I'm an AI assistant.");
            disclosureUnheard = false;
        }
        log.debug("call {} turn {} heard '{}' (confidence {}, runner-up {}) -> {} {} refused {} after opening={}", state.context.callId(),
                state.turn, heard, reading.confidence(), reading.runnerUp(), u.signals(), u.when(), u.refused(), afterOpening);
        int missesBefore = misses;
        respond(reading);
        if (misses == missesBefore) misses = 0;
        return state.finish();
    }

    /** Barge-in: the customer heard only part of that sentence (and nothing after it). */
    public void onInterrupted(String sentence, double fractionHeard) {
        List<String> lastSentences = state.lastSentences;
        int index = lastSentences.indexOf(sentence);
        if (index < 0) return;
        int disclosures = state.business.recordingDisclosure() ? 2 : 1;
        boolean missed = index < disclosures - 1 || (index == disclosures - 1 && fractionHeard < 0.9);
        if (lastTurnWasOpening && missed) disclosureUnheard = true;
        // a bare "yes" must not confirm an offer the customer never heard to the end
        boolean questionMissed = index < lastSentences.size() - 1 || fractionHeard < 0.6;
        unheardOffer = questionMissed && DialogState.CONFIRMING.contains(state.step) ? lastSentences.subList(index, lastSentences.size()) : List.of();
        log.debug("call {} interrupted at sentence {} ({}% heard); disclosure unheard={}", state.context.callId(), index,
                Math.round(fractionHeard * 100), disclosureUnheard);
    }

    /** The kind of answer the last question waits for. */
    public ExpectedAnswer expectedAnswer() {
        return switch (state.step) {
            case CONFIRM_SLOT, CONFIRM_CANCEL, CONFIRM_CALLBACK, CONFIRM_EMERGENCY, CHECK_EMERGENCY, OFFER_TRANSFER, OFFER_OWNER_CALLBACK ->
                    ExpectedAnswer.YES_NO;
            case AWAIT_DAY, AWAIT_CALLBACK_TIME -> ExpectedAnswer.WHEN;
            case CHOOSE_ALTERNATIVE, CHOOSE_JOB -> ExpectedAnswer.CHOICE;
            case ANYTHING_ELSE -> ExpectedAnswer.ANYTHING_ELSE;
            default -> ExpectedAnswer.OPEN;
        };
    }

    /** Phrases the recogniser should expect next (a hint, not a grammar). */
    public List<String> expectedPhrases() {
        Set<String> phrases = new LinkedHashSet<>();
        switch (state.step) {
            case CONFIRM_SLOT, CONFIRM_CANCEL, CONFIRM_CALLBACK, CONFIRM_EMERGENCY, OFFER_TRANSFER, OFFER_OWNER_CALLBACK ->
                    phrases.addAll(List.of("yes", "no", "yes please", "no thanks", "that works", "sounds good", "put me through"));
            case CHECK_EMERGENCY -> phrases.addAll(List.of("yes", "no", "yes it's an emergency", "no it's not urgent", "no i said"));
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
        for (CatalogueService s : state.business.services()) phrases.addAll(s.synonyms());
        return List.copyOf(phrases);
    }

    /** "booked", "rescheduled", "cancelled", "message_taken", "callback_scheduled", "transferred" or "ended", once known. */
    public Optional<String> outcome() {
        return state.outcome();
    }

    /** How many sentences the policy blocked and replaced in this call. */
    public int blockedSentences() {
        return state.blockedSentences();
    }

    // --- understanding a turn ---

    private void respond(Reading reading) {
        Utterance u = reading.utterance();
        String heard = reading.text();
        if (u.has(Signal.HUMAN_QUESTION)) {
            state.say("I'm an AI assistant for " + state.business.name() + ", calling about your text.");
            if (!actionable(u)) {
                if (!emergencies.reofferTransfer() && !state.askAgain()) {
                    state.say("I can book, move or cancel a visit, or take a message for the team.");
                }
                return;
            }
        }
        if (u.has(Signal.REPEAT) && !actionable(u)) {
            state.repeatLastTurn();
            return;
        }
        if (u.has(Signal.HOLD) && !actionable(u) && !u.hasAny(Signal.YES, Signal.NO)) {
            state.say("Sure, take your time.");
            return;
        }
        List<String> missedOffer = unheardOffer;
        unheardOffer = List.of();
        if (!missedOffer.isEmpty() && u.has(Signal.YES) && !actionable(u) && !u.has(Signal.NO)) {
            state.say("Sorry, I'll say that again.");
            missedOffer.forEach(state::say);
            return;
        }
        if (RECORDS_REFUSALS.contains(state.step)) state.refusals.refuse(u.refused(), Optional.empty());
        if (askAgainBeforeCommitting(reading)) return;
        if (answersQuestion(reading)) return;
        general(u, heard, reading);
    }

    /** Where a time ruled out ("not today") is about a visit not yet on offer (offers record their own). */
    private static final Set<Step> RECORDS_REFUSALS = Set.of(Step.OPEN, Step.AWAIT_DAY, Step.AWAIT_SERVICE, Step.ANYTHING_ELSE, Step.CHECK_EMERGENCY);

    /**
     * A reading the recogniser was unsure of (low confidence, or a runner-up of its N-best) that would book,
     * cancel, transfer or leave a message is not acted on: the question is asked again, once; the answer to
     * the question asked again stands.
     */
    private boolean askAgainBeforeCommitting(Reading reading) {
        if (!reading.unsure()) return false;
        Utterance u = reading.utterance();
        boolean commits = switch (state.step) {
            case CONFIRM_SLOT -> booking.acceptsOffer(u);
            case CHOOSE_ALTERNATIVE -> booking.acceptsAlternative(u) && u.when().isEmpty();
            case CONFIRM_CANCEL -> u.hasAny(Signal.YES, Signal.CANCEL) && !u.has(Signal.NO);
            case OFFER_TRANSFER -> u.hasAny(Signal.YES, Signal.TRANSFER_REQUEST) && !u.has(Signal.NO);
            case CONFIRM_CALLBACK -> u.hasAny(Signal.YES, Signal.THANKS) && !u.has(Signal.NO) && u.when().isEmpty();
            case OFFER_OWNER_CALLBACK -> u.hasAny(Signal.YES, Signal.OWNER_CALLBACK, Signal.MESSAGE) && !u.has(Signal.NO)
                    && !u.hasAny(Signal.BOOK, Signal.RESCHEDULE, Signal.CANCEL, Signal.CALL_LATER, Signal.PRICE) && u.when().isEmpty();
            default -> u.has(Signal.TRANSFER_REQUEST) && emergencies.transferable();
        };
        if (!commits || state.question.isEmpty() || state.question.equals(reaskedForDoubt)) return false;
        log.info("call {}: unsure of '{}' (confidence {}, runner-up {}), asking again", state.context.callId(), reading.text(),
                reading.confidence(), reading.runnerUp());
        reaskedForDoubt = state.question;
        state.say("Sorry, I didn't quite catch that.");
        state.askAgain();
        return true;
    }

    /** The answer to the question just asked; false when the utterance is about something else. */
    private boolean answersQuestion(Reading reading) {
        Utterance u = reading.utterance();
        String heard = reading.text();
        return switch (state.step) {
            case OPEN -> carryOnTheThread(u);
            case CONFIRM_EMERGENCY -> emergencies.onConfirmEmergency(u);
            case CHECK_EMERGENCY -> onCheckEmergency(reading);
            case OFFER_TRANSFER -> emergencies.onOfferTransfer(u, heard);
            case CONFIRM_SLOT -> booking.onConfirmSlot(u);
            case CHOOSE_ALTERNATIVE -> booking.onChooseAlternative(u);
            case CHOOSE_JOB -> jobChanges.onChooseJob(u);
            case CONFIRM_CANCEL -> jobChanges.onConfirmCancel(u, heard);
            case OFFER_OWNER_CALLBACK -> messages.onOfferOwnerCallback(u, heard);
            case AWAIT_MESSAGE -> messages.onAwaitMessage(u, heard);
            case AWAIT_CALLBACK_TIME -> messages.onAwaitCallbackTime(u);
            case CONFIRM_CALLBACK -> messages.onConfirmCallback(u);
            case AWAIT_DAY -> onAwaitDay(u);
            case AWAIT_SERVICE -> onAwaitService(u, heard);
            case ANYTHING_ELSE -> onAnythingElse(u);
            default -> false;
        };
    }

    /**
     * Before anything else is done in the call, a "yes" to the opening, or an answer that only gives details
     * ("the Friday one", "Friday afternoon"), carries on what the SMS thread asked for.
     */
    private boolean carryOnTheThread(Utterance u) {
        if (state.outcome().isPresent()) return false;
        boolean ownRequest = u.hasAny(Signal.RESCHEDULE, Signal.CANCEL, Signal.PRICE, Signal.MESSAGE, Signal.OWNER_CALLBACK,
                Signal.CALL_LATER, Signal.BUSY, Signal.EMERGENCY, Signal.TRANSFER_REQUEST, Signal.DONE);
        if (ownRequest) return false;
        boolean visit = u.has(Signal.BOOK);
        boolean details = !u.when().isEmpty() || !u.services().isEmpty() || u.has(Signal.FLEXIBLE);
        boolean bareYes = u.has(Signal.YES) && !u.has(Signal.NO) && !visit && !details && u.refused().isEmpty();
        boolean detailsOnly = !visit && !u.has(Signal.NO) && details;
        switch (thread.kind(state.jobs)) {
            case CANCEL -> {
                if (!bareYes && !detailsOnly) return false;
                jobChanges.start(Action.CANCEL, detailsOnly ? u : thread.said());
                return true;
            }
            case CHANGE_BOOKING -> {
                // "can someone come Friday" about a booking the thread wants moved is the move, not a second job
                boolean sameJob = u.services().isEmpty() || state.jobs.stream().anyMatch(j -> j.isBooked() && u.services().contains(j.service()));
                if (!bareYes && !detailsOnly && !(visit && sameJob)) return false;
                jobChanges.start(Action.RESCHEDULE, u);
                return true;
            }
            case NEW_JOB -> {
                if (detailsOnly && u.has(Signal.FLEXIBLE) && u.when().isEmpty()) {
                    // "whenever suits": the first free time for the job the thread is about
                    booking.start(When.NONE, true);
                    return true;
                }
                if (!bareYes) return false;
                // a time in the thread counts only when it asks for a visit ("since this morning" does not)
                booking.start(thread.said().has(Signal.BOOK) ? thread.said().when() : When.NONE, false);
                return true;
            }
            case PRICE -> {
                if (!bareYes) return false;
                messages.refusePrice(thread.said(), thread.text());
                return true;
            }
            case MESSAGE -> {
                if (!bareYes) return false;
                messages.onMessageRequest(thread.said(), thread.text());
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /** The answer to "what day would suit you?"; a bare yes ("yes, that works") is taken as any day: the first free time is offered. */
    private boolean onAwaitDay(Utterance u) {
        boolean anyDay = u.has(Signal.FLEXIBLE) || (u.has(Signal.YES) && !u.has(Signal.NO) && !actionable(u) && u.services().isEmpty());
        if (u.when().isEmpty() && !anyDay) {
            if (u.refused().isEmpty()) return false;
            state.say("Okay.");
            booking.askDay();
            return true;
        }
        booking.planSlot(u.when());
        return true;
    }

    private boolean onAwaitService(Utterance u, String heard) {
        if (!u.services().isEmpty()) {
            state.serviceId = u.services().get(0);
            booking.start(u.when().isEmpty() ? state.pendingWhen : u.when(), u.has(Signal.FLEXIBLE));
            return true;
        }
        if (!actionable(u) && heard.split("\\s+").length > 2) {
            state.say("I can't book that in myself.");
            messages.takeMessage(heard, "job the agent could not match to the catalogue", false);
            return true;
        }
        return false;
    }

    private boolean onAnythingElse(Utterance u) {
        if (actionable(u)) return false;
        if (u.hasAny(Signal.NO, Signal.DONE, Signal.THANKS)) {
            state.close();
        } else if (u.has(Signal.YES)) {
            state.say("Sure.");
            state.ask("What else can I help with?");
            state.step = Step.OPEN;
        } else {
            return false;
        }
        return true;
    }

    /**
     * The answer to "is it an emergency?". The same words again leave it to the thread (the recogniser hears a
     * repeated line the same way); a no goes on with the rest of what was said; a yes, or the emergency said
     * clearly, takes the urgent path.
     */
    private boolean onCheckEmergency(Reading reading) {
        Utterance u = reading.utterance();
        Utterance cue = checkedCue;
        state.step = stepBeforeCheck;
        if (u.normalized().equals(cue.normalized())) {
            carryOnWithout(cue);
            return true;
        }
        if (u.has(Signal.EMERGENCY) && cues.clear(u) && !cues.unsure(reading)) {
            raiseEmergency(u, cue);
            return true;
        }
        if (u.hasAny(Signal.NO, Signal.NOT_URGENT)) {
            state.say("Okay.");
            Utterance rest = u.without(Signal.EMERGENCY);
            carryOnWithout(actionable(rest) || !rest.services().isEmpty() ? rest : cue);
            return true;
        }
        if (u.has(Signal.BOOK) || !u.when().isEmpty()) {
            carryOnWithout(u);
            return true;
        }
        if (u.hasAny(Signal.YES, Signal.EMERGENCY, Signal.TRANSFER_REQUEST)) {
            raiseEmergency(u, cue);
            return true;
        }
        state.step = Step.CHECK_EMERGENCY;
        return false;
    }

    /** The turn read as not urgent: what else it asks for, else an offer of what the agent can do. */
    private void carryOnWithout(Utterance u) {
        Utterance rest = u.without(Signal.EMERGENCY);
        if (actionable(rest) || !rest.services().isEmpty()) {
            general(rest, rest.normalized(), null);
        } else {
            state.offerHelp();
        }
    }

    private void raiseEmergency(Utterance answer, Utterance cue) {
        urgentTurns.add(answer.normalized());
        emergencies.raised(answer.services().isEmpty() && !answer.has(Signal.TRANSFER_REQUEST) ? cue : answer);
    }

    /** Requests that do not depend on the question just asked. */
    private void general(Utterance u, String heard, Reading reading) {
        if (u.has(Signal.EMERGENCY) && !state.emergency) {
            // a lone or misheard cue against the thread is checked once; said again in other words, it is believed
            boolean saidBefore = urgentTurns.stream().anyMatch(t -> !t.equals(u.normalized()));
            boolean aboutABooking = u.has(Signal.BOOK) || !u.when().isEmpty();
            boolean unsure = reading == null ? !cues.clear(u) : cues.unsure(reading);
            urgentTurns.add(u.normalized());
            if (unsure && (!saidBefore || aboutABooking)) {
                if (!emergencyChecked) {
                    checkEmergency(u);
                } else {
                    general(u.without(Signal.EMERGENCY), heard, null);
                }
                return;
            }
            emergencies.raised(u);
        } else if (u.has(Signal.CANCEL)) {
            jobChanges.start(Action.CANCEL, u);
        } else if (u.has(Signal.RESCHEDULE) && state.jobs.stream().anyMatch(CustomerJob::isBooked)) {
            jobChanges.start(Action.RESCHEDULE, u);
        } else if (u.hasAny(Signal.CALL_LATER, Signal.BUSY)) {
            messages.startCallback(u);
        } else if (u.has(Signal.PRICE)) {
            messages.refusePrice(u, heard);
        } else if (u.has(Signal.TRANSFER_REQUEST)) {
            emergencies.onTransferRequest();
        } else if (u.has(Signal.MESSAGE)) {
            messages.onMessageRequest(u, heard);
        } else if (u.has(Signal.OWNER_CALLBACK)) {
            messages.takeMessage(heard, "customer asked for a call back", false);
        } else {
            unrelatedToTools(u);
        }
    }

    private void checkEmergency(Utterance cue) {
        log.info("call {}: '{}' sounds urgent, the thread does not; asking", state.context.callId(), cue.normalized());
        emergencyChecked = true;
        checkedCue = cue;
        stepBeforeCheck = state.step;
        state.say("Sorry, I didn't quite catch that.");
        state.ask("Is it an emergency?");
        state.step = Step.CHECK_EMERGENCY;
    }

    /** A booking request, a goodbye, a thanks, or nothing understood. */
    private void unrelatedToTools(Utterance u) {
        boolean open = state.step == Step.OPEN || state.step == Step.CONFIRM_EMERGENCY;
        if (u.has(Signal.BOOK) || !u.when().isEmpty() || (open && !u.services().isEmpty() && !u.hasAny(Signal.DONE))) {
            state.action = Action.BOOK;
            if (!u.services().isEmpty() && state.jobId == null) state.serviceId = u.services().get(0);
            booking.start(u.when(), u.has(Signal.FLEXIBLE));
        } else if (u.hasAny(Signal.DONE, Signal.NO)) {
            state.close();
        } else if (u.has(Signal.YES) && open) {
            state.offerHelp();
        } else if (u.has(Signal.THANKS)) {
            state.anythingElse();
        } else if (!u.refused().isEmpty()) {
            state.say("Okay.");
            if (!state.askAgain()) booking.askDay();
        } else {
            notUnderstood();
        }
    }

    private boolean actionable(Utterance u) {
        return u.hasAny(Signal.BOOK, Signal.RESCHEDULE, Signal.CANCEL, Signal.PRICE, Signal.MESSAGE, Signal.OWNER_CALLBACK,
                Signal.CALL_LATER, Signal.BUSY, Signal.EMERGENCY, Signal.TRANSFER_REQUEST) || !u.when().isEmpty();
    }

    /**
     * Nothing understood: first the question again; twice in a row, the concrete choices (once a call); after
     * that the customer's text goes to the team and the call ends, unless the call already did what they asked.
     */
    private void notUnderstood() {
        misses++;
        if (misses == 1) {
            state.say("Sorry, I didn't quite catch that.");
            if (!state.askAgain()) state.ask("How can I help?");
            return;
        }
        state.say("Sorry, I'm having trouble understanding.");
        boolean handled = state.outcome().filter(o -> !o.equals("ended")).isPresent();
        if (!choicesOffered && !handled) {
            choicesOffered = true;
            state.ask("I can book a visit, move or cancel one, or take a message for the team.", "Which would you like?");
            state.step = Step.OPEN;
            return;
        }
        if (handled) {
            state.say("If there's anything else, just text us.");
            state.close();
            return;
        }
        messages.handOver(state.customerWords.toString().strip(), "the agent could not understand the request");
    }

    private void lookUpCustomer() {
        try {
            Optional<ToolCallRecord> rec = state.use(new LookupCustomerHistory(state.context.customerPhone()));
            rec.ifPresent(r -> {
                if (state.firstName.isEmpty() && r.result().get("name") instanceof String n && !n.isBlank()) {
                    state.firstName = Optional.of(DialogState.firstWord(n));
                }
            });
            state.refreshJobs();
        } catch (ToolArgumentException e) {
            log.warn("call {}: customer lookup refused: {}", state.context.callId(), e.getMessage());
        }
    }
}
