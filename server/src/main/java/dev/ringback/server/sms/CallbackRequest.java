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
        long receivedNanos) {

    /** What the customer wrote, oldest first, for messages to the owner. */
    public String customerTexts() {
        return thread.stream().filter(m -> m.direction() == ThreadMessage.Direction.INBOUND)
                .map(ThreadMessage::text).reduce((a, b) -> a + " / " + b).orElse("");
    }
}
