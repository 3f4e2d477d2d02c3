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

    private int misunderstandings;
    private boolean disclosureUnheard;
    /** The offer sentences cut off by a barge-in, said again before a bare "yes" can confirm them. */
    private List<String> unheardOffer = List.of();
    private boolean lastTurnWasOpening;

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
            state.say("Is it still happening right now?");
            state.step = Step.CONFIRM_EMERGENCY;
        } else {
            state.say("How can I help?");
            state.step = Step.OPEN;
        }
        return state.finish();
    }

    /** One customer turn of typed text (or a test's line). */
    public AgentTurn onCustomerTurn(String text) {
        return onCustomerTurn(Heard.typed(text));
    }

    /** One customer turn, as the recogniser heard it. */
    public AgentTurn onCustomerTurn(Heard heardTurn) {
        String heardText = heardTurn.text();
        state.turn++;
        state.begin();
        boolean afterOpening = lastTurnWasOpening;
        lastTurnWasOpening = false;
        if (state.step == Step.ENDED || state.step == Step.TRANSFERRED) {
            if (state.step == Step.ENDED) state.endCall();
            return state.finish();
        }
        String heard = heardText == null ? "" : heardText.strip();
        state.customerWords.append(heard).append(' ');
        Utterance u = state.parser.parse(heard);
        state.knownServices.addAll(u.services());
        if (!u.services().isEmpty() && state.serviceTurn == null) state.serviceTurn = heard;
        if (disclosureUnheard) {
            state.say(state.business.recordingDisclosure() ? "Sorry, just so you know, I'm an AI assistant and this call is recorded."
                    : "Sorry, just so you know, I'm an AI assistant.");
            disclosureUnheard = false;
        }
        log.debug("call {} turn {} heard '{}' -> {} {} after opening={}", state.context.callId(), state.turn, heard, u.signals(), u.when(), afterOpening);
        respond(u, heard);
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
            case CONFIRM_SLOT, CONFIRM_CANCEL, CONFIRM_CALLBACK, CONFIRM_EMERGENCY, OFFER_TRANSFER, OFFER_OWNER_CALLBACK -> ExpectedAnswer.YES_NO;
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

    private void respond(Utterance u, String heard) {
        if (u.has(Signal.HUMAN_QUESTION)) {
            state.say("I'm an AI assistant for " + state.business.name() + ", calling about your text.");
            if (!actionable(u)) {
                if (!emergencies.reofferTransfer() && !reask()) {
                    state.say("I can book, move or cancel a visit, or take a message for the team.");
                }
                return;
            }
        }
        if (u.has(Signal.REPEAT) && !actionable(u)) {
            state.lastSentences.forEach(state::say);
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
        if (answersQuestion(u, heard)) return;
        general(u, heard);
    }

    /** The answer to the question just asked; false when the utterance is about something else. */
    private boolean answersQuestion(Utterance u, String heard) {
        return switch (state.step) {
            case CONFIRM_EMERGENCY -> emergencies.onConfirmEmergency(u);
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

    private boolean onAwaitDay(Utterance u) {
        if (u.when().isEmpty() && !u.has(Signal.FLEXIBLE)) return false;
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
            state.say("Sure. What else can I help with?");
            state.step = Step.OPEN;
        } else {
            return false;
        }
        return true;
    }

    /** Requests that do not depend on the question just asked. */
    private void general(Utterance u, String heard) {
        if (u.has(Signal.EMERGENCY) && !state.emergency) {
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
            unrelatedToTools(u, heard);
        }
    }

    /** A booking request, a goodbye, a thanks, or nothing understood. */
    private void unrelatedToTools(Utterance u, String heard) {
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
        } else {
            notUnderstood();
        }
    }

    private boolean actionable(Utterance u) {
        return u.hasAny(Signal.BOOK, Signal.RESCHEDULE, Signal.CANCEL, Signal.PRICE, Signal.MESSAGE, Signal.OWNER_CALLBACK,
                Signal.CALL_LATER, Signal.BUSY, Signal.EMERGENCY, Signal.TRANSFER_REQUEST) || !u.when().isEmpty();
    }

    private void notUnderstood() {
        misunderstandings++;
        if (misunderstandings == 1) {
            state.say("Sorry, I didn't quite catch that.");
            state.say("I can book, move or cancel a visit, or take a message for the team.");
            return;
        }
        state.say("Sorry, I'm having trouble understanding.");
        messages.takeMessage(state.customerWords.toString().strip(), "the agent could not understand the request", false);
    }

    /** Says the last question again; false when there was none. */
    private boolean reask() {
        for (int i = state.lastSentences.size() - 1; i >= 0; i--) {
            if (state.lastSentences.get(i).endsWith("?")) {
                state.say(state.lastSentences.get(i));
                return true;
            }
        }
        return false;
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
