package dev.ringback.media.rtp;

/** A datagram that is not acceptable RTP. Stackless: garbage floods must stay cheap. */
public final class MalformedRtpException extends Exception {
    public MalformedRtpException(String reason) {
        super(reason, null, false, false);
    }
}
