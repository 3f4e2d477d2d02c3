package dev.ringback.media;

import java.util.Objects;

/**
 * Where RTP sessions bind: {@code bindHost} and the inclusive port range whose even ports are handed
 * out; the odd port above each carries that session's RTCP (RFC 3550 §11), a report every
 * {@code rtcpIntervalMillis} on average (randomised ±50 %).
 */
public record RtpConfig(String bindHost, int portMin, int portMax, int rtcpIntervalMillis) {
    /** The RFC 3550 minimum: a report about every 5 s. */
    public static final int DEFAULT_RTCP_INTERVAL_MILLIS = 5000;

    public RtpConfig(String bindHost, int portMin, int portMax) {
        this(bindHost, portMin, portMax, DEFAULT_RTCP_INTERVAL_MILLIS);
    }

    public RtpConfig {
        Objects.requireNonNull(bindHost, "bindHost");
        if (rtcpIntervalMillis < 100) {
            throw new IllegalArgumentException("rtcp interval " + rtcpIntervalMillis + " ms is below 100 ms");
        }
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
