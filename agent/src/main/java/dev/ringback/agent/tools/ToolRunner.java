package dev.ringback.agent.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ringback.agent.store.BusinessStore;
import dev.ringback.agent.store.StoreSql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Runs tool calls exactly once per idempotency key. The log row is inserted first in the same transaction
 * as the effect, so a concurrent duplicate collides on the key (the database decides the winner) and then
 * reads the winner's committed result; a later replay reads it too. Rejected arguments are logged as well.
 */
public final class ToolRunner {
    private static final Logger log = LoggerFactory.getLogger(ToolRunner.class);
    private static final long WAIT_FOR_WINNER_MILLIS = 10_000;

    private final BusinessStore store;
    private final ToolContext context;
    private final ToolBounds bounds;
    private final ToolEffects effects;
    private final ObjectMapper json = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    public ToolRunner(BusinessStore store, ToolContext context) {
        this.store = store;
        this.context = context;
        this.bounds = new ToolBounds(context);
        this.effects = new ToolEffects(context);
    }

    /** Runs (or replays) the call for this turn; throws ToolArgumentException when an argument is out of bounds. */
    public ToolCallRecord run(int turn, ToolCall call) {
        String argsJson = write(call.args());
        String key = IdempotencyKey.of(context.callId(), turn, call.tool(), argsJson);
        while (true) {
            Optional<Logged> first = find(key);
            if (first.isPresent()) return replay(call, key, first.get());
            try {
                Logged done = store.inTransaction(c -> execute(c, turn, call, key, argsJson));
                log.info("tool {} call={} turn={} ok={} {}us", call.tool(), context.callId(), turn, done.ok(), done.durationMicros());
                return replay(call, key, done);
            } catch (BusinessStore.StoreException e) {
                if (!(e.getCause() instanceof SQLException sql) || !StoreSql.isKeyConflict(sql)) throw e;
                log.debug("tool {} key {} is running elsewhere; waiting for its result", call.tool(), key);
                awaitWinner(key);
            }
        }
    }

    private Logged execute(Connection c, int turn, ToolCall call, String key, String argsJson) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO agent_tool_call (idempotency_key, call_id, turn, tool, args_json, result_json, ok, duration_micros, logged_at)
                VALUES (?, ?, ?, ?, ?, '{}', FALSE, 0, ?)""")) {
            ps.setString(1, key);
            ps.setString(2, context.callId());
            ps.setInt(3, turn);
            ps.setString(4, call.tool());
            ps.setString(5, argsJson);
            ps.setObject(6, OffsetDateTime.now(ZoneOffset.UTC));
            ps.executeUpdate();
        }
        long started = System.nanoTime();
        Map<String, Object> result;
        boolean ok;
        try {
            bounds.check(c, call);
            result = effects.apply(c, call);
            ok = !ToolEffects.isRefusal(result);
        } catch (ToolArgumentException e) {
            log.info("tool {} rejected: {}", call.tool(), e.getMessage());
            result = new LinkedHashMap<>();
            result.put("rejected", e.problem().name());
            result.put("detail", e.getMessage());
            ok = false;
        }
        long micros = (System.nanoTime() - started) / 1000;
        String resultJson = write(result);
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE agent_tool_call SET result_json = ?, ok = ?, duration_micros = ? WHERE idempotency_key = ?")) {
            ps.setString(1, resultJson);
            ps.setBoolean(2, ok);
            ps.setLong(3, micros);
            ps.setString(4, key);
            ps.executeUpdate();
        }
        return new Logged(resultJson, ok, micros);
    }

    /**
     * What became of a logged call's effect once it played out beyond the dialog (how a transfer ended), added to its
     * result under {@code "outcome"}: the log then tells the whole story. A later replay returns it too.
     *
     * @return false when no call with that key is logged
     */
    public boolean recordOutcome(String idempotencyKey, Map<String, Object> outcome) {
        return store.inTransaction(c -> {
            String resultJson;
            try (PreparedStatement ps = c.prepareStatement("SELECT result_json FROM agent_tool_call WHERE idempotency_key = ? FOR UPDATE")) {
                ps.setString(1, idempotencyKey);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return false;
                    resultJson = rs.getString(1);
                }
            }
            Map<String, Object> result = read(resultJson);
            result.put("outcome", outcome);
            try (PreparedStatement ps = c.prepareStatement("UPDATE agent_tool_call SET result_json = ? WHERE idempotency_key = ?")) {
                ps.setString(1, write(result));
                ps.setString(2, idempotencyKey);
                return ps.executeUpdate() == 1;
            }
        });
    }

    private ToolCallRecord replay(ToolCall call, String key, Logged logged) {
        Map<String, Object> result = read(logged.resultJson());
        if (result.containsKey("rejected")) {
            throw new ToolArgumentException(call.tool(), ToolArgumentException.Problem.valueOf((String) result.get("rejected")),
                    String.valueOf(result.get("detail")));
        }
        return new ToolCallRecord(call.tool(), call.args(), result, key, logged.durationMicros());
    }

    private void awaitWinner(String key) {
        long deadline = System.currentTimeMillis() + WAIT_FOR_WINNER_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            if (find(key).isPresent()) return;
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for tool result " + key, e);
            }
        }
        // the winner rolled back: the caller's loop claims the key itself
    }

    private Optional<Logged> find(String key) {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT result_json, ok, duration_micros FROM agent_tool_call WHERE idempotency_key = ?")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Logged(rs.getString(1), rs.getBoolean(2), rs.getLong(3))) : Optional.empty();
                }
            }
        });
    }

    private String write(Map<String, Object> value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("tool arguments are not JSON-shaped", e);
        }
    }

    private Map<String, Object> read(String text) {
        try {
            return json.readValue(text, new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt tool log row", e);
        }
    }

    private record Logged(String resultJson, boolean ok, long durationMicros) {}
}
