package dev.ringback.agent.dialog;

import dev.ringback.agent.AgentTurn;
import dev.ringback.agent.CallbackContext;
import dev.ringback.agent.business.BusinessProfile;
import dev.ringback.agent.business.CustomerJob;
import dev.ringback.agent.business.SmsMessage;
import dev.ringback.agent.language.UtteranceParser;
import dev.ringback.agent.language.When;
import dev.ringback.agent.policy.PolicyGate;
import dev.ringback.agent.store.BusinessStore;
import dev.ringback.agent.tools.ToolCall;
import dev.ringback.agent.tools.ToolCallRecord;
import dev.ringback.agent.tools.ToolRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What one call's dialog knows, where it is, and the turn being built: shared by {@link DialogManager} and the
 * flows it delegates to ({@link BookingFlow}, {@link JobChangeFlow}, {@link MessageFlow}, {@link EmergencyFlow}).
 * One per call; not thread-safe.
 */
final class DialogState {
    private static final Logger log = LoggerFactory.getLogger(DialogState.class);

    /** The question the agent is waiting on. */
    enum Step {
        OPEN, CONFIRM_EMERGENCY, OFFER_TRANSFER, AWAIT_SERVICE, AWAIT_DAY, CONFIRM_SLOT, CHOOSE_ALTERNATIVE, CHOOSE_JOB,
        CONFIRM_CANCEL, OFFER_OWNER_CALLBACK, AWAIT_MESSAGE, AWAIT_CALLBACK_TIME, CONFIRM_CALLBACK, ANYTHING_ELSE, TRANSFERRED, ENDED,
        /** "is it an emergency?": only the recogniser heard one, the thread did not say so */
        CHECK_EMERGENCY
    }

    /** What a chosen slot or job is for. */
    enum Action { BOOK, RESCHEDULE, CANCEL }

    /** Steps in which a "yes" commits something. */
    static final Set<Step> CONFIRMING = Set.of(Step.CONFIRM_SLOT, Step.CONFIRM_CANCEL, Step.CONFIRM_CALLBACK,
            Step.OFFER_TRANSFER, Step.OFFER_OWNER_CALLBACK, Step.CHOOSE_ALTERNATIVE);

    final BusinessProfile business;
    final BusinessStore store;
    final CallbackContext context;
    final UtteranceParser parser;
    final Availability availability;
    /** The SMS time in the business's zone: the dialog's clock, never the wall clock. */
    final LocalDateTime now;
    final LocalDate today;
    final boolean afterHours;
    final Optional<Topic> topic;
    /** Everything the customer said or texted, for owner messages and the policy's scope check. */
    final StringBuilder customerWords = new StringBuilder();
    final Set<String> knownServices = new LinkedHashSet<>();
    /** Visit times the customer said no to in this call. */
    final Refusals refusals;
    /** What this call has done, in words, for a message to the owner ("Booked Thursday the third, ..."). */
    final List<String> handled = new ArrayList<>();
    private final ToolRunner tools;
    private final PolicyGate gate;

    Step step = Step.OPEN;
    Action action = Action.BOOK;
    int turn;
    Optional<String> firstName;
    List<CustomerJob> jobs = List.of();
    String serviceId;
    String jobId;
    When pendingWhen = When.NONE;
    boolean emergency;
    String emergencyService;
    /** The customer's own words that named the job, when the SMS did not. */
    String serviceTurn;
    String messageReason = "call back requested";
    List<String> lastSentences = List.of();
    /** The question the customer is answering: its sentences, to say again when the answer was not caught. */
    List<String> question = List.of();
    private boolean askedThisTurn;
    private Optional<String> outcome = Optional.empty();

    // the turn being built
    private List<PolicyGate.Sentence> out = new ArrayList<>();
    private List<ToolCallRecord> calls = new ArrayList<>();
    private boolean endCall;
    private Optional<String> transferTo = Optional.empty();

    DialogState(BusinessProfile business, BusinessStore store, CallbackContext context, LocalDateTime now,
                UtteranceParser parser, Optional<Topic> topic, ToolRunner tools, PolicyGate gate) {
        this.business = business;
        this.store = store;
        this.context = context;
        this.now = now;
        this.today = now.toLocalDate();
        this.afterHours = !business.isOpenAt(now);
        this.parser = parser;
        this.availability = new Availability(business, store, now);
        this.refusals = new Refusals(business);
        this.topic = topic;
        this.tools = tools;
        this.gate = gate;
        this.firstName = context.customerName().map(DialogState::firstWord);
    }

