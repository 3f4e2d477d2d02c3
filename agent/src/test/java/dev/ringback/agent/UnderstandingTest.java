package dev.ringback.agent;

import dev.ringback.agent.language.DayPart;
import dev.ringback.agent.language.Signal;
import dev.ringback.agent.language.Utterance;
import dev.ringback.agent.language.UtteranceParser;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Understanding, relative to an SMS on Tuesday 1 December 2026 at 09:10 (business-local). */
class UnderstandingTest {
    private final UtteranceParser parser = new UtteranceParser(ScenarioFiles.business(),
            LocalDateTime.of(2026, 12, 1, 9, 10));

    @Test
    void datesAndTimesAreRelativeToTheSms() {
        assertWhen("Could someone come out on Thursday morning?", LocalDate.of(2026, 12, 3), DayPart.MORNING, null);
        assertWhen("tomorrow at three", LocalDate.of(2026, 12, 2), DayPart.AFTERNOON, LocalTime.of(15, 0));
        assertWhen("first thing Friday", LocalDate.of(2026, 12, 4), DayPart.FIRST_THING, null);
        assertWhen("this afternoon", LocalDate.of(2026, 12, 1), DayPart.AFTERNOON, null);
        assertWhen("this arvo", LocalDate.of(2026, 12, 1), DayPart.AFTERNOON, null);
        assertWhen("next tuesday", LocalDate.of(2026, 12, 8), DayPart.ANY, null);
        assertWhen("the 3rd", LocalDate.of(2026, 12, 3), DayPart.ANY, null);
        assertWhen("on the twenty first of december", LocalDate.of(2026, 12, 21), DayPart.ANY, null);
        assertWhen("half past two", null, DayPart.AFTERNOON, LocalTime.of(14, 30));
        assertWhen("around 10:30 am", null, DayPart.MORNING, LocalTime.of(10, 30));
        assertWhen("day after tomorrow", LocalDate.of(2026, 12, 3), DayPart.ANY, null);
        assertEquals(Optional.of(Duration.ofMinutes(20)), parser.parse("call me back in twenty minutes").when().fromNow());
    }

    @Test
    void recogniserSlipsStillMeanTheSameDay() {
        assertWhen("could someone come out on thirsday morning", LocalDate.of(2026, 12, 3), DayPart.MORNING, null);
        assertWhen("to morrow mourning", LocalDate.of(2026, 12, 2), DayPart.MORNING, null);
        assertWhen("first thing fry day", LocalDate.of(2026, 12, 4), DayPart.FIRST_THING, null);
        assertWhen("wensday", LocalDate.of(2026, 12, 2), DayPart.ANY, null);
    }

    @Test
    void signals() {
        assertSignals("Yes, that works.", List.of(Signal.YES), List.of(Signal.NO));
        assertSignals("yeah yeah no hot water can someone come today", List.of(Signal.YES, Signal.BOOK), List.of(Signal.NO));
        assertSignals("yeah nah that doesnt work", List.of(Signal.NO), List.of(Signal.YES));
        assertSignals("No, that's everything, thanks.", List.of(Signal.NO, Signal.DONE), List.of(Signal.YES));
        assertSignals("i want to cancer the booking", List.of(Signal.CANCEL), List.of());
        assertSignals("can we move it to friday instead", List.of(Signal.RESCHEDULE), List.of(Signal.CANCEL));
        assertSignals("how much roughly", List.of(Signal.PRICE), List.of());
        assertSignals("am i talking to a person", List.of(Signal.HUMAN_QUESTION), List.of());
        assertSignals("water is pouring out everywhere", List.of(Signal.EMERGENCY), List.of());
        assertSignals("its not an emergency no rush", List.of(Signal.NOT_URGENT), List.of(Signal.EMERGENCY, Signal.NO));
        assertSignals("im in a meeting can you call me back at three", List.of(Signal.BUSY, Signal.CALL_LATER), List.of(Signal.OWNER_CALLBACK));
        assertSignals("get someone to call me back then", List.of(Signal.OWNER_CALLBACK), List.of(Signal.CALL_LATER));
        assertSignals("I need a copy of the invoice", List.of(Signal.MESSAGE), List.of());
    }

