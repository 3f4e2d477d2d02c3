package dev.ringback.speech.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringback.speech.asr.Expectation.Kind;
import org.junit.jupiter.api.Test;

class CompleteAnswerTest {

    @Test
    void aGreetingOrAFillerAloneNeverEndsTheTurnEarly() {
        for (String preamble : new String[] {"hi yes", "hello", "oh hi", "um", "yeah so", "hi", "yes hi", "oh hello yes speaking"}) {
            for (Kind kind : Kind.values()) {
                assertFalse(CompleteAnswer.looksComplete(preamble, kind), preamble + " after a " + kind + " question");
            }
        }
    }

    @Test
    void aPhraseLeftHangingWaitsForTheFullHangover() {
        assertFalse(CompleteAnswer.looksComplete("could someone come out on", Kind.OPEN));
        assertFalse(CompleteAnswer.looksComplete("so the", Kind.OPEN));
        assertFalse(CompleteAnswer.looksComplete("thursday and", Kind.WHEN));
        assertFalse(CompleteAnswer.looksComplete("yep that's", Kind.YES_NO), "a contraction that needs its complement");
        assertFalse(CompleteAnswer.looksComplete("no i've", Kind.YES_NO));
    }

    @Test
    void aPlainYesOrNoIsCompleteOnlyWhenThatWasAsked() {
        assertTrue(CompleteAnswer.looksComplete("yes", Kind.YES_NO));
        assertEquals(CompleteAnswer.Completeness.PLAIN_ANSWER, CompleteAnswer.judge("yep", Kind.YES_NO), "a lone yes waits a little longer");
        assertEquals(CompleteAnswer.Completeness.COMPLETE, CompleteAnswer.judge("yep that works", Kind.YES_NO));
        assertTrue(CompleteAnswer.looksComplete("no thanks", Kind.ANYTHING_ELSE));
        assertTrue(CompleteAnswer.looksComplete("yeah", Kind.YES_NO));
        assertFalse(CompleteAnswer.looksComplete("yes", Kind.OPEN), "\"yes\" to \"how can I help?\" is the start of an answer");
        assertFalse(CompleteAnswer.looksComplete("yeah", Kind.WHEN));
    }

    @Test
    void anAnswerWithContentIsComplete() {
        assertTrue(CompleteAnswer.looksComplete("thursday morning", Kind.WHEN));
        assertTrue(CompleteAnswer.looksComplete("hi yes could someone come out on thursday morning", Kind.OPEN));
        assertTrue(CompleteAnswer.looksComplete("yes that works", Kind.YES_NO));
        assertTrue(CompleteAnswer.looksComplete("the second one", Kind.CHOICE));
    }
}
