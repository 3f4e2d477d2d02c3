package dev.ringback.media.rtp;

/**
 * What an RTCP report block says about the peer's stream (RFC 3550 A.1, A.3, A.8): extended highest sequence
 * number, packets expected and lost, the fraction lost since the last report, and interarrival jitter in
 * timestamp units. Not thread-safe: one session's event loop owns it.
 */
public final class ReceptionStats {
    private static final int MAX_DROPOUT = 3000;
    private static final int MAX_MISORDER = 100;
    private static final int SEQ_MOD = 1 << 16;

    private boolean started;
    private long ssrc;
    private int maxSeq;
    private long cycles;
    private int baseSeq;
    private int badSeq = SEQ_MOD + 1;
    private long received;
    private long expectedPrior;
    private long receivedPrior;
    private double jitter;
    private long lastTransit;
    private boolean anyTransit;

    /** A packet from {@code packetSsrc}; {@code arrivalUnits} is the arrival time in RTP timestamp units. */
    public void onPacket(long packetSsrc, int seq, long timestamp, long arrivalUnits, boolean countsForJitter) {
        if (!started || packetSsrc != ssrc) {
            restart(packetSsrc, seq);
        } else {
            int delta = (seq - maxSeq) & 0xFFFF;
            if (delta < MAX_DROPOUT) {
                if (seq < maxSeq) {
                    cycles += SEQ_MOD;
                }
                maxSeq = seq;
            } else if (delta <= SEQ_MOD - MAX_MISORDER) {
                if (seq != badSeq) { // a big jump: believe it only when the next packet follows on
                    badSeq = (seq + 1) & 0xFFFF;
                    return;
                }
                restart(packetSsrc, seq);
            }
            // else: duplicate or reordered, counted as received (RFC 3550 A.3 does the same)
        }
        received++;
        if (countsForJitter) {
            long transit = arrivalUnits - timestamp;
            if (anyTransit) {
                long d = Math.abs((int) (transit - lastTransit));
                jitter += (d - jitter) / 16.0;
            }
            lastTransit = transit;
            anyTransit = true;
        }
    }

    private void restart(long packetSsrc, int seq) {
        started = true;
        ssrc = packetSsrc;
        baseSeq = seq;
        maxSeq = seq;
        badSeq = SEQ_MOD + 1;
        cycles = 0;
        received = 0;
        expectedPrior = 0;
        receivedPrior = 0;
        anyTransit = false;
    }

    public boolean started() {
        return started;
    }

    public long ssrc() {
        return ssrc;
    }

    public long extendedHighestSeq() {
        return cycles + maxSeq;
    }

    public long expected() {
        return started ? extendedHighestSeq() - baseSeq + 1 : 0;
    }

    public long cumulativeLost() {
        return expected() - received;
    }

    public double jitterUnits() {
        return jitter;
    }

    /** The fraction lost since the previous call, in 1/256 (the report block's 8-bit field); starts a new interval. */
    public int takeFractionLost() {
        long expected = expected();
        long expectedInterval = expected - expectedPrior;
        long receivedInterval = received - receivedPrior;
        expectedPrior = expected;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        return expectedInterval == 0 || lostInterval <= 0 ? 0 : (int) Math.min(255, (lostInterval << 8) / expectedInterval);
    }
}
