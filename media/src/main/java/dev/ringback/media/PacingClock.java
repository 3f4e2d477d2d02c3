package dev.ringback.media;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one 20 ms clock for every session of an engine. Deadlines are computed from the start
 * ({@code start + n * 20 ms}), so lateness of one tick never accumulates into drift. Subscribers must only
 * hand work to their event loop: the clock thread never does I/O itself.
 */
final class PacingClock implements AutoCloseable {
    static final long PERIOD_NANOS = 20_000_000L;
    /** Behind by more than this many ticks (a stalled JVM), skip them instead of sending a burst. */
    private static final long MAX_CATCH_UP_TICKS = 5;
    private static final Logger log = LoggerFactory.getLogger(PacingClock.class);

    private final CopyOnWriteArrayList<Runnable> subscribers = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    PacingClock(ThreadFactory threadFactory) {
        this.thread = threadFactory.newThread(this::run);
        thread.start();
    }

    void subscribe(Runnable onTick) {
        subscribers.add(onTick);
    }

    void unsubscribe(Runnable onTick) {
        subscribers.remove(onTick);
    }

    private void run() {
        long start = System.nanoTime();
        long tick = 1;
        while (running) {
            long deadline = start + tick * PERIOD_NANOS;
            long wait;
            while (running && (wait = deadline - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            for (Runnable subscriber : subscribers) {
                try {
                    subscriber.run();
                } catch (RuntimeException e) {
                    log.warn("pacing subscriber failed", e);
                }
            }
            long behind = (System.nanoTime() - deadline) / PERIOD_NANOS;
            if (behind > MAX_CATCH_UP_TICKS) {
                log.warn("pacing clock {} ms late, skipping {} ticks", behind * PERIOD_NANOS / 1_000_000, behind);
                tick += behind;
            }
            tick++;
        }
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
