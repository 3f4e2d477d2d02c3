package dev.ringback.agent.business;

import java.time.LocalTime;
import java.util.Objects;

/** A window in which the plumber arrives, e.g. 09:00-11:00 (business-local). */
public record ArrivalWindow(LocalTime start, LocalTime end) {
    public ArrivalWindow {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (!end.isAfter(start)) throw new IllegalArgumentException("arrival window ends before it starts: " + start + "-" + end);
    }

    /** Parses "HH:mm-HH:mm". */
    public static ArrivalWindow parse(String text) {
        String[] parts = text.trim().split("\\s*-\\s*");
        if (parts.length != 2) throw new IllegalArgumentException("expected HH:mm-HH:mm, got '" + text + "'");
        return new ArrivalWindow(LocalTime.parse(parts[0]), LocalTime.parse(parts[1]));
    }

    public boolean contains(LocalTime time) {
        return !time.isBefore(start) && time.isBefore(end);
    }

    @Override public String toString() {
        return start + "-" + end;
    }
}
