package dev.ringback.server.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Calls, their timings and transcript lines. */
public final class CallStore {
    private final DataSource ds;

    public CallStore(DataSource ds) {
        this.ds = ds;
    }

    public String create(String requestId, String customerPhone) {
        String id = UUID.randomUUID().toString();
        update("INSERT INTO call (id, request_id, customer_phone, state, created_at) VALUES (?,?,?,?,?)",
                id, requestId, customerPhone, "dialling", now());
        return id;
    }

    public void inviteSent(String id, String sipCallId, double webhookToInviteMs) {
        update("UPDATE call SET sip_call_id = ?, invite_sent_at = ?, webhook_to_invite_ms = ? WHERE id = ?",
                sipCallId, now(), webhookToInviteMs, id);
    }

    public void state(String id, String state) {
        update("UPDATE call SET state = ? WHERE id = ?", state, id);
    }

    public void answered(String id) {
        update("UPDATE call SET state = 'answered', answered_at = ? WHERE id = ?", now(), id);
    }

    public void ended(String id, String outcome, String reason, Integer sipStatus) {
        update("UPDATE call SET state = 'ended', outcome = ?, reason = ?, sip_status = ?, ended_at = ? WHERE id = ?",
                outcome, reason, sipStatus, now(), id);
    }

    /** A transfer begins (path "refer" or "bridge"); a REFER refused and then bridged starts again as "bridge". */
    public void transferStarted(String id, String path, String target, String detail, Integer sipStatus) {
        update("""
                UPDATE call SET transfer_path = ?, transfer_target = ?, transfer_result = 'connecting', transfer_detail = ?,
                transfer_sip_status = ?, transfer_started_at = COALESCE(transfer_started_at, ?) WHERE id = ?""",
                path, target, cut(detail), sipStatus, now(), id);
    }

    /** The bridged leg's SIP Call-ID, once it is dialled. */
    public void onCallLeg(String id, String onCallSipCallId) {
        update("UPDATE call SET on_call_call_id = ? WHERE id = ?", onCallSipCallId, id);
    }

    public void transferConnected(String id, String detail) {
        update("UPDATE call SET transfer_result = 'connected', transfer_detail = ?, transfer_connected_at = ? WHERE id = ?",
                cut(detail), now(), id);
    }

    /** @param result "no-answer", "busy" or "failed" */
    public void transferFailed(String id, String result, String detail, Integer sipStatus) {
        update("UPDATE call SET transfer_result = ?, transfer_detail = ?, transfer_sip_status = ? WHERE id = ?",
                result, cut(detail), sipStatus, id);
    }

    public void addTurn(String callId, String speaker, String text, Double latencyMs, boolean interrupted) {
        update("""
                INSERT INTO call_turn (call_id, seq, speaker, text, at, latency_ms, interrupted)
                VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM call_turn WHERE call_id = ?), ?, ?, ?, ?, ?)""",
                callId, callId, speaker, text.length() > 2000 ? text.substring(0, 2000) : text, now(), latencyMs, interrupted);
    }

    public Optional<CallRecord> find(String id) {
        return query("SELECT * FROM call WHERE id = ?", id).stream().findFirst().map(this::withTurns);
    }

    public List<CallRecord> forRequest(String requestId) {
        return query("SELECT * FROM call WHERE request_id = ? ORDER BY created_at", requestId);
    }

    public List<CallRecord> recent(int limit) {
        return query("SELECT * FROM call ORDER BY created_at DESC LIMIT " + Math.max(1, Math.min(limit, 1000)));
    }

    private CallRecord withTurns(CallRecord c) {
        List<CallRecord.Turn> turns = new ArrayList<>();
        try (Connection conn = ds.getConnection();
             PreparedStatement ps = conn.prepareStatement(
                     "SELECT seq, speaker, text, at, latency_ms, interrupted FROM call_turn WHERE call_id = ? ORDER BY seq")) {
            ps.setString(1, c.id());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    turns.add(new CallRecord.Turn(rs.getInt(1), rs.getString(2), rs.getString(3),
                            instant(rs, "at"), (Double) rs.getObject(5, Double.class), rs.getBoolean(6)));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read transcript of call " + c.id(), e);
        }
        return new CallRecord(c.id(), c.requestId(), c.sipCallId(), c.customerPhone(), c.state(), c.outcome(),
                c.reason(), c.sipStatus(), c.createdAt(), c.inviteSentAt(), c.answeredAt(), c.endedAt(),
                c.webhookToInviteMs(), c.transfer(), List.copyOf(turns));
    }

    private List<CallRecord> query(String sql, Object... args) {
        List<CallRecord> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new CallRecord(rs.getString("id"), rs.getString("request_id"), rs.getString("sip_call_id"),
                            rs.getString("customer_phone"), rs.getString("state"), rs.getString("outcome"),
                            rs.getString("reason"), (Integer) rs.getObject("sip_status", Integer.class),
                            instant(rs, "created_at"), instant(rs, "invite_sent_at"), instant(rs, "answered_at"),
                            instant(rs, "ended_at"), (Double) rs.getObject("webhook_to_invite_ms", Double.class),
                            transfer(rs), List.of()));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read calls", e);
        }
        return out;
    }

    private static CallRecord.Transfer transfer(ResultSet rs) throws SQLException {
        String path = rs.getString("transfer_path");
        if (path == null) return null;
        return new CallRecord.Transfer(path, rs.getString("transfer_target"), rs.getString("transfer_result"),
                rs.getString("transfer_detail"), (Integer) rs.getObject("transfer_sip_status", Integer.class),
                rs.getString("on_call_call_id"), instant(rs, "transfer_started_at"), instant(rs, "transfer_connected_at"));
    }

    private static String cut(String s) {
        return s == null || s.length() <= 1000 ? s : s.substring(0, 997) + "...";
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private void update(String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("call store update failed: " + sql.lines().findFirst().orElse(sql), e);
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            if (args[i] == null) ps.setNull(i + 1, Types.NULL);
            else ps.setObject(i + 1, args[i]);
        }
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
