package dev.ringback.agent.tools;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** One tool call as run (or replayed) by the tool runner: JSON-shaped arguments and result. */
public record ToolCallRecord(String tool, Map<String, Object> args, Map<String, Object> result, String idempotencyKey,
                             long durationMicros) {
    public ToolCallRecord {
        // keep the order the tool wrote them in: the JSON transcript reads better
        args = Collections.unmodifiableMap(new LinkedHashMap<>(args));
        result = Collections.unmodifiableMap(new LinkedHashMap<>(result));
    }
}
