package dev.ringback.agent.business;

import java.time.LocalTime;

/** Opening hours of one day, business-local. */
public record OpeningHours(LocalTime open, LocalTime close) {
    public OpeningHours {
        if (!close.isAfter(open)) throw new IllegalArgumentException("closes before it opens: " + open + "-" + close);
    }

    public boolean contains(LocalTime time) {
        return !time.isBefore(open) && time.isBefore(close);
    }

    public boolean covers(ArrivalWindow window) {
        return !window.start().isBefore(open) && !window.end().isAfter(close);
    }
}
