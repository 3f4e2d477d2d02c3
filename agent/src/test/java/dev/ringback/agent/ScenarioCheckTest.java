package dev.ringback.agent;

import dev.ringback.agent.business.BusinessProfile;
import dev.ringback.agent.scenario.ConversationResult;
import dev.ringback.agent.scenario.Scenario;
import dev.ringback.agent.scenario.ScenarioCheck;
import dev.ringback.agent.scenario.ScenarioCheck.Part;
import dev.ringback.agent.scenario.ScenarioConversation;
import dev.ringback.agent.tools.ToolCallRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scorer on hand-written transcripts of 01-book-toilet: one that passes, and one per way to fail. */
class ScenarioCheckTest {
    private static final String OPENING = "Hi Dana, this is the AI assistant for Harbour Plumbing. This call is recorded. "
            + "You texted us about your toilet that keeps running. How can I help?";
    private static final String OFFER = "I can have someone there Thursday the third, between seven and nine in the morning. Would you like me to book that?";

    private final BusinessProfile business = ScenarioFiles.business();
    private final ScenarioCheck check = new ScenarioCheck(business);
    private final Scenario booking = ScenarioConversation.load(ScenarioFiles.scenarioDir().resolve("01-book-toilet.yaml"));

    private static ToolCallRecord call(String tool, Map<String, Object> args) {
        return new ToolCallRecord(tool, args, Map.of("ok", true), tool + "-key", 10);
    }

    private static final ToolCallRecord CREATE = call("create_job", Map.of("customer_phone", "+61412000111", "service", "toilet",
            "description", "toilet keeps running"));
    private static final ToolCallRecord BOOK = call("book_job_time", Map.of("job_id", "J-1", "date", "2026-12-03",
            "window_start", "07:00", "window_end", "09:00"));

    private static ConversationResult result(List<String> agentTurns, List<ToolCallRecord> calls, String outcome) {
        List<ConversationResult.Turn> turns = new ArrayList<>();
        for (String text : agentTurns) {
            if (!turns.isEmpty()) turns.add(new ConversationResult.Turn("customer", "yes"));
            turns.add(new ConversationResult.Turn("agent", text));
        }
        return new ConversationResult("01-book-toilet", turns, calls, outcome, 0);
    }

    private List<Part> parts(ConversationResult r) {
        return check.check(booking, r).stream().map(ScenarioCheck.Failure::part).toList();
    }

    @Test
    void aConversationThatKeepsTheContractPasses() {
        ConversationResult r = result(List.of(OPENING, OFFER, "You're booked in for Thursday the third. Is there anything else I can help with?"),
                List.of(call("lookup_customer_history", Map.of()), CREATE, BOOK), "booked");
        assertEquals(List.of(), check.check(booking, r));
    }

    @Test
    void anOpeningWithoutTheDisclosuresFails() {
        List<ScenarioCheck.Failure> failures = check.check(booking,
                result(List.of("Hi Dana, it's Harbour Plumbing about your toilet. How can I help?"), List.of(CREATE, BOOK), "booked"));
        assertEquals(List.of(Part.OPENING, Part.OPENING, Part.OPENING), failures.stream().map(ScenarioCheck.Failure::part).toList(), failures.toString());
        assertTrue(failures.get(0).toString().startsWith("opening: does not mention ai"), failures.toString());
    }

    @Test
    void aColdOpenerFailsTheOpening() {
        assertEquals(List.of(Part.OPENING, Part.NEVER), parts(result(List.of(OPENING + " Is this a good time?"), List.of(CREATE, BOOK), "booked")));
    }

    @Test
    void aBookingOutsideTheExpectedWindowIsMissingAndUnexpected() {
        ToolCallRecord afternoon = call("book_job_time", Map.of("job_id", "J-1", "date", "2026-12-03", "window_start", "13:00", "window_end", "15:00"));
        assertEquals(List.of(Part.TOOLS, Part.TOOLS), parts(result(List.of(OPENING), List.of(CREATE, afternoon), "booked")));
    }

    @Test
    void toolsOutOfOrderFail() {
        assertTrue(parts(result(List.of(OPENING), List.of(BOOK, CREATE), "booked")).contains(Part.TOOLS));
    }

    @Test
    void aWrongOutcomeFails() {
        assertEquals(List.of(Part.OUTCOME), parts(result(List.of(OPENING), List.of(CREATE, BOOK), "message_taken")));
    }

    @Test
    void aBannedToolFails() {
        Scenario cancel = ScenarioConversation.load(ScenarioFiles.scenarioDir().resolve("03-cancel.yaml"));
        ConversationResult r = new ConversationResult("03-cancel", List.of(new ConversationResult.Turn("agent",
                "Hi Tom, this is the AI assistant for Harbour Plumbing. This call is recorded. You texted us about Friday's drain job.")),
                List.of(call("cancel_job_booking", Map.of("job_id", "J-1077")), CREATE), "cancelled", 0);
        List<Part> parts = check.check(cancel, r).stream().map(ScenarioCheck.Failure::part).toList();
        assertTrue(parts.contains(Part.NO_TOOLS), parts.toString());
    }

    @Test
    void everyNeverRuleIsCheckedOnEveryAgentTurn() {
        for (String bad : List.of("That usually costs about three hundred.", "What's the best number to reach you on?",
                "You'd be keen to lock that in.", "I can also book someone for your hot water system.",
                "We could install a modern one.")) {
            assertEquals(List.of(Part.NEVER), parts(result(List.of(OPENING, bad), List.of(CREATE, BOOK), "booked")), bad);
        }
    }

    @Test
    void digitsAndLongSentencesAreNotSpeakable() {
        assertEquals(List.of(Part.SPEAKABLE), parts(result(List.of(OPENING, "Someone can come at 9am."), List.of(CREATE, BOOK), "booked")));
        String long31 = "one ".repeat(30) + "two.";
        assertEquals(List.of(Part.SPEAKABLE), parts(result(List.of(OPENING, long31), List.of(CREATE, BOOK), "booked")));
    }
}
