package dev.ringback.media.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.ringback.media.stage.DropReason;
import dev.ringback.media.stage.StageCounters;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Seeded hostile RTP into the decoder: each is dropped for the reason its mutation calls for, and good packets pass. */
class RtpDecoderFuzzTest {
    private static final long SEED = 0x5EED_0001L;
    private static final int PACKETS = 20_000;
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 40_000);

    @Test
    void everyMutatedPacketIsDroppedForItsReasonAndGoodOnesStillPass() {
        RtpDecoder decoder = new RtpDecoder("fuzz");
        decoder.negotiate(0, 101);
        StageCounters c = decoder.counters();
        HostilePackets hostile = new HostilePackets(SEED);
        Map<DropReason, Long> seen = new EnumMap<>(DropReason.class);
        long passed = 0;
        for (int i = 0; i < PACKETS; i++) {
            HostilePackets.Hostile h = hostile.nextRtp(Set.of(0, 101, RtpDecoder.COMFORT_NOISE_PT));
            long droppedBefore = c.dropped();
            long expectedBefore = h.expected() == null ? 0 : c.dropped(h.expected());
            RtpPacket decoded = decoder.decode(Unpooled.wrappedBuffer(h.bytes()), PEER);
            if (decoded != null) {
                assertEquals(null, h.expected(), () -> h.kind() + " passed");
                passed++;
                continue;
            }
            assertEquals(droppedBefore + 1, c.dropped(), () -> h.kind() + " dropped once");
            if (h.expected() != null) {
                assertEquals(expectedBefore + 1, c.dropped(h.expected()), () -> h.kind() + " dropped as " + h.expected());
                seen.merge(h.expected(), 1L, Long::sum);
            }
            if (i % 100 == 0) { // good packets in between still decode
                byte[] payload = hostile.bytes(160);
                RtpPacket good = decoder.decode(Unpooled.wrappedBuffer(HostilePackets.rtp(false, 0, i, 160L * i, 7,
                        payload)), PEER);
                assertNotNull(good, "a good packet after " + i + " hostile ones");
                assertArrayEquals(payload, good.payload());
                decoder.recycle(good.payload());
                passed++;
            }
        }

        assertEquals(c.in(), c.out() + c.dropped(), "every packet passed or was dropped for a reason: " + c);
        assertEquals(passed, c.out());
        assertEquals(Set.of(DropReason.TRUNCATED, DropReason.BAD_VERSION, DropReason.BAD_PADDING,
                DropReason.BAD_EXTENSION, DropReason.NO_PAYLOAD, DropReason.OVERSIZED, DropReason.UNKNOWN_PAYLOAD_TYPE),
                seen.keySet(), "every mutation came up");
    }
}
