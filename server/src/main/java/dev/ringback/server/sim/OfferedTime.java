package dev.ringback.server.sim;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Objects;

/** A visit time the agent proposed: the day and the start of the arrival window, as its words said them. */
public record OfferedTime(LocalDate date, LocalTime windowStart) {
    public OfferedTime {
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(windowStart, "windowStart");
    }
}
