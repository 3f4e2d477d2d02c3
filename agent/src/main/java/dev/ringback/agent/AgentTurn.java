package dev.ringback.agent;

import dev.ringback.agent.tools.ToolCallRecord;

import java.util.List;
import java.util.Optional;

/**
 * What the agent says next (one idea per sentence, already policy-checked), the tools it ran for it,
 * whether the call should end after these sentences, and the on-call number when it transferred the call.
 */
public record AgentTurn(List<String> sentences, List<ToolCallRecord> toolCalls, boolean endCall, Optional<String> transferTo) {
    public AgentTurn {
        sentences = List.copyOf(sentences);
        toolCalls = List.copyOf(toolCalls);
        transferTo = transferTo == null ? Optional.empty() : transferTo;
    }

    public String text() {
        return String.join(" ", sentences);
    }
}
