package dev.ringback.server.dispatch;

import dev.ringback.agent.BusinessStore;
import dev.ringback.server.call.CallPlacer;
import dev.ringback.server.sms.CallbackRequest;
import dev.ringback.server.sms.RequestState;
import dev.ringback.server.sms.ThreadMessage;
import dev.ringback.server.store.CallbackRequestStore;
import dev.ringback.server.store.WorkflowSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns pending callback requests into calls, or into messages for the owner while the workflow is
 * off. Webhooks wake it at once; a poll catches anything else (including requests from before a restart).
 */
public final class Dispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final CallbackRequestStore requests;
    private final WorkflowSettings workflows;
    private final BusinessStore businessStore;
    private final CallPlacer placer;
    private final int maxConcurrentCalls;
    private final AtomicInteger activeCalls = new AtomicInteger();
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dispatcher");
        t.setDaemon(true);
        return t;
    });

    public Dispatcher(CallbackRequestStore requests, WorkflowSettings workflows, BusinessStore businessStore,
                      CallPlacer placer, int maxConcurrentCalls) {
        this.requests = requests;
        this.workflows = workflows;
        this.businessStore = businessStore;
        this.placer = placer;
        this.maxConcurrentCalls = maxConcurrentCalls;
    }

    public void start(Duration pollInterval) {
        recoverInterrupted();
        loop.scheduleWithFixedDelay(this::drain, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A request was just stored: look now rather than at the next poll. */
    public void wake() {
        loop.execute(this::drain);
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
            String texts = request.thread().stream()
                    .filter(m -> m.direction() == ThreadMessage.Direction.INBOUND)
                    .map(ThreadMessage::text).reduce((a, b) -> a + " / " + b).orElse("");
            businessStore.createMessageForOwner(request.customerPhone(), "callback request",
                    request.customerPhone() + " asked for a call: " + texts, "SMS callback workflow is off");
            requests.transition(request.id(), RequestState.OWNER_MESSAGED, "workflow off: message left for the owner");
            log.info("request {} from {} became a message for the owner (workflow off)", request.id(), request.customerPhone());
            return;
        }
        activeCalls.incrementAndGet();
        try {
            placer.place(request).whenComplete((outcome, error) -> {
                activeCalls.decrementAndGet();
                wake();
            });
        } catch (RuntimeException e) {
            activeCalls.decrementAndGet();
            throw e;
        }
    }

    /**
     * Requests a previous run left mid-call cannot be resumed safely (the customer may have been
     * talking to us): they end as failed with a message for the owner, so none is lost or dialled twice.
     */
    private void recoverInterrupted() {
        for (CallbackRequest r : requests.inFlight()) {
            businessStore.createMessageForOwner(r.customerPhone(), "callback interrupted",
                    "The callback to " + r.customerPhone() + " was interrupted by a server restart; please call them back.",
                    "server restarted while the request was " + r.state().wireName());
            requests.transition(r.id(), RequestState.FAILED, "server restarted while " + r.state().wireName() + "; message left for the owner");
            log.warn("request {} was {} when the server stopped: marked failed, owner messaged", r.id(), r.state().wireName());
        }
    }

    @Override
    public void close() {
        loop.shutdownNow();
    }
}
