package dev.ringback.media.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringback.media.stage.DropReason;
import dev.ringback.media.stage.StageCounters;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Seeded packets from a handful of sources, with retargets in between: between two retargets everything admitted
 * comes from one source, which is where media goes; nothing from the source abandoned at a retarget gets in during the
 * second after it; every refusal is counted as a stranger or an abandoned source.
 */
class SourceLatchFuzzTest {
    private static final long SEED = 0x5EED_0002L;
    private static final List<InetSocketAddress> SOURCES = List.of(address(40_000), address(40_002), address(40_004),
            address(41_000), address(41_001));

    private static InetSocketAddress address(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }

    @Test
    void onlyTheLatchedSourceGetsInAndEveryRefusalIsCounted() {
        Random random = new Random(SEED);
        SourceLatch latch = new SourceLatch("fuzz");
        InetSocketAddress signalled = SOURCES.get(0);
        latch.start(signalled);
        long now = System.nanoTime();
        InetSocketAddress admittedSinceRetarget = null;
        InetSocketAddress abandoned = null;
        long retargetedAt = now;
        long rtpPackets = 0;
        long rtcpPackets = 0;
        for (int i = 0; i < 20_000; i++) {
            now += TimeUnit.MILLISECONDS.toNanos(random.nextInt(5));
            InetSocketAddress from = SOURCES.get(random.nextInt(SOURCES.size()));
            int what = random.nextInt(100);
            if (what < 2) {
                InetSocketAddress target = SOURCES.get(random.nextInt(SOURCES.size()));
                InetSocketAddress before = latch.remote();
                boolean latched = admittedSinceRetarget != null;
                latch.retarget(target);
                if (!target.equals(signalled)) {
                    signalled = target;
                    abandoned = latched && !before.equals(target) ? before : null;
                    admittedSinceRetarget = null;
                    retargetedAt = System.nanoTime();
                    now = retargetedAt;
                    assertEquals(signalled, latch.remote(), "media goes where the signalling says until a packet comes");
                }
            } else if (what < 20) {
                rtcpPackets++;
                if (latch.admitRtcp(from, now)) {
                    latch.rtcpValid(from);
                }
            } else {
                rtpPackets++;
                boolean admitted = latch.admitRtp(from, now);
                boolean inAbandonTime = now - retargetedAt < TimeUnit.SECONDS.toNanos(1);
                if (admittedSinceRetarget == null && from.equals(abandoned) && inAbandonTime) {
                    assertFalse(admitted, "the abandoned source latched again " + (now - retargetedAt) + " ns after");
                }
                if (admitted) {
                    if (admittedSinceRetarget == null) {
                        admittedSinceRetarget = from;
                    }
                    assertEquals(admittedSinceRetarget, from, "two sources admitted between retargets");
                    assertEquals(from, latch.remote(), "media goes to the latched source");
                }
            }
        }

        StageCounters rtp = latch.rtpCounters();
        StageCounters rtcp = latch.rtcpCounters();
        assertEquals(rtpPackets, rtp.in());
        assertEquals(rtcpPackets, rtcp.in());
        for (StageCounters c : List.of(rtp, rtcp)) {
            assertEquals(c.in(), c.out() + c.dropped(DropReason.STRANGER) + c.dropped(DropReason.ABANDONED_SOURCE),
                    c.toString());
            assertTrue(c.dropped(DropReason.STRANGER) > 0 && c.out() > 0, c.toString());
        }
        assertTrue(rtp.dropped(DropReason.ABANDONED_SOURCE) > 0, "the seed should exercise abandoned sources: " + rtp);
    }
}
