package dev.ringback.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.ringback.server.sms.CallbackRequest;
import dev.ringback.server.sms.RequestState;
import dev.ringback.server.sms.CallbackRequests;
import dev.ringback.server.sms.SmsInbound;
import dev.ringback.server.sms.SmsReceipt;
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
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Callback requests and their state history. Claims are atomic so one request is dialled once. */
public final class CallbackRequestStore implements CallbackRequests {
    private final DataSource ds;
    private final ObjectMapper json = new ObjectMapper();

    public CallbackRequestStore(DataSource ds) {
        this.ds = ds;
    }

    public record StateChange(Instant at, RequestState state, String detail) {}

    /** What a webhook did: made a request, extended an open one's thread, only extended the number's thread, or repeated a MessageSid. */
    /**
     * Stores an inbound SMS in one transaction: its MessageSid (a repeat returns the first delivery's
     * request), the number's thread extended by it, and, when a call is wanted, a new pending request
     * carrying the whole thread, unless one for this number is still open (then its thread is extended).
     */
    @Override
    public SmsReceipt receive(SmsInbound sms, Instant receivedAt, long receivedNanos) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                try {
                    SmsReceipt r = receive(c, sms, receivedAt, receivedNanos);
                    c.commit();
                    return r;
                } catch (SQLException e) {
                    c.rollback();
                    // a concurrent webhook for the same number or MessageSid won the insert: redo against its row
                    if (!isKeyConflict(e) || attempt >= 3) throw e;
                }
            } catch (SQLException e) {
                throw new StoreException("cannot store SMS from " + sms.from(), e);
            }
        }
    }

    private SmsReceipt receive(Connection c, SmsInbound sms, Instant receivedAt, long receivedNanos) throws SQLException {
        if (sms.messageSid() != null) {
            try (PreparedStatement ps = c.prepareStatement("SELECT request_id FROM sms_message WHERE message_sid = ?")) {
                ps.setString(1, sms.messageSid());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        String id = rs.getString(1);
                        return new SmsReceipt(SmsReceipt.Kind.DUPLICATE, Optional.ofNullable(id),
                                id == null ? Optional.empty() : Optional.of(stateOf(c, id)));
                    }
                }
            }
        }
        List<ThreadMessage> thread = extendThread(c, sms);
        Optional<String> open = openRequest(c, sms.from());
        SmsReceipt receipt;
        if (open.isPresent()) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE callback_request SET thread_json = ?, updated_at = ? WHERE id = ?")) {
                ps.setString(1, threadJson(thread));
                ps.setObject(2, receivedAt.atOffset(ZoneOffset.UTC));
                ps.setString(3, open.get());
                ps.executeUpdate();
            }
            RequestState state = stateOf(c, open.get());
            event(c, open.get(), state, "thread extended by a later SMS" + (sms.callbackRequested() ? " asking for a call" : ""));
            receipt = new SmsReceipt(SmsReceipt.Kind.EXTENDED, open, Optional.of(state));
        } else if (sms.callbackRequested()) {
            String id = UUID.randomUUID().toString();
            insert(c, id, sms, thread, receivedAt, receivedNanos);
            event(c, id, RequestState.PENDING, sms.callbackInferred()
                    ? "received by SMS webhook; the text asks for a call" : "received by SMS webhook with the callback flag");
            receipt = new SmsReceipt(SmsReceipt.Kind.CREATED, Optional.of(id), Optional.of(RequestState.PENDING));
        } else {
            receipt = new SmsReceipt(SmsReceipt.Kind.THREAD_ONLY, Optional.empty(), Optional.empty());
        }
        if (sms.messageSid() != null) {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO sms_message (message_sid, customer_phone, request_id, received_at) VALUES (?,?,?,?)")) {
                ps.setString(1, sms.messageSid());
                ps.setString(2, sms.from());
                ps.setString(3, receipt.requestId().orElse(null));
                ps.setObject(4, receivedAt.atOffset(ZoneOffset.UTC));
                ps.executeUpdate();
            }
        }
        return receipt;
    }

    /** The number's stored thread with this SMS's messages merged in (same direction, time and text = same message). */
    private List<ThreadMessage> extendThread(Connection c, SmsInbound sms) throws SQLException {
        String stored = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT thread_json FROM sms_thread WHERE customer_phone = ? FOR UPDATE")) {
            ps.setString(1, sms.from());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) stored = rs.getString(1);
            }
        }
        List<ThreadMessage> merged = new ArrayList<>(stored == null ? List.of() : thread(stored));
        Set<String> seen = new HashSet<>();
        for (ThreadMessage m : merged) seen.add(key(m));
        for (ThreadMessage m : sms.thread()) {
            if (seen.add(key(m))) merged.add(m);
        }
        merged.sort(Comparator.comparing(m -> m.at().toInstant()));
        if (merged.size() > SmsInbound.MAX_THREAD) {
            merged = new ArrayList<>(merged.subList(merged.size() - SmsInbound.MAX_THREAD, merged.size()));
        }
        String sql = stored == null
                ? "INSERT INTO sms_thread (thread_json, updated_at, customer_phone) VALUES (?,?,?)"
                : "UPDATE sms_thread SET thread_json = ?, updated_at = ? WHERE customer_phone = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, threadJson(merged));
            ps.setObject(2, OffsetDateTime.now(ZoneOffset.UTC));
            ps.setString(3, sms.from());
            ps.executeUpdate();
        }
        return merged;
    }

    private static String key(ThreadMessage m) {
        return m.direction() + "|" + m.at().toInstant() + "|" + m.text();
    }

    /** A request for this number that has not reached a terminal state (waiting, waiting to retry, or in a call). */
    private static Optional<String> openRequest(Connection c, String phone) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM callback_request WHERE customer_phone = ? AND state IN ('PENDING','DIALLING','RINGING','ANSWERED') "
                        + "ORDER BY received_at LIMIT 1")) {
            ps.setString(1, phone);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private static RequestState stateOf(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT state FROM callback_request WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return RequestState.valueOf(rs.getString(1));
            }
        }
    }

    private static boolean isKeyConflict(SQLException e) {
        // 23505: a concurrent webhook inserted the same number's thread or MessageSid first
        return "23505".equals(e.getSQLState());
    }

    private void insert(Connection c, String id, SmsInbound sms, List<ThreadMessage> thread, Instant receivedAt,
                        long receivedNanos) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO callback_request (id, customer_phone, business_phone, body, thread_json, state,
                    received_at, received_nanos, updated_at) VALUES (?,?,?,?,?,?,?,?,?)""")) {
            ps.setString(1, id);
            ps.setString(2, sms.from());
            ps.setString(3, sms.to());
            ps.setString(4, sms.body());
            ps.setString(5, threadJson(thread));
            ps.setString(6, RequestState.PENDING.name());
            ps.setObject(7, receivedAt.atOffset(ZoneOffset.UTC));
            ps.setLong(8, receivedNanos);
            ps.setObject(9, receivedAt.atOffset(ZoneOffset.UTC));
            ps.executeUpdate();
        }
    }

    /** Takes the oldest pending request that is due (not waiting for a retry) and marks it dialling, or nothing. */
    public Optional<CallbackRequest> claimNext() {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            String id;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id FROM callback_request WHERE state = ? AND (next_attempt_at IS NULL OR next_attempt_at <= ?) "
                            + "ORDER BY received_at LIMIT 1 FOR UPDATE")) {
                ps.setString(1, RequestState.PENDING.name());
                ps.setObject(2, OffsetDateTime.now(ZoneOffset.UTC));
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
            event(c, id, RequestState.DIALLING, "claimed by dispatcher: attempt " + attempts(c, id));
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

    /**
     * Puts a request whose attempt ended (busy, no answer, trunk failure) back to pending, due at {@code due};
     * only from {@code from}, so a request something else has moved on is left alone. Returns whether it moved.
     */
    public boolean scheduleRetry(String id, RequestState from, Instant due, String reason) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE callback_request SET state = ?, next_attempt_at = ?, reason = ?, updated_at = ? WHERE id = ? AND state = ?")) {
                ps.setString(1, RequestState.PENDING.name());
                ps.setObject(2, due.atOffset(ZoneOffset.UTC));
                ps.setString(3, truncate(reason));
                ps.setObject(4, OffsetDateTime.now(ZoneOffset.UTC));
                ps.setString(5, id);
                ps.setString(6, from.name());
                if (ps.executeUpdate() != 1) {
                    c.rollback();
                    return false;
                }
            }
            event(c, id, RequestState.PENDING, reason);
            c.commit();
            return true;
        } catch (SQLException e) {
            throw new StoreException("cannot schedule a retry of request " + id, e);
        }
    }

    /** Calls placed to this number since {@code since}, for the toll-fraud guard. */
    public int callsSince(String customerPhone, Instant since) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM call WHERE customer_phone = ? AND created_at >= ?")) {
            ps.setString(1, customerPhone);
            ps.setObject(2, since.atOffset(ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot count calls to " + customerPhone, e);
        }
    }

    /** Whether an SMS from this number was received (the guard dials only numbers that texted in). */
    public boolean textedIn(String customerPhone) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM sms_thread WHERE customer_phone = ?")) {
            ps.setString(1, customerPhone);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot look up texts from " + customerPhone, e);
        }
    }

    private static int attempts(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT attempts FROM callback_request WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
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