    Optional<String> outcome() {
        return outcome;
    }

    void outcome(String value) {
        outcome = Optional.of(value);
    }

    int blockedSentences() {
        return gate.blocked();
    }

    // --- the turn being built ---

    void begin() {
        out = new ArrayList<>();
        calls = new ArrayList<>();
        endCall = false;
        transferTo = Optional.empty();
        askedThisTurn = false;
    }

    void say(String text) {
        out.add(new PolicyGate.Sentence(text, Optional.empty()));
    }

    /** Says a question (with the sentences that make it, e.g. the time on offer) and remembers it for asking again. */
    void ask(String... sentences) {
        for (String sentence : sentences) say(sentence);
        question = List.of(sentences);
        askedThisTurn = true;
    }

    /** A sentence with a safe replacement for when the policy blocks it (it quotes the customer's text). */
    void say(String text, String fallback) {
        out.add(new PolicyGate.Sentence(text, Optional.of(fallback)));
    }

    void endCall() {
        endCall = true;
    }

    void transferTo(String number) {
        transferTo = Optional.of(number);
    }

    AgentTurn finish() {
        List<String> spoken = gate.pass(out, customerWords.toString(), knownServices);
        lastSentences = List.copyOf(spoken);
        // a question said without ask() stands alone; a turn without one ("take your time") leaves the last one standing
        if (!askedThisTurn && !spoken.isEmpty() && spoken.get(spoken.size() - 1).endsWith("?")) question = List.of(spoken.get(spoken.size() - 1));
        return new AgentTurn(spoken, calls, endCall, transferTo);
    }

    // --- shared moves ---

    void anythingElse() {
        ask("Is there anything else I can help with?");
        step = Step.ANYTHING_ELSE;
    }

    /** Says goodbye and ends the call; never in a turn that has just asked something (the question stands instead). */
    void close() {
        if (out.stream().anyMatch(s -> s.text().endsWith("?"))) {
            log.warn("call {}: not hanging up in a turn that asks a question", context.callId());
            return;
        }
        say("Thanks" + firstName.map(n -> ", " + n).orElse("") + ".");
        say("Bye for now.");
        if (outcome.isEmpty()) outcome("ended");
        endCall = true;
        step = Step.ENDED;
    }

    void offerHelp() {
        ask("I can book someone to come and take a look, or take a message for the team.", "What would you like to do?");
        step = Step.OPEN;
    }

    /** offer: what the team would do ("The owner can call you back about it."), asked as "Would you like that?". */
    void offerOwnerCallback(String offer, String reason) {
        ask(offer, "Would you like that?");
        messageReason = reason;
        step = Step.OFFER_OWNER_CALLBACK;
    }

    /** "Sorry, what?": the last turn again, its question still standing. */
    void repeatLastTurn() {
        lastSentences.forEach(this::say);
        askedThisTurn = true;
    }

    /** Says the standing question again (after "sorry, I didn't catch that"); false when there is none. */
    boolean askAgain() {
        if (question.isEmpty()) return false;
        ask(question.toArray(String[]::new));
        return true;
    }

    // --- tools ---

    /** Runs a tool; a refused argument is thrown for the flow to recover from, a store failure is spoken as one. */
    Optional<ToolCallRecord> use(ToolCall call) {
        try {
            ToolCallRecord rec = tools.run(turn, call);
            calls.add(rec);
            return Optional.of(rec);
        } catch (BusinessStore.StoreException e) {
            log.error("call {}: tool {} failed in the store", context.callId(), call.tool(), e);
            say("Sorry, something went wrong on my side.");
            say("The team will call you back.");
            step = Step.ANYTHING_ELSE;
            return Optional.empty();
        }
    }

    void refreshJobs() {
        jobs = store.jobs(context.customerPhone());
        for (CustomerJob j : jobs) knownServices.add(j.service());
    }

    List<String> inboundTexts() {
        return context.thread().stream().filter(m -> m.direction() == SmsMessage.Direction.INBOUND).map(SmsMessage::text).toList();
    }

    static String firstWord(String name) {
        String trimmed = name.strip();
        int space = trimmed.indexOf(' ');
        return space < 0 ? trimmed : trimmed.substring(0, space);
    }

    static String cut(String text, int max) {
        String t = text.strip();
        return t.length() <= max ? t : t.substring(0, max);
    }
}
