package dev.ringback.media;

import java.util.concurrent.CompletableFuture;

/**
 * One clip queued with {@link RtpSession#play(short[])}. {@link #done()} completes when its last frame was
 * sent (on the session's event loop) or when the rest was dropped by {@link RtpSession#flush()} or
 * {@link RtpSession#close()} (on the thread that called them). Use the {@code *Async} stages for slow work.
 */
public final class Playout {
    private final CompletableFuture<PlayoutResult> done = new CompletableFuture<>();
    private final int framesTotal;

    Playout(int framesTotal) {
        this.framesTotal = framesTotal;
    }

    public CompletableFuture<PlayoutResult> done() {
        return done;
    }

    public int framesTotal() {
        return framesTotal;
    }

    void complete(int framesPlayed, boolean interrupted) {
        done.complete(new PlayoutResult(framesPlayed, framesTotal, interrupted));
    }
}
