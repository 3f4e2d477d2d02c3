package dev.ringback.agent.dialog;

import dev.ringback.agent.business.CatalogueService;
import dev.ringback.agent.business.CustomerJob;
import dev.ringback.agent.dialog.DialogState.Action;
import dev.ringback.agent.dialog.DialogState.Step;
import dev.ringback.agent.language.Normalizer;
import dev.ringback.agent.language.Signal;
import dev.ringback.agent.language.Utterance;
import dev.ringback.agent.language.When;
import dev.ringback.agent.tools.CancelJobBooking;
import dev.ringback.agent.tools.ToolArgumentException;
import dev.ringback.agent.tools.ToolCallRecord;

import java.util.List;
import java.util.Optional;

/** Cancelling or moving a job the customer already has: work out which one they mean, confirm, act. */
final class JobChangeFlow {
    private final DialogState state;
    private final BookingFlow booking;
    private List<CustomerJob> jobChoices = List.of();
    /** "whenever suits": move it to the first free time. */
    private boolean anyTime;

    JobChangeFlow(DialogState state, BookingFlow booking) {
        this.state = state;
        this.booking = booking;
    }

    void start(Action wanted, Utterance u) {
        List<CustomerJob> candidates = state.jobs.stream().filter(j -> wanted == Action.CANCEL
                ? j.status() == CustomerJob.Status.BOOKED || j.status() == CustomerJob.Status.OPEN
                : j.isBooked()).toList();
        if (candidates.isEmpty()) {
            if (wanted == Action.RESCHEDULE) {
                booking.start(u.when(), u.has(Signal.FLEXIBLE));
                return;
            }
            state.say("I can't find a booking to cancel.");
            state.offerOwnerCallback("I can pass a message to the team instead.", "customer wants to cancel but no booking was found");
            return;
        }
        state.action = wanted;
        state.pendingWhen = u.when();
        anyTime = u.has(Signal.FLEXIBLE);
        Optional<CustomerJob> job = pickJob(u, candidates);
        if (job.isEmpty()) {
            jobChoices = candidates;
            List<String> described = candidates.stream().limit(3).map(this::describeShort).toList();
            state.ask("Which booking do you mean?", "Is it " + String.join(", or ", described) + "?");
            state.step = Step.CHOOSE_JOB;
            return;
        }
        continueWithJob(job.get(), u.when());
    }

    /** The answer to "which booking do you mean?". */
    boolean onChooseJob(Utterance u) {
        Optional<CustomerJob> job = pickJob(u, jobChoices);
        job.ifPresent(j -> continueWithJob(j, state.pendingWhen));
        return job.isPresent();
    }

    /** The answer to "you'd like to cancel ...?". */
    boolean onConfirmCancel(Utterance u, String heard) {
        if (u.has(Signal.NO) && !u.has(Signal.CANCEL)) {
            state.say("Okay, I'll leave it booked.");
            state.anythingElse();
            return true;
        }
        if (u.hasAny(Signal.YES, Signal.CANCEL)) {
            commitCancel(heard);
            return true;
        }
        return false;
    }

    private void continueWithJob(CustomerJob job, When when) {
        state.jobId = job.id();
        state.serviceId = job.service();
        if (state.action == Action.CANCEL) {
            state.ask("Just to confirm, you'd like to cancel " + describe(job) + "?");
            state.step = Step.CONFIRM_CANCEL;
            return;
        }
        boolean newTime = !when.isEmpty() && !(when.date().isPresent() && when.date().equals(job.date()) && !when.hasTimeOfDay());
        if (newTime) {
            booking.planSlot(when);
        } else if (anyTime) {
            booking.planSlot(When.NONE);
        } else {
            booking.askDay();
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
        if (job.isBooked()) what += " on " + Spoken.slot(job.date().get(), job.window().get(), state.today);
        return what;
    }

    /** "the drain job on Friday the fourth": enough to tell bookings apart in one breath. */
    private String describeShort(CustomerJob job) {
        String what = "the " + serviceWords(job.service()) + " job";
        return job.isBooked() ? what + " on " + Spoken.date(job.date().get(), state.today) : what;
    }

    /** How the customer called that service, else the catalogue's name for it. */
    private String serviceWords(String id) {
        String said = Normalizer.normalize(state.customerWords.toString());
        Optional<CatalogueService> service = state.business.service(id);
        if (service.isEmpty()) return id;
        for (String synonym : service.get().synonyms()) {
            if ((" " + said + " ").contains(" " + Normalizer.normalize(synonym) + " ")) return synonym;
        }
        return service.get().name();
    }

    private void commitCancel(String heard) {
        try {
            Optional<ToolCallRecord> rec = state.use(new CancelJobBooking(state.jobId, DialogState.cut("Customer asked to cancel: " + heard, 500)));
            if (rec.isEmpty()) return;
            state.outcome("cancelled");
            state.handled.add("Cancelled " + state.jobs.stream().filter(j -> j.id().equals(state.jobId)).findFirst().map(this::describe)
                    .orElse("the booking " + state.jobId) + ".");
            state.refreshJobs();
            state.say("That's cancelled.");
            state.anythingElse();
        } catch (ToolArgumentException e) {
            booking.recover(e);
        }
    }
}
