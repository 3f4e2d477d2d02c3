package dev.ringback.media;

import java.util.Objects;

/**
 * Where RTP sessions bind: {@code bindHost} and the inclusive port range whose even ports are handed
 * out (the odd port above each is left for RTCP, per RFC 3550 convention).
 */
public record RtpConfig(String bindHost, int portMin, int portMax) {
    public RtpConfig {
        Objects.requireNonNull(bindHost, "bindHost");
        if (portMin < 1 || portMax > 65535 || portMin > portMax) {
            throw new IllegalArgumentException("rtp port range [" + portMin + ", " + portMax + "] is not within [1, 65535]");
        }
        int firstEven = portMin + (portMin & 1);
        if (firstEven > portMax) {
            throw new IllegalArgumentException("rtp port range [" + portMin + ", " + portMax + "] holds no even port");
        }
    }

    /** Number of even ports in the range, i.e. the most sessions that can be open at once. */
    public int capacity() {
        int firstEven = portMin + (portMin & 1);
        return (portMax - firstEven) / 2 + 1;
    }
}
