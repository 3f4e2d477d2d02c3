package dev.ringback.agent.store;

import java.time.Instant;

/** One row of the tool-call log: arguments and result as JSON text. */
public record ToolLogEntry(String idempotencyKey, String callId, int turn, String tool, String argsJson, String resultJson,
                           boolean ok, long durationMicros, Instant loggedAt) {}
