package dev.ringback.media;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects two started sessions for a bridged transfer: every frame one decodes is queued to the other, which
 * encodes it with its own codec (so PCMU and PCMA legs transcode through linear PCM). Bursts after a scheduling
 * stall (and silence fill) would build up delay: once {@value #QUIET_BACKLOG_FRAMES} frames wait, quiet frames are
 * dropped, so the delay drains in the pauses without cutting speech; past {@value #MAX_BACKLOG_FRAMES} frames
 * (a peer whose clock runs fast through continuous sound) any frame is dropped. Bridged audio queues behind whatever the
 * target is already playing; {@link RtpSession#flush()} it first for a clean hand-over.
 *
 * <p>Threading: frames are moved on the source session's event loop; {@link #close()} from any thread.
 */
public final class RtpBridge implements AutoCloseable {
    private static final int MAX_BACKLOG_FRAMES = 25;
    private static final int QUIET_BACKLOG_FRAMES = 2;
    /** Peak level up to which a frame counts as quiet (G.711 idle codes decode to 0 or 8). */
    private static final int QUIET_PEAK = 64;
    private static final Logger log = LoggerFactory.getLogger(RtpBridge.class);

    private final RtpSession a;
    private final RtpSession b;
    private final AudioListener fromA;
    private final AudioListener fromB;
    private final AtomicLong framesAtoB = new AtomicLong();
    private final AtomicLong framesBtoA = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();

    private RtpBridge(RtpSession a, RtpSession b) {
        this.a = a;
        this.b = b;
        this.fromA = (pcm, arrival) -> forward(pcm, b, framesAtoB);
        this.fromB = (pcm, arrival) -> forward(pcm, a, framesBtoA);
    }

    /** Starts moving audio both ways between {@code a} and {@code b} until {@link #close()}. */
    public static RtpBridge connect(RtpSession a, RtpSession b) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        if (a == b) {
            throw new IllegalArgumentException("cannot bridge a session to itself");
        }
        RtpBridge bridge = new RtpBridge(a, b);
        a.onAudio(bridge.fromA);
        b.onAudio(bridge.fromB);
        log.debug("bridged rtp {} <-> {}", a.localPort(), b.localPort());
        return bridge;
    }

    public long framesAtoB() {
        return framesAtoB.get();
    }

    public long framesBtoA() {
        return framesBtoA.get();
    }

    /** Frames dropped to keep the delay down: quiet ones over a small backlog, any over the maximum. */
    public long framesDropped() {
        return dropped.get();
    }

    private void forward(short[] pcm, RtpSession to, AtomicLong counter) {
        if (closed.get()) {
            return;
        }
        int backlog = to.queuedFrames();
        if (backlog >= MAX_BACKLOG_FRAMES || (backlog >= QUIET_BACKLOG_FRAMES && isQuiet(pcm))) {
            dropped.incrementAndGet();
            return;
        }
        to.play(pcm);
        counter.incrementAndGet();
    }

    private static boolean isQuiet(short[] pcm) {
        for (short s : pcm) {
            if (s > QUIET_PEAK || s < -QUIET_PEAK) {
                return false;
            }
        }
        return true;
    }

    /** Stops moving audio; the sessions stay open. Frames already queued still go out. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            a.removeAudioListener(fromA);
            b.removeAudioListener(fromB);
            log.debug("unbridged rtp {} <-> {}: {} and {} frames, {} dropped", a.localPort(), b.localPort(),
                    framesAtoB.get(), framesBtoA.get(), dropped.get());
        }
    }
}
