package dev.ringback.server.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import dev.ringback.agent.scenario.CustomerGoal;
import org.junit.jupiter.api.Test;

/** The simulated customer's rules (the scenarios README), on agent sentences as a caller hears them. */
class CustomerScriptTest {
    private static final String REFUSE = "No, not then. Thursday morning, please.";

    private static CustomerScript script(CustomerScript.Line... lines) {
        var goal = new CustomerGoal(new CustomerGoal.AcceptedTime(Optional.of(LocalDate.of(2026, 12, 3)), Optional.of(LocalTime.NOON), Optional.empty()), REFUSE);
        return new CustomerScript(List.of(lines), Optional.of(goal), new OfferReader(LocalDateTime.of(2026, 12, 1, 9, 10)));
    }

    private static String reply(CustomerScript s, String... agent) {
        for (String a : agent) s.agentSaid(a);
        return s.reply().orElseThrow().line().text();
    }

    @Test
    void itSpeaksItsLinesInOrderAndSaysByeWhenTheyRunOut() {
        CustomerScript s = script(CustomerScript.Line.of("Hi, yes."), CustomerScript.Line.of("Thanks."));
        assertEquals("Hi, yes.", reply(s, "Hi Dana, this is the AI assistant for Harbour Plumbing.", "How can I help?"));
        assertEquals("Thanks.", reply(s, "Sure."));
        assertEquals(CustomerScript.BYE, reply(s, "Is there anything else I can help with?"));
        assertTrue(s.finished());
        assertTrue(s.reply().isEmpty(), "nothing after the goodbye");
    }

    @Test
    void itSaysItsLineAgainWhenTheAgentDidNotCatchItAtMostTwiceInARow() {
        CustomerScript s = script(CustomerScript.Line.of("Thursday morning."), CustomerScript.Line.of("Yes."));
        reply(s, "What day would suit you?");
        assertEquals("Thursday morning.", reply(s, "Sorry, I didn't quite catch that."));
        assertEquals("Thursday morning.", reply(s, "Sorry, could you say that again?"));
        assertEquals("Yes.", reply(s, "Sorry, I'm having trouble understanding."), "then it moves on");
        assertEquals(2, s.repeats());
    }

    @Test
    void itRefusesATimeOutsideItsGoalFromTheAgentsWordsAtMostTwice() {
        CustomerScript s = script(CustomerScript.Line.of("Could someone come out on Thursday morning?"), CustomerScript.Line.of("Yes, that works."));
        reply(s, "How can I help?");
        assertEquals(REFUSE, reply(s, "I can have someone there today, between nine and eleven in the morning.", "Would you like me to book that?"));
        assertEquals(REFUSE, reply(s, "I can have someone there Thursday the third, between one and three in the afternoon.", "Would you like me to book that?"));
        assertEquals("Yes, that works.", reply(s, "I can have someone there Friday the fourth, between nine and eleven in the morning."),
                "after two refusals it carries on with its lines");
        assertEquals(2, s.refusals());
    }

    @Test
    void aTimeWithinItsGoalGetsTheNextLine() {
        CustomerScript s = script(CustomerScript.Line.of("Thursday morning."), CustomerScript.Line.of("Yes, that works."));
        reply(s, "What day would suit you?");
        assertEquals("Yes, that works.", reply(s, "I can have someone there Thursday the third, between seven and nine in the morning.",
                "Would you like me to book that?"));
        assertEquals(0, s.refusals());
    }

    @Test
    void aBargeInLineWaitsForTheAgentsTurnNotForItsEnd() {
        CustomerScript s = script(new CustomerScript.Line("Yeah yeah, no hot water.", OptionalLong.of(1500)), CustomerScript.Line.of("Yes."));
        assertTrue(s.pendingBargeIn().isPresent());
        assertEquals("Yeah yeah, no hot water.", s.bargeIn().line().text());
        assertFalse(s.pendingBargeIn().isPresent(), "the next line waits for the agent's turn to end");
    }

    @Test
    void aQuestionHandsTheTurnOverAndAStatementDoesNot() {
        CustomerScript s = script(CustomerScript.Line.of("Hello."));
        s.agentSaid("Thanks, Dana.");
        assertFalse(s.agentInvitedAnswer());
        s.agentSaid("Is there anything else I can help with?");
        assertTrue(s.agentInvitedAnswer());
    }
}
