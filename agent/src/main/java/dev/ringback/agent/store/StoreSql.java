package dev.ringback.agent.store;

import dev.ringback.agent.business.ArrivalWindow;
import dev.ringback.agent.business.CustomerJob;
import dev.ringback.agent.business.OnCallPerson;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Time;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.time.LocalDate;

/** The statements shared by the store facade and the tools, each on a caller's connection (the caller owns the transaction). */
public final class StoreSql {
    private StoreSql() {}

    /** SQLState of a unique-key violation, and H2's codes for "another transaction holds that key". */
    public static boolean isKeyConflict(SQLException e) {
        return "23505".equals(e.getSQLState()) || e.getErrorCode() == 90131 || e.getErrorCode() == 50200;
    }

    public static void upsertCustomer(Connection c, String phone, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "MERGE INTO agent_customer (phone, name) KEY (phone) VALUES (?, COALESCE(?, (SELECT name FROM agent_customer WHERE phone = ?)))")) {
            ps.setString(1, phone);
            ps.setString(2, name);
            ps.setString(3, phone);
            ps.executeUpdate();
        }
    }

    public static Optional<String> customerName(Connection c, String phone) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT name FROM agent_customer WHERE phone = ?")) {
            ps.setString(1, phone);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        }
    }

    public static String nextJobId(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT NEXT VALUE FOR agent_job_number");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return "J-" + rs.getLong(1);
        }
    }

    public static void insertJob(Connection c, String id, String phone, String service, String description,
                                 CustomerJob.Status status, LocalDate doneOn) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO agent_job (id, customer_phone, service, description, status, done_on) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, phone);
            ps.setString(3, service);
            ps.setString(4, description);
            ps.setString(5, status.name());
            ps.setDate(6, doneOn == null ? null : Date.valueOf(doneOn));
            ps.executeUpdate();
        }
    }

    public static void setJobStatus(Connection c, String jobId, CustomerJob.Status status) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE agent_job SET status = ? WHERE id = ?")) {
            ps.setString(1, status.name());
            ps.setString(2, jobId);
            ps.executeUpdate();
        }
    }

    public static List<CustomerJob> jobs(Connection c, String phone) throws SQLException {
        List<CustomerJob> jobs = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT j.id, j.customer_phone, j.service, j.description, j.status, j.done_on, b.visit_date, b.window_start, b.window_end
                FROM agent_job j LEFT JOIN agent_booking b ON b.job_id = j.id
                WHERE j.customer_phone = ? ORDER BY j.id""")) {
            ps.setString(1, phone);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Date done = rs.getDate(6);
                    Date visit = rs.getDate(7);
                    Optional<ArrivalWindow> window = visit == null ? Optional.empty()
                            : Optional.of(new ArrivalWindow(rs.getTime(8).toLocalTime(), rs.getTime(9).toLocalTime()));
                    jobs.add(new CustomerJob(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            CustomerJob.Status.valueOf(rs.getString(5)),
                            Optional.ofNullable(visit).map(Date::toLocalDate), window, Optional.ofNullable(done).map(Date::toLocalDate)));
                }
            }
        }
        return jobs;
    }

    public static int bookedCount(Connection c, LocalDate date, ArrivalWindow window) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM agent_booking WHERE visit_date = ? AND window_start = ?")) {
            ps.setDate(1, Date.valueOf(date));
            ps.setTime(2, Time.valueOf(window.start()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Occupied places per window start on one day, in one query. */
    public static Map<LocalTime, Integer> bookedCounts(Connection c, LocalDate date) throws SQLException {
        Map<LocalTime, Integer> counts = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT window_start, COUNT(*) FROM agent_booking WHERE visit_date = ? GROUP BY window_start")) {
            ps.setDate(1, Date.valueOf(date));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) counts.put(rs.getTime(1).toLocalTime(), rs.getInt(2));
            }
        }
        return counts;
    }

    /**
     * Takes a free place in the window for the job (or a calendar block when jobId is null). The unique
     * (date, window, slot) key makes two concurrent bookings of the last place collide in the database,
     * so capacity holds without application locks. Returns false when the window is full.
     */
    public static boolean takeSlot(Connection c, String jobId, LocalDate date, ArrivalWindow window, int capacity) throws SQLException {
        for (int attempt = 0; attempt < 8; attempt++) {
            List<Integer> used = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT slot FROM agent_booking WHERE visit_date = ? AND window_start = ?")) {
                ps.setDate(1, Date.valueOf(date));
                ps.setTime(2, Time.valueOf(window.start()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) used.add(rs.getInt(1));
                }
            }
            int slot = 1;
            while (used.contains(slot)) slot++;
            if (slot > capacity) return false;
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO agent_booking (job_id, visit_date, window_start, window_end, slot) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, jobId);
                ps.setDate(2, Date.valueOf(date));
                ps.setTime(3, Time.valueOf(window.start()));
                ps.setTime(4, Time.valueOf(window.end()));
                ps.setInt(5, slot);
                ps.executeUpdate();
                return true;
            } catch (SQLException e) {
                if (!isKeyConflict(e)) throw e;
                // someone took that place a moment ago: look again
            }
        }
        return false;
    }

    public static void releaseSlot(Connection c, String jobId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM agent_booking WHERE job_id = ?")) {
            ps.setString(1, jobId);
            ps.executeUpdate();
        }
    }

    public static List<OnCallPerson> onCallRoster(Connection c) throws SQLException {
        List<OnCallPerson> roster = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name, phone FROM agent_on_call ORDER BY roster_order");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) roster.add(new OnCallPerson(rs.getString(1), rs.getString(2)));
        }
        return roster;
    }
}
