package dev.ringback.agent;

import dev.ringback.agent.policy.PolicyRule;
import dev.ringback.agent.policy.SentencePolicy;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SentencePolicyTest {
    private final SentencePolicy policy = new SentencePolicy(ScenarioFiles.business().services());
    private static final String SAID = "our toilet keeps running, can you call me";
    private static final Set<String> KNOWN = Set.of("toilet");

    private Optional<PolicyRule> check(String sentence) {
        return policy.violation(sentence, SAID, KNOWN);
    }

    @Test
    void blocksPricesRatesAndEstimates() {
        for (String s : new String[] {"That usually costs about three hundred dollars.", "It's $250 plus parts.", "We charge 120 per hour.",
                "The call out fee is small.", "A ballpark figure is a few hundred.", "It runs around 400."}) {
            assertEquals(Optional.of(PolicyRule.PRICE), check(s), s);
        }
    }

    @Test
    void blocksColdOpenersPressureAndAskingForTheNumber() {
        assertEquals(Optional.of(PolicyRule.COLD_OPEN), check("Is this a good time to talk?"));
        assertEquals(Optional.of(PolicyRule.COLD_OPEN), check("Have you got a minute?"));
        assertEquals(Optional.of(PolicyRule.PUSH), check("Are you keen to go ahead?"));
        assertEquals(Optional.of(PolicyRule.PUSH), check("Slots are filling up, so let's lock it in."));
        assertEquals(Optional.of(PolicyRule.ASK_NUMBER), check("What's the best number to reach you on?"));
        assertEquals(Optional.of(PolicyRule.ASK_NUMBER), check("Can I get your mobile number?"));
    }

    @Test
    void blocksWorkTheCustomerDidNotMention() {
        assertEquals(Optional.of(PolicyRule.INVENT_SCOPE), check("We can also look at your hot water system."));
        assertEquals(Optional.of(PolicyRule.INVENT_SCOPE), check("We'll replace the toilet."));
        assertEquals(Optional.of(PolicyRule.INVENT_SCOPE), check("Shall we clear the blocked drain too?"));
    }

    @Test
    void letsTheAgentsOwnSentencesThrough() {
        for (String s : new String[] {"Hi Dana, this is the AI assistant for Harbour Plumbing.", "This call is recorded.",
                "You texted us about your toilet that keeps running.", "I'm not able to give prices over the phone.",
                "Sorry, I can't give a figure, even a rough one.", "Would you like me to book that?",
                "I can have someone there Thursday the third, between seven and nine in the morning.",
                "We'll call you on the number you texted from.", "Is there anything else I can help with?"}) {
            assertEquals(Optional.empty(), check(s), s);
        }
    }
}
