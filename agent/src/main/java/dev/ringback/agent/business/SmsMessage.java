package dev.ringback.agent.business;

import java.time.LocalDateTime;
import java.util.Objects;

/** One SMS of the thread that led to the call; INBOUND is from the customer, times are business-local. */
public record SmsMessage(Direction direction, LocalDateTime at, String text) {
    public enum Direction { INBOUND, OUTBOUND }

    public SmsMessage {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(text, "text");
    }
}
