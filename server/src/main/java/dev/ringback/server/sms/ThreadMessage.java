package dev.ringback.server.sms;

import java.time.OffsetDateTime;

/** One message of the SMS conversation, as the upstream SMS assistant sent it. */
public record ThreadMessage(Direction direction, OffsetDateTime at, String text) {
    public enum Direction { INBOUND, OUTBOUND }
}
