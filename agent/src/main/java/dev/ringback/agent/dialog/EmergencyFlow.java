package dev.ringback.agent.dialog;

import dev.ringback.agent.business.CatalogueService;
import dev.ringback.agent.business.OnCallPerson;
import dev.ringback.agent.dialog.DialogState.Action;
import dev.ringback.agent.dialog.DialogState.Step;
import dev.ringback.agent.language.DayPart;
import dev.ringback.agent.language.Signal;
import dev.ringback.agent.language.Utterance;
import dev.ringback.agent.language.When;
import dev.ringback.agent.tools.ToolArgumentException;
import dev.ringback.agent.tools.ToolCallRecord;
import dev.ringback.agent.tools.TransferToOncall;

import java.util.List;
import java.util.Optional;

/**
 * A genuine emergency: after hours it goes to the on-call person (offered, then transferred); in business hours
 * the team handles it with the earliest visit, never a transfer.
 */
final class EmergencyFlow {
    private final DialogState state;
    private final BookingFlow booking;
    private final MessageFlow messages;

    EmergencyFlow(DialogState state, BookingFlow booking, MessageFlow messages) {
        this.state = state;
        this.booking = booking;
        this.messages = messages;
    }

    /** The customer raised an emergency the SMS thread did not. */
    void raised(Utterance u) {
        state.emergency = true;
        state.emergencyService = emergencyServiceIn(u).orElse(null);
        confirmed(u);
    }

    /** The answer to "is it still happening right now?". */
    boolean onConfirmEmergency(Utterance u) {
        if (u.hasAny(Signal.NO, Signal.NOT_URGENT) && !u.has(Signal.EMERGENCY)) {
            state.emergency = false;
            state.say("Okay, good to hear.");
            state.offerHelp();
            return true;
        }
        if (u.hasAny(Signal.YES, Signal.EMERGENCY, Signal.TRANSFER_REQUEST)) {
            confirmed(u);
            return true;
        }
        return false;
    }

    /** The answer to "would you like me to put you through?". */
    boolean onOfferTransfer(Utterance u, String heard) {
        if (u.hasAny(Signal.YES, Signal.TRANSFER_REQUEST) && !u.has(Signal.NO)) {
            transfer();
            return true;
        }
        if (u.has(Signal.NO)) {
            messages.takeMessage(heard, "urgent: after-hours emergency, customer did not want the on-call transfer", true);
            return true;
        }
        return false;
    }

    /** "Can I talk to a person?": put through only for an after-hours emergency, else offer a call back. */
    void onTransferRequest() {
        if (transferable()) {
            transfer();
            return;
        }
        state.offerOwnerCallback("I can't put you through right now, but someone from the team can call you back.", "customer asked to speak to a person");
    }

    /** After a "who am I talking to?" answer: back to the transfer offer when one is due. */
    boolean reofferTransfer() {
        if (state.step == Step.OFFER_TRANSFER || (transferable() && state.step == Step.CONFIRM_EMERGENCY)) {
            offerTransfer();
            return true;
        }
        return false;
    }

    /** An after-hours emergency: the on-call person takes it. */
    boolean transferable() {
        return state.emergency && state.afterHours;
    }

    Optional<String> emergencyServiceIn(Utterance u) {
        return u.services().stream().filter(id -> state.business.service(id).map(CatalogueService::emergency).orElse(false)).findFirst();
    }

    private void confirmed(Utterance u) {
        state.emergency = true;
        if (state.emergencyService == null) state.emergencyService = emergencyServiceIn(u).orElse(null);
        if (state.afterHours) {
            if (u.has(Signal.TRANSFER_REQUEST)) {
                transfer();
                return;
            }
            state.say("That sounds urgent.");
            offerTransfer();
            return;
        }
        // in business hours the team handles it: the earliest visit, no on-call transfer
        state.say("That sounds urgent.");
        if (state.emergencyService == null || !state.emergencyService.equals("gas")) state.say("If you can, turn off the water at the mains.");
        state.action = Action.BOOK;
        if (state.serviceId == null) {
            state.serviceId = state.emergencyService != null ? state.emergencyService : state.topic.flatMap(Topic::serviceId).orElse(null);
        }
        if (state.serviceId == null) {
            messages.takeMessage(state.customerWords.toString().strip(), "urgent: emergency during business hours", true);
            return;
        }
        booking.planSlot(When.NONE.withDate(state.availability.earliestDayFor(DayPart.ANY, Optional.empty(), state.refusals::rulesOut)));
    }

    private void offerTransfer() {
        List<OnCallPerson> roster = state.store.onCallRoster();
        Optional<OnCallPerson> person = roster.isEmpty() ? state.business.onCall().stream().findFirst() : Optional.of(roster.get(0));
        if (person.isEmpty()) {
            messages.takeMessage(state.customerWords.toString().strip(), "urgent: after-hours emergency, nobody on call", true);
            return;
        }
        state.ask(person.get().firstName() + ", our on-call plumber, can help you right now.", "Would you like me to put you through?");
        state.step = Step.OFFER_TRANSFER;
    }

    private void transfer() {
        String what = Optional.ofNullable(state.emergencyService).flatMap(state.business::service).map(CatalogueService::name).orElse("emergency");
        String reason = DialogState.cut(what + " after hours. Customer said: " + state.customerWords.toString().strip(), 500);
        try {
            Optional<ToolCallRecord> rec = state.use(new TransferToOncall(state.context.customerPhone(), reason));
            if (rec.isEmpty()) return;
            String to = (String) rec.get().result().get("transfer_to");
            String name = DialogState.firstWord(String.valueOf(rec.get().result().getOrDefault("name", "the on-call plumber")));
            state.transferTo(to);
            state.outcome("transferred");
            state.say("Putting you through to " + name + " now.");
            state.step = Step.TRANSFERRED;
        } catch (ToolArgumentException e) {
            booking.recover(e);
        }
    }
}
