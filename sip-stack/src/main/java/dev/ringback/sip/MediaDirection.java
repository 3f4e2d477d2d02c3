package dev.ringback.sip;

import java.util.Locale;

/** An SDP media direction attribute (RFC 3264 section 5.1), seen from the side that wrote it. */
public enum MediaDirection {
    SENDRECV, SENDONLY, RECVONLY, INACTIVE;

    /** The direction an answerer writes for this offered one: send-only becomes receive-only and back. */
    public MediaDirection mirrored() {
        return switch (this) {
            case SENDONLY -> RECVONLY;
            case RECVONLY -> SENDONLY;
            default -> this;
        };
    }

    /** Whether the side that wrote this direction sends audio. */
    public boolean sends() {
        return this == SENDRECV || this == SENDONLY;
    }

    /** Whether the side that wrote this direction wants to receive audio. */
    public boolean receives() {
        return this == SENDRECV || this == RECVONLY;
    }

    static MediaDirection of(boolean sends, boolean receives) {
        if (sends) return receives ? SENDRECV : SENDONLY;
        return receives ? RECVONLY : INACTIVE;
    }

    /** The SDP attribute name ("sendrecv"). */
    String attribute() {
        return name().toLowerCase(Locale.ROOT);
    }
}
