package dev.ringback.agent;

import dev.ringback.agent.scenario.CustomerGoal;
import dev.ringback.agent.scenario.InvalidScenarioException;
import dev.ringback.agent.scenario.Scenario;
import dev.ringback.agent.scenario.ScenarioConversation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading the scenario format: the customer goal, and errors that name the file and the key. */
class ScenarioLoadTest {
    private static final Path BOOK_TOILET = ScenarioFiles.scenarioDir().resolve("01-book-toilet.yaml");
    private static final String GOAL = """
            customer_goal:          # the simulated customer holds the agent to this (see README)
              accepts: {date: 2026-12-03, window_starts_before: "12:00"}
              refuse_offer: "No, not then. Thursday morning, please."
            """;

    @Test
    void theCustomerGoalIsReadWithWhatTheCustomerTakes() {
        CustomerGoal goal = ScenarioConversation.load(BOOK_TOILET).customerGoal().orElseThrow();
        assertEquals(new CustomerGoal.AcceptedTime(Optional.of(LocalDate.of(2026, 12, 3)), Optional.of(LocalTime.NOON), Optional.empty()),
                goal.accepts());
        assertEquals("No, not then. Thursday morning, please.", goal.refuseOffer());
        assertTrue(goal.takes(LocalDate.of(2026, 12, 3), LocalTime.of(7, 0)));
        assertTrue(goal.takes(LocalDate.of(2026, 12, 3), LocalTime.of(11, 0)));
        assertFalse(goal.takes(LocalDate.of(2026, 12, 3), LocalTime.of(13, 0)));
        assertFalse(goal.takes(LocalDate.of(2026, 12, 2), LocalTime.of(7, 0)));
    }

    @Test
    void anAfternoonGoalTakesWindowsFromItsStart() {
        CustomerGoal goal = ScenarioConversation.load(ScenarioFiles.scenarioDir().resolve("02-reschedule.yaml")).customerGoal().orElseThrow();
        assertTrue(goal.takes(LocalDate.of(2026, 12, 4), LocalTime.NOON));
        assertFalse(goal.takes(LocalDate.of(2026, 12, 4), LocalTime.of(11, 0)));
    }

    @Test
    void aScenarioWithoutAGoalHasNone() {
        Scenario s = ScenarioConversation.load(ScenarioFiles.scenarioDir().resolve("03-cancel.yaml"));
        assertEquals(Optional.empty(), s.customerGoal());
    }

    @Test
    void badGoalsNameTheKey(@TempDir Path dir) throws IOException {
        String good = Files.readString(BOOK_TOILET);
        assertTrue(good.contains(GOAL), "the test edits the goal of " + BOOK_TOILET);
        assertError(dir, good.replace("date: 2026-12-03, window", "date: thursday, window"), "customer_goal.accepts.date");
        assertError(dir, good.replace("date: 2026-12-03, window", "date: 2026-11-30, window"), "customer_goal.accepts.date");
        assertError(dir, good.replace("window_starts_before: \"12:00\"", "window_starts_before: noon"), "customer_goal.accepts.window_starts_before");
        assertError(dir, good.replace("window_starts_before", "window_before"), "customer_goal.accepts.window_before");
        assertError(dir, good.replace("window_starts_before: \"12:00\"", "window_starts_before: \"09:00\", window_starts_at_or_after: \"13:00\""),
                "customer_goal.accepts");
        assertError(dir, good.replace("  accepts: {date: 2026-12-03, window_starts_before: \"12:00\"}\n", ""), "customer_goal.accepts");
        assertError(dir, good.replace("{date: 2026-12-03, window_starts_before: \"12:00\"}", "{}"), "customer_goal.accepts");
        assertError(dir, good.replace("  refuse_offer: \"No, not then. Thursday morning, please.\"\n", ""), "customer_goal.refuse_offer");
        assertError(dir, good.replace("refuse_offer: \"No, not then. Thursday morning, please.\"", "refuse_offer: \"  \""), "customer_goal.refuse_offer");
        assertError(dir, good.replace("refuse_offer:", "refuse:"), "customer_goal.refuse");
        assertError(dir, good.replace(GOAL, "customer_goal: Thursday morning\n"), "customer_goal");
    }

    private static void assertError(Path dir, String yaml, String key) throws IOException {
        Path file = dir.resolve("bad-" + Integer.toHexString(yaml.hashCode()) + ".yaml");
        Files.writeString(file, yaml);
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class, () -> ScenarioConversation.load(file));
        assertTrue(e.getMessage().startsWith(file + ": " + key + ": "), e.getMessage());
    }
}
