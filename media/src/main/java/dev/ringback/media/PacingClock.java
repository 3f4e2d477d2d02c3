package dev.ringback.media;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The 20 ms clock for every session of an engine. Each event loop that owns sessions runs one timer task on itself;
 * the loop wakes for its own deadline (epoll's timeout), so there is no clock thread to wake first and hand over.
 *
 * <p>The period is cut into {@value #PHASES} phases 1 ms apart and every session keeps one phase for its life (the
 * least used when it subscribed): a session ticks at exactly {@code start + phase + n * 20 ms}. Ticking all of a
 * loop's sessions at one instant would send them as one burst — 500 sessions take milliseconds to send — and a
 * session's place in that burst would move from tick to tick as receive work interleaves, which is send-interval
 * jitter on the wire. With phases, each wake-up sends a twentieth of the sessions and the reads fall in between.
 *
 * <p>Deadlines are computed from the start, so lateness never accumulates into drift. A phase that comes late by up
 * to {@value #MAX_CATCH_UP_TICKS} periods is followed at once by the ones missed (interleaved with reads); later
 * than that, the missed ones are skipped.
 */
final class PacingClock implements AutoCloseable {
    static final long PERIOD_NANOS = 20_000_000L;
    static final int PHASES = 20;
    private static final long PHASE_NANOS = PERIOD_NANOS / PHASES;
    /** Consecutive new sessions land this many phases apart (coprime with PHASES: every phase is visited). */
    private static final int PHASE_STRIDE = 7;
    /** Behind by more than this many periods (a stalled JVM), skip them instead of sending a burst. */
    private static final long MAX_CATCH_UP_TICKS = 5;
    private static final Logger log = LoggerFactory.getLogger(PacingClock.class);

    private final ConcurrentHashMap<EventExecutor, LoopTicks> loops = new ConcurrentHashMap<>();
    private volatile boolean running = true;

    /** From its phase's next turn on, runs {@code onTick} every 20 ms on {@code loop}. */
    void subscribe(EventExecutor loop, Runnable onTick) {
        loops.computeIfAbsent(loop, LoopTicks::new).add(onTick);
    }

    void unsubscribe(EventExecutor loop, Runnable onTick) {
        LoopTicks loopTicks = loops.get(loop);
        if (loopTicks != null) {
            loopTicks.remove(onTick);
        }
    }

    /** The sessions of one event loop, by phase, and the timer task on that loop that ticks them. */
    private final class LoopTicks implements Runnable {
        final EventExecutor loop;
        final List<Runnable>[] phases;
        final long start;
        /** Phases since start: the one this run is for. Touched only on the loop. */
        long step;
        int nextPhase;
        volatile Future<?> next;

        @SuppressWarnings("unchecked")
        LoopTicks(EventExecutor loop) {
            this.loop = loop;
            this.phases = new List[PHASES];
            for (int i = 0; i < PHASES; i++) {
                phases[i] = new CopyOnWriteArrayList<>();
            }
            this.start = System.nanoTime();
            this.step = PHASES; // the first turn of every phase is one period from now
            scheduleAt(start + PERIOD_NANOS);
        }

        synchronized void add(Runnable onTick) {
            int best = nextPhase;
            for (int i = 0, p = nextPhase; i < PHASES; i++, p = (p + PHASE_STRIDE) % PHASES) {
                if (phases[p].size() < phases[best].size()) {
                    best = p;
                }
            }
            phases[best].add(onTick);
            nextPhase = (best + PHASE_STRIDE) % PHASES;
        }

        void remove(Runnable onTick) {
            for (List<Runnable> phase : phases) {
                if (phase.remove(onTick)) {
                    return;
                }
            }
        }

        @Override
        public void run() {
            if (!running) {
                return;
            }
            for (Runnable t : phases[(int) (step % PHASES)]) {
                try {
                    t.run();
                } catch (RuntimeException e) {
                    log.warn("session tick failed", e);
                }
            }
            step++;
            long behind = (System.nanoTime() - deadline(step)) / PERIOD_NANOS;
            if (behind > MAX_CATCH_UP_TICKS) {
                log.warn("pacing clock {} ms late, skipping {} ticks", behind * PERIOD_NANOS / 1_000_000, behind);
                step += behind * PHASES;
            }
            // wake only for phases that have sessions; with none at all, look again in a period
            for (int i = 0; i < PHASES && phases[(int) (step % PHASES)].isEmpty(); i++) {
                step++;
            }
            scheduleAt(deadline(step));
        }

        private long deadline(long phaseStep) {
            return start + phaseStep * PHASE_NANOS;
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
