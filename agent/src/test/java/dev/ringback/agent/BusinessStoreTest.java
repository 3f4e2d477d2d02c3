package dev.ringback.agent;

import com.zaxxer.hikari.HikariDataSource;
import dev.ringback.agent.business.ArrivalWindow;
import dev.ringback.agent.business.BusinessProfile;
import dev.ringback.agent.business.CustomerJob;
import dev.ringback.agent.business.OwnerMessage;
import dev.ringback.agent.store.BusinessStore;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BusinessStoreTest {

    @Test
    void migratesBesideTheServersTablesWithItsOwnHistory() throws SQLException {
        try (HikariDataSource db = TestDatabase.fresh(); Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE callback_request (id BIGINT PRIMARY KEY, body VARCHAR(100))");
            s.execute("CREATE TABLE call (id VARCHAR(40) PRIMARY KEY)");
            s.execute("CREATE TABLE call_turn (id BIGINT PRIMARY KEY)");
            s.execute("INSERT INTO callback_request VALUES (1, 'call me')");
            new BusinessStore(db);
            new BusinessStore(db); // a second start finds nothing to do
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM \"agent_schema_history\" WHERE \"success\"")) {
                rs.next();
                assertTrue(rs.getInt(1) >= 1);
            }
            try (ResultSet rs = s.executeQuery("SELECT body FROM callback_request")) {
                rs.next();
                assertEquals("call me", rs.getString(1));
            }
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM agent_tool_call")) {
                rs.next();
                assertEquals(0, rs.getInt(1));
            }
        }
    }

    @Test
    void ownerMessagesAndCallbacksAreReadable() {
        try (HikariDataSource db = TestDatabase.fresh()) {
            BusinessStore store = new BusinessStore(db);
            OwnerMessage m = store.createMessageForOwner("+61412000111", "general", "Call failed: no answer", "call failed");
            List<OwnerMessage> messages = store.messages();
            assertEquals(1, messages.size());
            assertEquals(m.id(), messages.get(0).id());
            assertEquals("Call failed: no answer", messages.get(0).text());
            assertTrue(store.callbacks().isEmpty());
        }
    }

    @Test
    void aFullCalendarDayHasNoFreePlace() {
        try (HikariDataSource db = TestDatabase.fresh()) {
            BusinessStore store = new BusinessStore(db);
            BusinessProfile business = ScenarioFiles.business();
            LocalDate day = LocalDate.of(2026, 12, 2);
            store.seedCalendarFull(day, business);
            for (ArrivalWindow w : business.windowsOn(day)) assertEquals(business.jobsPerWindow(), store.bookedCount(day, w));
            assertEquals(0, store.bookedCount(day.plusDays(1), business.arrivalWindows().get(0)));
        }
    }

    @Test
    void seededJobsComeBackWithTheirBooking() {
        try (HikariDataSource db = TestDatabase.fresh()) {
            BusinessStore store = new BusinessStore(db);
            ArrivalWindow w = ArrivalWindow.parse("09:00-11:00");
            store.seedCustomer("+61412000222", Optional.of("Priya Raman"), List.of(new CustomerJob("J-1042", "+61412000222", "hot-water",
                    "hot water", CustomerJob.Status.BOOKED, Optional.of(LocalDate.of(2026, 12, 2)), Optional.of(w), Optional.empty())));
            CustomerJob job = store.jobs("+61412000222").get(0);
            assertTrue(job.isBooked());
            assertEquals(Optional.of(w), job.window());
            assertEquals(Optional.of("Priya Raman"), store.customerName("+61412000222"));
        }
    }
}
