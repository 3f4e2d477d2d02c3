package dev.ringback.server.call;

import java.util.Map;

/** What happens on a live call, as operators (and the demo) watch it. */
public sealed interface CallActivity {
    String callId();

    record Dialling(String callId, String requestId, String customerPhone) implements CallActivity {}
    record Ringing(String callId) implements CallActivity {}
    record Answered(String callId, String codec) implements CallActivity {}
    record AgentSaid(String callId, String text) implements CallActivity {}
    record CustomerSaid(String callId, String text) implements CallActivity {}
    record ToolCalled(String callId, String tool, Map<String, Object> args, Map<String, Object> result, String idempotencyKey) implements CallActivity {}
    record BargeIn(String callId, String interruptedSentence) implements CallActivity {}
    record Ended(String callId, String outcome, String reason) implements CallActivity {}
}
