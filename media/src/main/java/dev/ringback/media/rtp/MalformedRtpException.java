package dev.ringback.media.rtp;

import dev.ringback.media.stage.DropReason;

/** A datagram that is not acceptable RTP or RTCP, and why. Stackless: garbage floods must stay cheap. */
public final class MalformedRtpException extends Exception {
    private final DropReason reason;

    public MalformedRtpException(DropReason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public DropReason reason() {
        return reason;
    }
}
