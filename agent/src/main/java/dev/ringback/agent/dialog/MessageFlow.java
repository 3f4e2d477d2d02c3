package dev.ringback.agent.dialog;

import dev.ringback.agent.business.CustomerJob;
import dev.ringback.agent.dialog.DialogState.Step;
import dev.ringback.agent.language.Signal;
import dev.ringback.agent.language.Utterance;
import dev.ringback.agent.language.When;
import dev.ringback.agent.tools.CreateMessageForOwner;
import dev.ringback.agent.tools.ScheduleCallback;
import dev.ringback.agent.tools.ToolArgumentException;
import dev.ringback.agent.tools.ToolCallRecord;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What the agent hands to a human: messages for the owner (prices included, never quoted) and call backs. */
final class MessageFlow {
    private final DialogState state;
    private final BookingFlow booking;
    private final List<String> priceWords = new ArrayList<>();
    private int priceRefusals;
    private String messageAbout = "general";
    private LocalDateTime callbackAt;
    private boolean messageTaken;

    MessageFlow(DialogState state, BookingFlow booking) {
        this.state = state;
        this.booking = booking;
    }

    /** Never a figure: the owner calls back with a real one. */
    void refusePrice(Utterance u, String heard) {
        priceRefusals++;
        priceWords.add(heard);
        messageAbout = u.services().stream().findFirst().or(() -> state.topic.flatMap(Topic::serviceId)).orElse("general");
        if (messageTaken) {
            state.say(priceRefusals == 1 ? "I'm not able to give prices over the phone." : "Sorry, I can't give a figure, even a rough one.");
            alreadyPassedOn();
            return;
        }
        if (priceRefusals == 1) {
            state.say("I'm not able to give prices over the phone.");
            state.offerOwnerCallback("The owner can call you back to talk it through.", "price question, please call back");
        } else {
            state.say("Sorry, I can't give a figure, even a rough one.");
            state.offerOwnerCallback("The owner can call you back about it.", "price question, please call back");
        }
    }

    /** "Leave a message": ask what to pass on, unless they already said it. */
    void onMessageRequest(Utterance u, String heard) {
        if (heard.split("\\s+").length <= 6 && !u.normalized().matches(".*\\b(invoice|receipt|bill|warranty|landlord|insurance)\\b.*")) {
            state.say("Sure. What would you like me to pass on?");
            state.messageReason = "message from customer";
            state.step = Step.AWAIT_MESSAGE;
        } else {
            takeMessage(heard, reasonFor(u), false);
        }
    }

    /**
     * Leaves the call's one message for the owner (an urgent one always goes through); the text says what the call
     * already handled, so the owner does not redo it.
     */
    void takeMessage(String text, String reason, boolean urgent) {
        if (leaveMessage(text, reason, urgent)) {
            state.say(urgent ? "Okay. I've left an urgent message for the team." : "Thanks. I've passed that on to the team.");
            state.say("Someone will get back to you.");
            state.anythingElse();
        }
    }

    /** Nothing the customer said could be understood: their text goes to the team, and the call ends there. */
    void handOver(String text, String reason) {
        if (leaveMessage(text, reason, false)) {
            state.say("I'll pass your text on to the team, and someone will call you back.");
            state.close();
        }
    }

    /** False when it said something else instead (a message already left, a tool refusal). */
    private boolean leaveMessage(String text, String reason, boolean urgent) {
        if (messageTaken && !urgent) {
            alreadyPassedOn();
            return false;
        }
        String about = messageAbout;
        if ("general".equals(about)) {
            about = state.jobs.stream().filter(j -> j.status() == CustomerJob.Status.DONE || j.isBooked()).map(CustomerJob::service)
                    .filter(state.knownServices::contains).findFirst()
                    .or(() -> state.topic.flatMap(Topic::serviceId)).orElse("general");
        }
        String body = state.handled.isEmpty() ? text.strip() : text.strip() + " Already done on this call: " + String.join(" ", state.handled);
        try {
            Optional<ToolCallRecord> rec = state.use(new CreateMessageForOwner(state.context.customerPhone(), about,
                    DialogState.cut(body, 2000), DialogState.cut(reason, 200)));
            if (rec.isEmpty()) return false;
            messageTaken = true;
            if (state.outcome().isEmpty() || state.outcome().get().equals("ended")) state.outcome("message_taken");
            return true;
        } catch (ToolArgumentException e) {
            booking.recover(e);
            return false;
        }
    }

