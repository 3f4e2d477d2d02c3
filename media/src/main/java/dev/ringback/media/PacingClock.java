package dev.ringback.media;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The 20 ms clock for every session of an engine. Each event loop that owns sessions runs one timer task on itself
 * that ticks all of its sessions and schedules its next run for the next deadline ({@code start + n * 20 ms}), so
 * lateness of one tick never accumulates into drift. The loop wakes for its own deadline (epoll's timeout):
 * there is no clock thread to wake first and hand over to the loop, which under load doubled the exposure to
 * scheduling delay. A tick that comes late by up to {@value #MAX_CATCH_UP_TICKS} periods is followed at once by
 * the ones missed (interleaved with reads); later than that, the missed ticks are skipped.
 */
final class PacingClock implements AutoCloseable {
    static final long PERIOD_NANOS = 20_000_000L;
    /** Behind by more than this many ticks (a stalled JVM), skip them instead of sending a burst. */
    private static final long MAX_CATCH_UP_TICKS = 5;
    private static final Logger log = LoggerFactory.getLogger(PacingClock.class);

    private final ConcurrentHashMap<EventExecutor, LoopTicks> loops = new ConcurrentHashMap<>();
    private volatile boolean running = true;

    /** From the next tick on, runs {@code onTick} every 20 ms on {@code loop}. */
    void subscribe(EventExecutor loop, Runnable onTick) {
        loops.computeIfAbsent(loop, LoopTicks::new).ticks.add(onTick);
    }

    void unsubscribe(EventExecutor loop, Runnable onTick) {
        LoopTicks loopTicks = loops.get(loop);
        if (loopTicks != null) {
            loopTicks.ticks.remove(onTick);
        }
    }

    /** The sessions of one event loop and the timer task, on that loop, that ticks them. */
    private final class LoopTicks implements Runnable {
        final EventExecutor loop;
        final CopyOnWriteArrayList<Runnable> ticks = new CopyOnWriteArrayList<>();
        final long start;
        long tick = 1;
        volatile Future<?> next;

        LoopTicks(EventExecutor loop) {
            this.loop = loop;
            this.start = System.nanoTime();
            scheduleAt(start + PERIOD_NANOS);
        }

        @Override
        public void run() {
            if (!running) {
                return;
            }
            for (Runnable t : ticks) {
                try {
                    t.run();
                } catch (RuntimeException e) {
                    log.warn("session tick failed", e);
                }
            }
            tick++;
            long deadline = start + tick * PERIOD_NANOS;
            long behind = (System.nanoTime() - deadline) / PERIOD_NANOS;
            if (behind > MAX_CATCH_UP_TICKS) {
                log.warn("pacing clock {} ms late, skipping {} ticks", behind * PERIOD_NANOS / 1_000_000, behind);
                tick += behind;
                deadline += behind * PERIOD_NANOS;
            }
            scheduleAt(deadline);
        }

        private void scheduleAt(long deadline) {
            try {
                next = loop.schedule(this, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                log.debug("event loop shut down, pacing stopped on it");
            }
        }
    }

    @Override
    public void close() {
        running = false;
        for (LoopTicks loopTicks : loops.values()) {
            Future<?> next = loopTicks.next;
            if (next != null) {
                next.cancel(false);
            }
        }
    }
}
