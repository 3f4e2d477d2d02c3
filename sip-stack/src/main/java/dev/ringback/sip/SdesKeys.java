package dev.ringback.sip;

import java.util.Objects;

/**
 * The SRTP keys of one negotiated session (SDES, RFC 4568).
 *
 * @param send    our key, written in our SDP: protects the RTP we send
 * @param receive the far end's key, from its SDP: checks and decrypts the RTP we receive
 * @param tag     the {@code a=crypto} tag both descriptions use
 */
public record SdesKeys(SdesKey send, SdesKey receive, int tag) {
    public SdesKeys {
        Objects.requireNonNull(send, "send");
        Objects.requireNonNull(receive, "receive");
        if (tag < 0 || tag > 999_999_999) throw new IllegalArgumentException("crypto tag out of range: " + tag);
    }
}