    /** One message per call: the team calls back about the first, and the customer can raise the rest then. */
    private void alreadyPassedOn() {
        state.say("I've already left a message for the team, so they'll call you back and you can raise that with them too.");
        state.anythingElse();
    }

    /** The answer to "would you like the owner to call you back?"; false for a new request instead of a yes or no. */
    boolean onOfferOwnerCallback(Utterance u, String heard) {
        if (u.has(Signal.PRICE)) {
            refusePrice(u, heard);
            return true;
        }
        // "fine, just book someone for Thursday" answers with a new request, not a yes
        if (u.hasAny(Signal.BOOK, Signal.RESCHEDULE, Signal.CANCEL, Signal.CALL_LATER) || !u.when().isEmpty()) return false;
        if (u.hasAny(Signal.YES, Signal.OWNER_CALLBACK, Signal.MESSAGE) && !u.has(Signal.NO)) {
            takeMessage(priceWords.isEmpty() ? state.customerWords.toString() : "Price question: " + String.join(" ", priceWords),
                    state.messageReason, false);
            return true;
        }
        if (u.has(Signal.NO)) {
            state.say("No problem.");
            state.anythingElse();
            return true;
        }
        return false;
    }

    /** The answer to "what would you like me to pass on?". */
    boolean onAwaitMessage(Utterance u, String heard) {
        if (u.hasAny(Signal.NO, Signal.DONE) && heard.split("\\s+").length <= 4) return false;
        takeMessage(heard, state.messageReason, false);
        return true;
    }

    void startCallback(Utterance u) {
        Optional<LocalDateTime> at = callbackTime(u.when());
        if (at.isEmpty()) {
            state.say(u.has(Signal.BUSY) ? "No problem." : "Sure.");
            state.say("What time would suit you for a call back?");
            state.step = Step.AWAIT_CALLBACK_TIME;
            return;
        }
        confirmCallback(at.get());
    }

    /** The answer to "what time would suit you for a call back?". */
    boolean onAwaitCallbackTime(Utterance u) {
        Optional<LocalDateTime> at = callbackTime(u.when());
        at.ifPresent(this::confirmCallback);
        return at.isPresent();
    }

    /** The answer to "we'll call you back at ... — is that right?". */
    boolean onConfirmCallback(Utterance u) {
        Optional<LocalDateTime> at = callbackTime(u.when());
        if (at.isPresent() && !at.get().equals(callbackAt)) {
            confirmCallback(at.get());
            return true;
        }
        if (u.has(Signal.NO) && !u.has(Signal.YES)) {
            state.say("What time would suit you better?");
            state.step = Step.AWAIT_CALLBACK_TIME;
            return true;
        }
        if (u.hasAny(Signal.YES, Signal.THANKS) || at.isPresent()) {
            commitCallback();
            return true;
        }
        return false;
    }

    private String reasonFor(Utterance u) {
        String t = u.normalized();
        if (t.matches(".*\\b(invoice|receipt|bill)\\b.*")) return "invoice request";
        if (t.matches(".*\\b(warranty|complaint|complain)\\b.*")) return "warranty or complaint";
        return "message from customer";
    }

    private Optional<LocalDateTime> callbackTime(When when) {
        return CallbackTimes.resolve(when, state.now);
    }

    private void confirmCallback(LocalDateTime at) {
        callbackAt = at;
        state.say("Sure.");
        state.ask("We'll call you back " + spokenMoment(at) + ".", "Is that right?");
        state.step = Step.CONFIRM_CALLBACK;
    }

    private String spokenMoment(LocalDateTime at) {
        return Spoken.date(at.toLocalDate(), state.today) + " at " + Spoken.time(at.toLocalTime());
    }

    private void commitCallback() {
        List<String> inbound = state.inboundTexts();
        String note = "Customer asked for a call back. Their text: " + (inbound.isEmpty() ? "(none)" : inbound.get(inbound.size() - 1));
        try {
            Optional<ToolCallRecord> rec = state.use(new ScheduleCallback(state.context.customerPhone(), callbackAt, DialogState.cut(note, 500)));
            if (rec.isEmpty()) return;
            state.outcome("callback_scheduled");
            state.handled.add("Booked a call back " + spokenMoment(callbackAt) + ".");
            state.say("Done. We'll call you " + spokenMoment(callbackAt) + ".");
            state.close();
        } catch (ToolArgumentException e) {
            state.say("Sorry, I can't book a call back for then.");
            state.say("What other time would suit you?");
            state.step = Step.AWAIT_CALLBACK_TIME;
        }
    }
}