    @Test
    void aTimeRuledOutIsToldApartFromTheTimeWanted() {
        assertRefused("not today", LocalDate.of(2026, 12, 1), DayPart.ANY, null, DayPart.ANY);
        assertRefused("not today thursday morning please", LocalDate.of(2026, 12, 1), DayPart.ANY, LocalDate.of(2026, 12, 3), DayPart.MORNING);
        assertRefused("no not the morning the afternoon", null, DayPart.MORNING, null, DayPart.AFTERNOON);
        assertRefused("thursday doesnt work how about friday", LocalDate.of(2026, 12, 3), DayPart.ANY, LocalDate.of(2026, 12, 4), DayPart.ANY);
        assertRefused("i cant do wednesday", LocalDate.of(2026, 12, 2), DayPart.ANY, null, DayPart.ANY);
        assertRefused("anything but first thing", null, DayPart.FIRST_THING, null, DayPart.ANY);
        // a correction is what they want, not what they rule out
        assertRefused("no i said thursday", null, DayPart.ANY, LocalDate.of(2026, 12, 3), DayPart.ANY);
        for (String notATime : List.of("its not urgent", "not in a hurry", "not really", "no not at all", "not sure")) {
            assertTrue(parser.parse(notATime).refused().isEmpty(), notATime);
        }
        assertSignals("not then", List.of(Signal.NO), List.of(Signal.YES));
        assertSignals("neither of those", List.of(Signal.NO), List.of(Signal.FLEXIBLE));
    }

    @Test
    void theWordsThatSoundUrgentAreKept() {
        assertEquals(List.of("burst"), parser.parse("burst the morning").urgentWords());
        assertEquals(List.of("pipe burst", "burst"), parser.parse("the pipe burst").urgentWords().stream().sorted(java.util.Comparator.reverseOrder()).toList());
        assertTrue(parser.parse("its not urgent").urgentWords().isEmpty());
        assertTrue(parser.parse("no hot water").urgentWords().isEmpty());
    }

    @Test
    void catalogueServicesAreFoundThroughSynonyms() {
        assertEquals(List.of("toilet"), parser.parse("the dunny wont flush").services());
        assertEquals(List.of("hot-water"), parser.parse("no hot water since this morning").services());
        assertEquals(List.of("burst-pipe"), parser.parse("water everywhere").services());
        assertTrue(parser.parse("hello").services().isEmpty());
    }

    private void assertWhen(String heard, LocalDate date, DayPart part, LocalTime clock) {
        Utterance u = parser.parse(heard);
        assertEquals(Optional.ofNullable(date), u.when().date(), heard);
        assertEquals(part, u.when().part(), heard);
        if (clock != null) assertEquals(Optional.of(clock), u.when().clock(), heard);
    }

    private void assertRefused(String heard, LocalDate refusedDate, DayPart refusedPart, LocalDate wantedDate, DayPart wantedPart) {
        Utterance u = parser.parse(heard);
        assertEquals(Optional.ofNullable(refusedDate), u.refused().date(), heard + " refused");
        assertEquals(refusedPart, u.refused().part(), heard + " refused");
        assertEquals(Optional.ofNullable(wantedDate), u.when().date(), heard + " wanted");
        assertEquals(wantedPart, u.when().part(), heard + " wanted");
    }

    private void assertSignals(String heard, List<Signal> present, List<Signal> absent) {
        Utterance u = parser.parse(heard);
        for (Signal s : present) assertTrue(u.has(s), heard + " should be " + s + " but was " + u.signals());
        for (Signal s : absent) assertFalse(u.has(s), heard + " should not be " + s + " but was " + u.signals());
    }
}
