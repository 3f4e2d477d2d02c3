package dev.ringback.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.DefaultEventLoop;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The clock on a real Netty event loop: fixed phases within the 20 ms period, no drift, unsubscribe stops ticks. */
class PacingClockTest {
    private static final int ROUNDS = 25;

    private final DefaultEventLoop loop = new DefaultEventLoop();
    private final PacingClock clock = new PacingClock();

    @AfterEach
    void stop() throws Exception {
        clock.close();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    /** Tick times of one subscriber; written on the loop only. */
    private static final class Recorder implements Runnable {
        final long[] ticks = new long[ROUNDS];
        volatile int count;

        @Override
        public void run() {
            if (count < ticks.length) {
                ticks[count] = System.nanoTime();
                count = count + 1;
            }
        }
    }

    @Test
    void sessionsOfOneLoopAreSpreadOverThePeriodEachAtItsOwnFixedPhase() throws Exception {
        List<Recorder> sessions = new ArrayList<>();
        for (int i = 0; i < PacingClock.PHASES; i++) {
            Recorder r = new Recorder();
            sessions.add(r);
            clock.subscribe(loop, r);
        }
        awaitRounds(sessions);

        // a tick-all-at-once clock sends every session's k-th packet within microseconds of each other
        double[] spreads = new double[ROUNDS];
        for (int k = 0; k < ROUNDS; k++) {
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (Recorder r : sessions) {
                first = Math.min(first, r.ticks[k]);
                last = Math.max(last, r.ticks[k]);
            }
            spreads[k] = (last - first) / 1e6;
        }
        Arrays.sort(spreads);
        assertTrue(spreads[ROUNDS / 2] >= 10,
                "median spread of one round's ticks over the period: " + spreads[ROUNDS / 2] + " ms");

        for (Recorder r : sessions) {
            double meanInterval = (r.ticks[ROUNDS - 1] - r.ticks[0]) / 1e6 / (ROUNDS - 1);
            assertEquals(20.0, meanInterval, 1.0, "mean tick interval of one session (no drift)");
        }
    }

    @Test
    void anUnsubscribedSessionIsNoLongerTicked() throws Exception {
        Recorder stays = new Recorder();
        Recorder leaves = new Recorder();
        clock.subscribe(loop, stays);
        clock.subscribe(loop, leaves);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (leaves.count < 2 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        clock.unsubscribe(loop, leaves);
        Thread.sleep(60); // a tick already running on the loop may still complete
        int after = leaves.count;
        awaitRounds(List.of(stays));
        assertEquals(after, leaves.count, "ticks after unsubscribe");
    }

    private static void awaitRounds(List<Recorder> sessions) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sessions.stream().anyMatch(r -> r.count < ROUNDS) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        for (Recorder r : sessions) {
            assertEquals(ROUNDS, r.count, "ticks seen in 10 s");
        }
    }
}
