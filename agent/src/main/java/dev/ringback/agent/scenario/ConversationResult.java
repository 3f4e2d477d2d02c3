package dev.ringback.agent.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ringback.agent.tools.ToolCallRecord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A text-level conversation: transcript, tool calls and outcome; {@link #toJson()} is the DESIGN.md converse object. */
public record ConversationResult(String scenario, List<Turn> turns, List<ToolCallRecord> toolCalls, String outcome,
                                 int blockedSentences) {

    public record Turn(String speaker, String text) {}

    public ConversationResult {
        turns = List.copyOf(turns);
        toolCalls = List.copyOf(toolCalls);
    }

    public String toJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("scenario", scenario);
        List<Map<String, Object>> turnList = new ArrayList<>();
        for (Turn t : turns) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("speaker", t.speaker());
            m.put("text", t.text());
            turnList.add(m);
        }
        root.put("turns", turnList);
        List<Map<String, Object>> callList = new ArrayList<>();
        for (ToolCallRecord c : toolCalls) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("tool", c.tool());
            m.put("args", c.args());
            m.put("result", c.result());
            m.put("idempotency_key", c.idempotencyKey());
            callList.add(m);
        }
        root.put("tool_calls", callList);
        root.put("outcome", outcome);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("transcript is not serialisable", e);
        }
    }
}
