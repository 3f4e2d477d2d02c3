package dev.ringback.media.rtp;

import java.util.concurrent.TimeUnit;

/**
 * The end of the receive path: an accepted RTP packet updates the reception statistics RTCP reports, a new
 * telephone-event becomes a digit, and the packet goes into the jitter buffer, which releases payloads in order to
 * the decoder. Its counters are the jitter buffer's ({@code jitter-buffer}). Not thread-safe: one session's event
 * loop owns it.
 */
public final class ReceivePath {
    /** Where RFC 4733 digits go, once per key press. */
    public interface Digits {
        void onDigit(char digit, long arrivalNanos);
    }

    private static final int REORDER_DEPTH = 3;
    private static final long MAX_REORDER_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(60);
    private static final long NANOS_PER_SAMPLE = 125_000;

    private final ReceptionStats reception;
    private final JitterBuffer jitterBuffer;
    private final Digits digits;
    private final TelephoneEventDecoder telephoneEvents = new TelephoneEventDecoder();
    private volatile long telephoneEventPackets;
    private volatile long lastReceiveNanos;

    public ReceivePath(ReceptionStats reception, JitterBuffer.Sink decoder, Digits digits) {
        this.reception = reception;
        this.jitterBuffer = new JitterBuffer(REORDER_DEPTH, MAX_REORDER_WAIT_NANOS, decoder);
        this.digits = digits;
    }

    /**
     * @param audio          the codec's packet (else telephone-event or comfort noise: a sequence number, no speech)
     * @param telephoneEvent an RFC 4733 packet
     * @return whether the jitter buffer kept {@code packet}'s payload array (else it may be reused)
     */
    public boolean accept(RtpPacket packet, boolean audio, boolean telephoneEvent, long nowNanos) {
        lastReceiveNanos = nowNanos;
        reception.onPacket(packet.ssrc(), packet.sequence(), packet.timestamp(), nowNanos / NANOS_PER_SAMPLE, audio);
        if (telephoneEvent) {
            telephoneEventPackets++;
            int digit = telephoneEvents.newDigit(packet.payload(), packet.timestamp());
            if (digit >= 0) {
                digits.onDigit((char) digit, nowNanos);
            }
        }
        return jitterBuffer.push(packet.sequence(), packet.ssrc(), audio ? packet.payload() : null, nowNanos);
    }

    /** Every tick: gives up on a gap whose later packets have waited too long. */
    public void tick(long nowNanos) {
        jitterBuffer.poll(nowNanos);
    }

    /** True while the jitter buffer holds packets back behind a gap. */
    public boolean holding() {
        return jitterBuffer.holding();
    }

    public JitterBuffer jitterBuffer() {
        return jitterBuffer;
    }

    public long telephoneEventPackets() {
        return telephoneEventPackets;
    }

    /** {@link System#nanoTime()} of the last accepted packet, 0 before the first. */
    public long lastReceiveNanos() {
        return lastReceiveNanos;
    }
}
