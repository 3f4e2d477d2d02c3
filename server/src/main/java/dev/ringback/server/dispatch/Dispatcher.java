package dev.ringback.server.dispatch;

import dev.ringback.server.call.CallPlacer;
import dev.ringback.server.config.RingbackConfig.RetryConfig;
import dev.ringback.server.sms.CallbackRequest;
import dev.ringback.server.sms.RequestState;
import dev.ringback.server.store.CallbackRequestStore;
import dev.ringback.server.store.WorkflowSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns pending callback requests into calls, or into messages for the owner while the workflow is off or
 * the toll-fraud guard refuses. Busy, unanswered and trunk-failed attempts go back to pending with a
 * back-off; when attempts run out the owner gets the thread, the reason and a scheduled callback.
 * Webhooks wake it at once; a poll catches anything else (due retries, requests from before a restart).
 * All decisions run on its one thread, so a request is never handled twice at once.
 */
public final class Dispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    /** Call outcomes (VoiceCall's names) worth another attempt; declined, unreachable or refused numbers are not. */
    private static final Set<String> RETRYABLE = Set.of("busy", "no-answer", "trunk-unavailable", "failed");

    private final CallbackRequestStore requests;
    private final WorkflowSettings workflows;
    private final CallPlacer placer;
    private final int maxConcurrentCalls;
    private final TollFraudGuard guard;
    private final OwnerFollowUp followUp;
    private final RetryConfig retry;
    private final AtomicInteger activeCalls = new AtomicInteger();
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dispatcher");
        t.setDaemon(true);
        return t;
    });

    public Dispatcher(CallbackRequestStore requests, WorkflowSettings workflows, CallPlacer placer, int maxConcurrentCalls,
                      TollFraudGuard guard, OwnerFollowUp followUp, RetryConfig retry) {
        this.requests = requests;
        this.workflows = workflows;
        this.placer = placer;
        this.maxConcurrentCalls = maxConcurrentCalls;
        this.guard = guard;
        this.followUp = followUp;
        this.retry = retry;
    }

    public void start(Duration pollInterval) {
        recoverInterrupted();
        loop.scheduleWithFixedDelay(this::drain, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A request was just stored: look now rather than at the next poll. */
    public void wake() {
        run(this::drain);
    }

    public int activeCalls() {
        return activeCalls.get();
    }

    private void drain() {
        try {
            while (activeCalls.get() < maxConcurrentCalls) {
                Optional<CallbackRequest> next = requests.claimNext();
                if (next.isEmpty()) return;
                handle(next.get());
            }
        } catch (RuntimeException e) {
            log.error("dispatcher pass failed; will retry at the next poll", e);
        }
    }

    private void handle(CallbackRequest request) {
        if (!workflows.smsCallbackEnabled()) {
            followUp.message(request, "callback request", "SMS callback workflow is off");
            requests.transition(request.id(), RequestState.OWNER_MESSAGED, "workflow off: message left for the owner");
            log.info("request {} from {} became a message for the owner (workflow off)", request.id(), request.customerPhone());
            return;
        }
        Optional<String> refusal = guard.refusal(request);
        if (refusal.isPresent()) {
            followUp.message(request, "callback refused", "not dialled: " + refusal.get());
            requests.transition(request.id(), RequestState.REFUSED, "not dialled: " + refusal.get() + "; message left for the owner");
            log.warn("request {} refused by the toll-fraud guard: {}", request.id(), refusal.get());
            return;
        }
        activeCalls.incrementAndGet();
        try {
            placer.place(request).whenComplete((outcome, error) -> {
                activeCalls.decrementAndGet();
                run(() -> afterAttempt(request, outcome, error));
            });
        } catch (RuntimeException e) {
            activeCalls.decrementAndGet();
            throw e;
        }
    }

    /** Runs on the dispatcher thread once a call is over: retry, give up, or nothing when it was answered. */
    private void afterAttempt(CallbackRequest placed, String outcome, Throwable error) {
        try {
            CallbackRequest request = requests.find(placed.id()).orElseThrow();
            if (!request.state().terminal()) {
                String why = "the call ended without an outcome" + (error == null ? "" : ": " + error.getMessage());
                requests.transition(request.id(), RequestState.FAILED, why);
                request = requests.find(placed.id()).orElseThrow();
            }
            if (request.state() == RequestState.COMPLETED) return;
            if (error == null && RETRYABLE.contains(outcome) && request.attempts() < retry.maxAttempts()) {
                Duration wait = retry.delayBefore(request.attempts() + 1);
                requests.scheduleRetry(request.id(), request.state(), Instant.now().plus(wait),
                        "attempt " + request.attempts() + " " + request.state().wireName() + ": " + request.reason()
                                + "; attempt " + (request.attempts() + 1) + " of " + retry.maxAttempts() + " in " + wait.toMillis() + " ms");
                log.info("request {} {}; retry {} of {} in {} ms", request.id(), outcome, request.attempts() + 1,
                        retry.maxAttempts(), wait.toMillis());
                loop.schedule(this::drain, wait.toMillis(), TimeUnit.MILLISECONDS);
                return;
            }
            giveUp(request);
        } catch (RuntimeException e) {
            log.error("request {}: cannot settle the attempt's outcome {}", placed.id(), outcome, e);
        } finally {
            drain();
        }
    }

    private void giveUp(CallbackRequest request) {
        Optional<LocalDateTime> callback = followUp.gaveUp(request, request.reason());
        requests.transition(request.id(), request.state(), "gave up after " + request.attempts() + " attempt(s): "
                + request.reason() + "; owner messaged" + callback.map(at -> ", callback scheduled for " + at).orElse(""));
        log.info("request {} gave up after {} attempt(s) ({})", request.id(), request.attempts(), request.state().wireName());
    }

    /**
     * Requests a previous run left mid-call are not re-dialled (the customer may have answered already, and
     * a second call would be a duplicate): they end as failed, and the owner gets the thread and a callback.
     * Pending ones, including those waiting to retry, simply carry on.
     */
    private void recoverInterrupted() {
        for (CallbackRequest r : requests.inFlight()) {
            String reason = "server restarted while the request was " + r.state().wireName();
            requests.transition(r.id(), RequestState.FAILED, reason);
            CallbackRequest failed = requests.find(r.id()).orElse(r);
            giveUp(failed);
            log.warn("request {} was {} when the server stopped: marked failed, owner messaged", r.id(), r.state().wireName());
        }
    }

    private void run(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException stopping) {
            log.debug("dispatcher is stopping; the next start picks the work up from the store");
        }
    }

    @Override
    public void close() {
        loop.shutdownNow();
    }
}
