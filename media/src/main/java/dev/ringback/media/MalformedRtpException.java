package dev.ringback.media;

/** A datagram that is not acceptable RTP. Stackless: garbage floods must stay cheap. */
final class MalformedRtpException extends Exception {
    MalformedRtpException(String reason) {
        super(reason, null, false, false);
    }
}
