package dev.ringback.agent;

import dev.ringback.agent.business.ArrivalWindow;
import dev.ringback.agent.business.BusinessProfile;
import dev.ringback.agent.business.InvalidBusinessProfileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BusinessProfileTest {
    private static final Path DEMO = ScenarioFiles.businessFile();

    @Test
    void theDemoBusinessLoads() {
        BusinessProfile b = BusinessProfile.load(DEMO);
        assertEquals("Harbour Plumbing", b.name());
        assertEquals(ZoneId.of("Australia/Sydney"), b.timezone());
        assertEquals(21, b.horizonDays());
        assertEquals(2, b.jobsPerWindow());
        assertEquals(5, b.arrivalWindows().size());
        assertEquals(6, b.services().size());
        assertTrue(b.service("burst-pipe").orElseThrow().emergency());
        assertEquals("+61400000999", b.onCall().get(0).phone());
        assertTrue(b.recordingDisclosure());
    }

    @Test
    void hoursDecideAfterHoursAndWhichWindowsADayHas() {
        BusinessProfile b = BusinessProfile.load(DEMO);
        assertTrue(b.isOpenAt(LocalDateTime.of(2026, 12, 1, 9, 10)));
        assertFalse(b.isOpenAt(LocalDateTime.of(2026, 12, 1, 23, 14)));
        assertFalse(b.isOpenAt(LocalDateTime.of(2026, 12, 1, 17, 0)));
        assertTrue(b.hoursOn(DayOfWeek.SUNDAY).isEmpty());
        assertEquals(List.of(new ArrivalWindow(LocalTime.of(9, 0), LocalTime.of(11, 0))), b.windowsOn(LocalDate.of(2026, 12, 5)));
        assertTrue(b.windowsOn(LocalDate.of(2026, 12, 6)).isEmpty());
    }

    @Test
    void errorsNameTheFileAndTheKey(@TempDir Path dir) throws IOException {
        String good = Files.readString(DEMO);
        assertError(dir, good.replace("timezone: Australia/Sydney", "timezone: Mars/Olympus"), "timezone");
        assertError(dir, good.replace("\"09:00-11:00\"", "\"9am-11am\""), "booking.arrival_windows[1]");
        assertError(dir, good.replace("jobs_per_window: 2", "jobs_per_window: none"), "booking.jobs_per_window");
        assertError(dir, good.replace("sat: \"08:00-12:00\"", "caturday: \"08:00-12:00\""), "hours.caturday");
        assertError(dir, good.replace("phone: \"+61400000999\"", "phone: \"0400 000 999\""), "on_call[0].phone");
        assertError(dir, good.replace("timezone: Australia/Sydney\n", ""), "timezone");
    }

    private static void assertError(Path dir, String yaml, String key) throws IOException {
        Path file = dir.resolve("bad-" + Math.abs(yaml.hashCode()) + ".yaml");
        Files.writeString(file, yaml);
        InvalidBusinessProfileException e = assertThrows(InvalidBusinessProfileException.class, () -> BusinessProfile.load(file));
        assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
        assertEquals(key, e.key(), e.getMessage());
    }
}
