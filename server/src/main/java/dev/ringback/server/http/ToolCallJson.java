package dev.ringback.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringback.agent.store.ToolLogEntry;

import java.util.List;

/** The tool log as the API and the demo show it: the same shape as the converse JSON, plus timing. */
public final class ToolCallJson {
    private ToolCallJson() {}

    public static ArrayNode of(List<ToolLogEntry> log, ObjectMapper json) {
        ArrayNode out = json.createArrayNode();
        for (ToolLogEntry e : log) {
            ObjectNode n = out.addObject();
            n.put("tool", e.tool());
            n.set("args", parse(e.argsJson(), json));
            n.set("result", parse(e.resultJson(), json));
            n.put("idempotency_key", e.idempotencyKey());
            n.put("ok", e.ok());
            n.put("turn", e.turn());
            n.put("duration_us", e.durationMicros());
            n.put("at", String.valueOf(e.loggedAt()));
        }
        return out;
    }

    private static JsonNode parse(String text, ObjectMapper json) {
        try {
            return text == null ? json.nullNode() : json.readTree(text);
        } catch (Exception notJson) {
            return json.getNodeFactory().textNode(text);
        }
    }
}
