package dev.ringback.media;

import dev.ringback.media.rtp.JitterBuffer;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receive path after the jitter buffer: decodes payloads with the session codec, conceals lost packets
 * (the last packet repeated at half, quarter, eighth level, then silence), and hands 160-sample frames to the
 * listeners whatever the peer's packet size. When the peer sends no audio for a while (silence suppression,
 * hold, telephone-events) it fills the time with silence frames, so listeners such as a VAD waiting for the
 * end of speech see time pass. Not thread-safe: one session's event loop owns it.
 */
final class InboundAudio implements JitterBuffer.Sink {
    private static final int MAX_CONCEALED_REPEATS = 3;
    private static final long FRAME_NANOS = 20_000_000L;
    /** Quiet this long (5 frames) before filling: longer than the jitter buffer waits for a late packet. */
    private static final long QUIET_BEFORE_FILL_NANOS = 5 * FRAME_NANOS;
    private static final Logger log = LoggerFactory.getLogger(InboundAudio.class);

    private final Supplier<Codec> codec;
    private final List<AudioListener> listeners;
    private final String logContext;
    private short[] pendingFrame = new short[RtpSession.SAMPLES_PER_FRAME];
    private int pendingSamples;
    /** A copy of the last payload decoded (listeners own what they were given), null before the first. */
    private short[] lastDecoded;
    private int concealedRepeats;
    private long lastFrameNanos;
    private boolean filling;
    private volatile long framesDelivered;

    InboundAudio(Supplier<Codec> codec, List<AudioListener> listeners, String logContext) {
        this.codec = codec;
        this.listeners = listeners;
        this.logContext = logContext;
    }

    long framesDelivered() {
        return framesDelivered;
    }

    @Override
    public void onPayload(byte[] payload, long arrivalNanos) {
        Codec c = codec.get();
        if (lastDecoded == null || lastDecoded.length != payload.length) {
            lastDecoded = new short[payload.length];
        }
        concealedRepeats = 0;
        filling = false;
        if (payload.length == RtpSession.SAMPLES_PER_FRAME && pendingSamples == 0) {
            // the usual 20 ms packet: decode straight into the frame the listeners get
            short[] frame = pendingFrame;
            c.decode(payload, frame, payload.length);
            System.arraycopy(frame, 0, lastDecoded, 0, frame.length);
            completeFrame(frame, frame.length, arrivalNanos);
            return;
        }
        c.decode(payload, lastDecoded, payload.length);
        deliver(lastDecoded, arrivalNanos);
    }

    @Override
    public void onLost(long nowNanos) {
        int length = lastDecoded == null ? RtpSession.SAMPLES_PER_FRAME : lastDecoded.length;
        short[] concealment = new short[length];
        if (lastDecoded != null && concealedRepeats < MAX_CONCEALED_REPEATS) {
            int shift = ++concealedRepeats;
            for (int i = 0; i < length; i++) {
                concealment[i] = (short) (lastDecoded[i] >> shift);
            }
        }
        filling = false;
        deliver(concealment, nowNanos);
    }

    /**
     * Called every tick: once nothing has come for 100 ms (and the jitter buffer holds nothing back), delivers
     * the silence frames owed since the last frame, and keeps doing so every tick until audio comes again.
     */
    void fillQuiet(long nowNanos, boolean jitterBufferHolding) {
        if (lastFrameNanos == 0) {
            lastFrameNanos = nowNanos;
            return;
        }
        long quiet = nowNanos - lastFrameNanos;
        if (jitterBufferHolding || (!filling && quiet < QUIET_BEFORE_FILL_NANOS)) {
            return;
        }
        filling = true;
        long owed = quiet / FRAME_NANOS;
        long paidUntil = lastFrameNanos + owed * FRAME_NANOS;
        if (owed > 0 && pendingSamples > 0) {
            deliver(new short[RtpSession.SAMPLES_PER_FRAME - pendingSamples], nowNanos);
            owed--;
        }
        for (long i = 0; i < owed; i++) {
            deliver(new short[RtpSession.SAMPLES_PER_FRAME], nowNanos);
        }
        lastFrameNanos = paidUntil;
    }

    private void deliver(short[] samples, long arrivalNanos) {
        lastFrameNanos = arrivalNanos;
        int offset = 0;
        while (offset < samples.length) {
            int n = Math.min(RtpSession.SAMPLES_PER_FRAME - pendingSamples, samples.length - offset);
            System.arraycopy(samples, offset, pendingFrame, pendingSamples, n);
            offset += n;
            completeFrame(pendingFrame, pendingSamples + n, arrivalNanos);
        }
    }

    /** {@code frame} is {@link #pendingFrame} holding {@code filled} samples: hands it out once it is full. */
    private void completeFrame(short[] frame, int filled, long arrivalNanos) {
        lastFrameNanos = arrivalNanos;
        pendingSamples = filled;
        if (filled == RtpSession.SAMPLES_PER_FRAME) {
            pendingFrame = new short[RtpSession.SAMPLES_PER_FRAME];
            pendingSamples = 0;
            framesDelivered++;
            for (AudioListener listener : listeners) {
                try {
                    listener.onFrame(frame, arrivalNanos);
                } catch (RuntimeException e) {
                    log.warn("{} audio listener failed", logContext, e);
                }
            }
        }
    }
}
