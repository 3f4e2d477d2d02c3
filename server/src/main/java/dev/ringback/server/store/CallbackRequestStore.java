package dev.ringback.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.ringback.server.sms.CallbackRequest;
import dev.ringback.server.sms.RequestState;
import dev.ringback.server.sms.SmsInbound;
import dev.ringback.server.sms.ThreadMessage;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Callback requests and their state history. Claims are atomic so one request is dialled once. */
public final class CallbackRequestStore {
    private final DataSource ds;
    private final ObjectMapper json = new ObjectMapper();

    public CallbackRequestStore(DataSource ds) {
        this.ds = ds;
    }

    public record StateChange(Instant at, RequestState state, String detail) {}

    public CallbackRequest create(SmsInbound sms, Instant receivedAt, long receivedNanos) {
        String id = UUID.randomUUID().toString();
        String threadJson = threadJson(sms.thread());
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO callback_request (id, customer_phone, business_phone, body, thread_json, state,
                        received_at, received_nanos, updated_at) VALUES (?,?,?,?,?,?,?,?,?)""")) {
                ps.setString(1, id);
                ps.setString(2, sms.from());
                ps.setString(3, sms.to());
                ps.setString(4, sms.body());
                ps.setString(5, threadJson);
                ps.setString(6, RequestState.PENDING.name());
                ps.setObject(7, receivedAt.atOffset(ZoneOffset.UTC));
                ps.setLong(8, receivedNanos);
                ps.setObject(9, receivedAt.atOffset(ZoneOffset.UTC));
                ps.executeUpdate();
            }
            event(c, id, RequestState.PENDING, "received by SMS webhook");
            c.commit();
        } catch (SQLException e) {
            throw new StoreException("cannot store callback request from " + sms.from(), e);
        }
        return new CallbackRequest(id, sms.from(), sms.to(), sms.body(), sms.thread(), RequestState.PENDING, null, 0,
                receivedAt, receivedNanos);
    }

    /** Takes the oldest pending request and marks it dialling, or nothing when none is pending. */
    public Optional<CallbackRequest> claimNext() {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            String id;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id FROM callback_request WHERE state = ? ORDER BY received_at LIMIT 1 FOR UPDATE")) {
                ps.setString(1, RequestState.PENDING.name());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        c.rollback();
                        return Optional.empty();
                    }
                    id = rs.getString(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE callback_request SET state = ?, attempts = attempts + 1, updated_at = ? WHERE id = ? AND state = ?")) {
                ps.setString(1, RequestState.DIALLING.name());
                ps.setObject(2, OffsetDateTime.now(ZoneOffset.UTC));
                ps.setString(3, id);
                ps.setString(4, RequestState.PENDING.name());
                if (ps.executeUpdate() != 1) {
                    c.rollback();
                    return Optional.empty();
                }
            }
            event(c, id, RequestState.DIALLING, "claimed by dispatcher");
            c.commit();
            return find(id);
        } catch (SQLException e) {
            throw new StoreException("cannot claim a pending callback request", e);
        }
    }

    public void transition(String id, RequestState state, String reason) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE callback_request SET state = ?, reason = COALESCE(?, reason), updated_at = ? WHERE id = ?")) {
                ps.setString(1, state.name());
                ps.setString(2, truncate(reason));
                ps.setObject(3, OffsetDateTime.now(ZoneOffset.UTC));
                ps.setString(4, id);
                ps.executeUpdate();
            }
            event(c, id, state, reason);
            c.commit();
        } catch (SQLException e) {
            throw new StoreException("cannot move callback request " + id + " to " + state, e);
        }
    }

    /** Requests a previous run left mid-flight (it stopped or crashed). */
    public List<CallbackRequest> inFlight() {
        return query("SELECT * FROM callback_request WHERE state IN ('DIALLING','RINGING','ANSWERED') ORDER BY received_at");
    }

    public Optional<CallbackRequest> find(String id) {
        List<CallbackRequest> found = query("SELECT * FROM callback_request WHERE id = ?", id);
        return found.stream().findFirst();
    }

    public List<CallbackRequest> recent(int limit) {
        return query("SELECT * FROM callback_request ORDER BY received_at DESC LIMIT " + Math.max(1, Math.min(limit, 1000)));
    }

    public List<StateChange> history(String id) {
        List<StateChange> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT at, state, detail FROM callback_request_event WHERE request_id = ? ORDER BY id")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StateChange(rs.getObject(1, OffsetDateTime.class).toInstant(),
                            RequestState.valueOf(rs.getString(2)), rs.getString(3)));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read history of request " + id, e);
        }
        return out;
    }

    private List<CallbackRequest> query(String sql, Object... args) {
        List<CallbackRequest> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(read(rs));
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read callback requests", e);
        }
        return out;
    }

    private CallbackRequest read(ResultSet rs) throws SQLException {
        return new CallbackRequest(
                rs.getString("id"), rs.getString("customer_phone"), rs.getString("business_phone"),
                rs.getString("body"), thread(rs.getString("thread_json")), RequestState.valueOf(rs.getString("state")),
                rs.getString("reason"), rs.getInt("attempts"),
                rs.getObject("received_at", OffsetDateTime.class).toInstant(), rs.getLong("received_nanos"));
    }

    private static void event(Connection c, String id, RequestState state, String detail) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO callback_request_event (request_id, at, state, detail) VALUES (?,?,?,?)")) {
            ps.setString(1, id);
            ps.setObject(2, OffsetDateTime.now(ZoneOffset.UTC));
            ps.setString(3, state.name());
            ps.setString(4, truncate(detail));
            ps.executeUpdate();
        }
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 1000 ? s : s.substring(0, 997) + "...";
    }

    private String threadJson(List<ThreadMessage> thread) {
        ArrayNode arr = json.createArrayNode();
        for (ThreadMessage m : thread) {
            arr.addObject()
                    .put("direction", m.direction() == ThreadMessage.Direction.INBOUND ? "inbound" : "outbound")
                    .put("at", m.at().toString())
                    .put("text", m.text());
        }
        return arr.toString();
    }

    private List<ThreadMessage> thread(String stored) {
        List<ThreadMessage> out = new ArrayList<>();
        try {
            for (var m : json.readTree(stored)) {
                out.add(new ThreadMessage(
                        "inbound".equals(m.get("direction").asText()) ? ThreadMessage.Direction.INBOUND : ThreadMessage.Direction.OUTBOUND,
                        OffsetDateTime.parse(m.get("at").asText()), m.get("text").asText()));
            }
        } catch (JsonProcessingException e) {
            throw new StoreException("stored thread is not JSON", e);
        }
        return out;
    }

}
