package dev.ringback.media;

/**
 * The SDP direction attribute of a session's stream (RFC 3264 §5.1), from this end's point of view: whether it
 * sends RTP. The media clock, RTP timestamps and RTCP keep running in every direction, so a resumed stream
 * carries timestamps that match the time it was held.
 */
public enum MediaDirection {
    SENDRECV(true),
    SENDONLY(true),
    RECVONLY(false),
    INACTIVE(false);

    private final boolean sends;

    MediaDirection(boolean sends) {
        this.sends = sends;
    }

    /** True when this end sends RTP (audio, idle silence, DTMF) in this direction. */
    public boolean sends() {
        return sends;
    }
}
