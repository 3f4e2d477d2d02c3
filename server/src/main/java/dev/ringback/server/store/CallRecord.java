package dev.ringback.server.store;

import java.time.Instant;
import java.util.List;

/** A call as the API shows it: state, outcome, timings and what was said. */
public record CallRecord(
        String id,
        String requestId,
        String sipCallId,
        String customerPhone,
        String state,
        String outcome,
        String reason,
        Integer sipStatus,
        Instant createdAt,
        Instant inviteSentAt,
        Instant answeredAt,
        Instant endedAt,
        Double webhookToInviteMs,
        List<Turn> turns) {

    public record Turn(int seq, String speaker, String text, Instant at, Double latencyMs, boolean interrupted) {}
}
