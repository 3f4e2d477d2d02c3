package dev.ringback.server.http;

import dev.ringback.server.sms.WebhookEvents;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/** Counters exported in Prometheus text format at /metrics. */
public final class Metrics implements WebhookEvents {
    private final AtomicLong requestsAccepted = new AtomicLong();
    private final AtomicLong webhooksRejected = new AtomicLong();
    private final IntSupplier liveCalls;

    public Metrics(IntSupplier liveCalls) {
        this.liveCalls = liveCalls;
    }

    @Override
    public void requestAccepted() {
        requestsAccepted.incrementAndGet();
    }

    @Override
    public void webhookRejected() {
        webhooksRejected.incrementAndGet();
    }

    public String render() {
        return """
                # HELP ringback_callback_requests_total Callback requests accepted from SMS webhooks.
                # TYPE ringback_callback_requests_total counter
                ringback_callback_requests_total %d
                # HELP ringback_webhooks_rejected_total Webhooks refused as malformed.
                # TYPE ringback_webhooks_rejected_total counter
                ringback_webhooks_rejected_total %d
                # HELP ringback_live_calls Calls in progress.
                # TYPE ringback_live_calls gauge
                ringback_live_calls %d
                """.formatted(requestsAccepted.get(), webhooksRejected.get(), liveCalls.getAsInt());
    }
}
