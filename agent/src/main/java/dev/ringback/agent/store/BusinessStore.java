package dev.ringback.agent.store;

import dev.ringback.agent.business.ArrivalWindow;
import dev.ringback.agent.business.BusinessProfile;
import dev.ringback.agent.business.CustomerJob;
import dev.ringback.agent.business.OnCallPerson;
import dev.ringback.agent.business.OwnerMessage;
import dev.ringback.agent.business.ScheduledCallback;
import dev.ringback.agent.business.SmsMessage;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The business's data (customers, SMS threads, jobs, bookings, owner messages, callbacks, on-call roster,
 * tool log) over any DataSource. The schema is migrated by Flyway with its own history table, so the
 * database may hold the server's tables as well.
 */
public final class BusinessStore {
    /** Work on one connection inside one transaction. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;

    public BusinessStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        Flyway.configure()
                .dataSource(dataSource)
                .table("agent_schema_history")
                .locations("classpath:dev/ringback/agent/db")
                // a database that already holds the server's tables has no history of ours yet: start before V1
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }

    /** Runs the work in a transaction: committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /** A database failure; the message carries the driver's. */
    public static final class StoreException extends RuntimeException {
        public StoreException(SQLException cause) {
            super(cause.getMessage(), cause);
        }
    }

    // --- seeding (scenarios, demo, the server's CRM import) ---

    public void seedCustomer(String phone, Optional<String> name, List<CustomerJob> jobs) {
        inTransaction(c -> {
            StoreSql.upsertCustomer(c, phone, name.orElse(null));
            for (CustomerJob job : jobs) {
                StoreSql.insertJob(c, job.id(), phone, job.service(), job.description(), job.status(), job.doneOn().orElse(null));
                if (job.date().isPresent() && job.window().isPresent()) {
                    if (!StoreSql.takeSlot(c, job.id(), job.date().get(), job.window().get(), Integer.MAX_VALUE)) {
                        throw new SQLException("cannot seed booking of " + job.id());
                    }
                }
            }
            return null;
        });
    }

    /** Marks every arrival window of that day as fully booked (the business's own calendar). */
    public void seedCalendarFull(LocalDate day, BusinessProfile business) {
        inTransaction(c -> {
            for (ArrivalWindow w : business.windowsOn(day)) {
                while (StoreSql.takeSlot(c, null, day, w, business.jobsPerWindow())) {
                    // fill every remaining place
                }
            }
            return null;
        });
    }

    public void replaceOnCallRoster(List<OnCallPerson> roster) {
        inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM agent_on_call");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO agent_on_call (roster_order, name, phone) VALUES (?, ?, ?)")) {
                for (int i = 0; i < roster.size(); i++) {
                    ps.setInt(1, i);
                    ps.setString(2, roster.get(i).name());
                    ps.setString(3, roster.get(i).phone());
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    public List<OnCallPerson> onCallRoster() {
        return inTransaction(StoreSql::onCallRoster);
    }

    /** Keeps the SMS thread that led to a call; returns the thread id. */
    public long recordSmsThread(String customerPhone, String callId, List<SmsMessage> thread) {
        return inTransaction(c -> {
            StoreSql.upsertCustomer(c, customerPhone, null);
            long threadId;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO agent_sms_thread (customer_phone, call_id) VALUES (?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, customerPhone);
                ps.setString(2, callId);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    threadId = keys.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO agent_sms_message (thread_id, direction, sent_at, body) VALUES (?, ?, ?, ?)")) {
                for (SmsMessage m : thread) {
                    ps.setLong(1, threadId);
                    ps.setString(2, m.direction().name());
                    ps.setTimestamp(3, Timestamp.valueOf(m.at()));
                    ps.setString(4, m.text());
                    ps.executeUpdate();
                }
            }
            return threadId;
        });
    }

    public Optional<String> customerName(String phone) {
        return inTransaction(c -> StoreSql.customerName(c, phone));
    }

    public List<CustomerJob> jobs(String customerPhone) {
        return inTransaction(c -> StoreSql.jobs(c, customerPhone));
    }

    public int bookedCount(LocalDate date, ArrivalWindow window) {
        return inTransaction(c -> StoreSql.bookedCount(c, date, window));
    }

    /** Occupied places per window start on one day. */
    public Map<LocalTime, Integer> bookedCounts(LocalDate date) {
        return inTransaction(c -> StoreSql.bookedCounts(c, date));
    }

    // --- owner messages, callbacks, tool log ---

    public OwnerMessage createMessageForOwner(String customerPhone, String about, String text, String reason) {
        return inTransaction(c -> insertOwnerMessage(c, customerPhone, about, text, reason));
    }

    /** The same insert on the caller's transaction (used by the create_message_for_owner tool). */
    public static OwnerMessage insertOwnerMessage(Connection c, String customerPhone, String about, String text, String reason)
            throws SQLException {
        Instant now = Instant.now();
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO agent_owner_message (customer_phone, about, body, reason, created_at) VALUES (?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, customerPhone);
            ps.setString(2, about);
            ps.setString(3, text);
            ps.setString(4, reason);
            ps.setObject(5, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return new OwnerMessage(keys.getLong(1), customerPhone, about, text, reason, now);
            }
        }
    }

    public List<OwnerMessage> messages() {
        return inTransaction(c -> {
            List<OwnerMessage> list = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, customer_phone, about, body, reason, created_at FROM agent_owner_message ORDER BY id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(new OwnerMessage(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getObject(6, OffsetDateTime.class).toInstant()));
                }
            }
            return list;
        });
    }

    public List<ScheduledCallback> callbacks() {
        return inTransaction(c -> {
            List<ScheduledCallback> list = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, customer_phone, call_at, note FROM agent_scheduled_callback ORDER BY id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(new ScheduledCallback(rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toLocalDateTime(), rs.getString(4)));
                }
            }
            return list;
        });
    }

    public List<ToolLogEntry> toolLog(String callId) {
        return inTransaction(c -> {
            List<ToolLogEntry> list = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT idempotency_key, call_id, turn, tool, args_json, result_json, ok, duration_micros, logged_at
                    FROM agent_tool_call WHERE call_id = ? ORDER BY log_order""")) {
                ps.setString(1, callId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        list.add(new ToolLogEntry(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getString(5),
                                rs.getString(6), rs.getBoolean(7), rs.getLong(8), rs.getObject(9, OffsetDateTime.class).toInstant()));
                    }
                }
            }
            return list;
        });
    }
}
