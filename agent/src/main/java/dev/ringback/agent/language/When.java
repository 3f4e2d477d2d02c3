package dev.ringback.agent.language;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Optional;

/** A time expression resolved against the SMS time: a date, a part of the day, a clock time, or "in twenty minutes". */
public record When(Optional<LocalDate> date, DayPart part, Optional<LocalTime> clock, Optional<Duration> fromNow) {
    public static final When NONE = new When(Optional.empty(), DayPart.ANY, Optional.empty(), Optional.empty());

    public boolean isEmpty() {
        return date.isEmpty() && part == DayPart.ANY && clock.isEmpty() && fromNow.isEmpty();
    }

    public boolean hasTimeOfDay() {
        return part != DayPart.ANY || clock.isPresent();
    }

    public When withDate(LocalDate d) {
        return new When(Optional.of(d), part, clock, fromNow);
    }
}
