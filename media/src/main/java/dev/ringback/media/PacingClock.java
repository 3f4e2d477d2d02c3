package dev.ringback.media;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one 20 ms clock for every session of an engine. Deadlines are computed from the start
 * ({@code start + n * 20 ms}), so lateness of one tick never accumulates into drift. Each tick hands one task
 * per event loop to that loop, which runs the ticks of all sessions it owns: the clock thread never does
 * I/O and never waits for a loop.
 */
final class PacingClock implements AutoCloseable {
    static final long PERIOD_NANOS = 20_000_000L;
    /** Behind by more than this many ticks (a stalled JVM), skip them instead of sending a burst. */
    private static final long MAX_CATCH_UP_TICKS = 5;
    private static final Logger log = LoggerFactory.getLogger(PacingClock.class);

    private final ConcurrentHashMap<Executor, LoopTicks> loops = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    PacingClock(ThreadFactory threadFactory) {
        this.thread = threadFactory.newThread(this::run);
        thread.start();
    }

    /** From the next tick on, runs {@code onTick} every 20 ms on {@code loop}. */
    void subscribe(Executor loop, Runnable onTick) {
        loops.computeIfAbsent(loop, LoopTicks::new).ticks.add(onTick);
    }

    void unsubscribe(Executor loop, Runnable onTick) {
        LoopTicks loopTicks = loops.get(loop);
        if (loopTicks != null) {
            loopTicks.ticks.remove(onTick);
        }
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
            for (LoopTicks loopTicks : loops.values()) {
                if (!loopTicks.ticks.isEmpty()) {
                    try {
                        loopTicks.loop.execute(loopTicks);
                    } catch (RejectedExecutionException e) {
                        log.debug("event loop shut down, tick not delivered");
                    }
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

    /** The sessions of one event loop, ticked by one task. */
    private static final class LoopTicks implements Runnable {
        final Executor loop;
        final CopyOnWriteArrayList<Runnable> ticks = new CopyOnWriteArrayList<>();

        LoopTicks(Executor loop) {
            this.loop = loop;
        }

        @Override
        public void run() {
            for (Runnable tick : ticks) {
                try {
                    tick.run();
                } catch (RuntimeException e) {
                    log.warn("session tick failed", e);
                }
            }
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
