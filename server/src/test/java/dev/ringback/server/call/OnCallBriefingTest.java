package dev.ringback.server.call;

import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OnCallBriefingTest {
    private static final ZonedDateTime TEXTED = ZonedDateTime.of(2026, 12, 1, 23, 13, 0, 0, ZoneId.of("Australia/Sydney"));

    @Test
    void saysWhoWhatAndWhenInOneSentence() {
        var briefing = new OnCallBriefing(Optional.of("Luke Harris"), "+61412000555",
                "burst pipe after hours. Customer said: Pipe burst under the kitchen sink, water everywhere!! Please call asap",
                Optional.of(TEXTED));
        assertEquals("Ringback emergency transfer: Luke Harris on plus 6 1, 4 1 2, 0 0 0, 5 5 5, burst pipe after hours,"
                + " texted at 11:13 PM. Connecting you now.", briefing.sentence());
    }

    @Test
    void unknownCallerAndNoTextStillMakeASentence() {
        var briefing = new OnCallBriefing(Optional.empty(), "+61412000555", "", Optional.empty());
        assertEquals("Ringback emergency transfer: a caller on plus 6 1, 4 1 2, 0 0 0, 5 5 5. Connecting you now.", briefing.sentence());
    }

    @Test
    void shoutingIsToneDownAndLongReasonsAreCutAtAWord() {
        assertEquals("Water everywhere", OnCallBriefing.firstSentence("Water everywhere!! Please call"));
        String text = "word ".repeat(60);
        String first = OnCallBriefing.firstSentence(text);
        assertEquals(true, first.length() <= 80 && first.endsWith("word"), first);
    }
}
