package dev.ringback.server.sms;

import java.time.Instant;
import java.util.List;

/** A customer's request to be called, persisted before the webhook is answered. */
public record CallbackRequest(
        String id,
        String customerPhone,
        String businessPhone,
        String body,
        List<ThreadMessage> thread,
        RequestState state,
        String reason,
        int attempts,
        Instant receivedAt,
        long receivedNanos) {}
