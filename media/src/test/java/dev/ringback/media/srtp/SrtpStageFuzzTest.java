package dev.ringback.media.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringback.media.rtp.HostilePackets;
import dev.ringback.media.stage.DropReason;
import dev.ringback.media.stage.StageCounters;
import dev.ringback.media.stage.StageStats;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Seeded SRTP and SRTCP from a peer holding the right key, some of it tampered with on the way (a flipped bit in the
 * tag, the header or the payload, cut short, replayed) and some plain garbage: the tampered and replayed ones are
 * dropped as auth failures and replays, the rest decrypt to what the peer sent.
 */
class SrtpStageFuzzTest {
    private static final long SEED = 0x5EED_0004L;
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 40_000);
    private static final long PEER_SSRC = 0xABCD;

    @Test
    void tamperedAndReplayedPacketsAreDroppedAndTheRestDecrypt() throws GeneralSecurityException {
        Random random = new Random(SEED);
        HostilePackets hostile = new HostilePackets(SEED);
        byte[] ourKey = hostile.bytes(30);
        byte[] peerKey = hostile.bytes(30);
        SrtpStage stage = new SrtpStage(ourKey, peerKey, 0x1234, "fuzz");
        SrtpTransform peer = new SrtpTransform(peerKey, ourKey, PEER_SSRC);
        List<byte[]> delivered = new ArrayList<>();
        List<byte[]> deliveredRtcp = new ArrayList<>();
        int seq = random.nextInt(0x10000);
        long rtp = 0;
        long rtcp = 0;
        for (int i = 0; i < 3000; i++) {
            boolean control = random.nextInt(5) == 0;
            StageCounters c = control ? stage.unprotectRtcpCounters() : stage.unprotectRtpCounters();
            StageStats before = c.snapshot();
            byte[] plain = control ? HostilePackets.receiverReport(PEER_SSRC, random.nextInt(2))
                    : HostilePackets.rtp(false, 0, seq = (seq + 1) & 0xFFFF, 160L * i, PEER_SSRC, hostile.bytes(160));
            byte[] wire = bytes(control ? peer.protectRtcp(Unpooled.wrappedBuffer(plain))
                    : peer.protectRtp(Unpooled.wrappedBuffer(plain)));
            List<byte[]> history = control ? deliveredRtcp : delivered;
            int what = random.nextInt(10);
            Set<DropReason> expected = null;
            if (what == 0) { // a bit flipped past the SSRC (the tag covers it all), not in SRTCP's E||index word
                int at = control ? 8 + random.nextInt(wire.length - 8 - 4) : 12 + random.nextInt(wire.length - 12);
                if (control && at >= wire.length - 14) {
                    at += 4;
                }
                wire[at] ^= (byte) (1 << random.nextInt(8));
                expected = Set.of(DropReason.AUTH_FAILED);
            } else if (what == 1) {
                // cut short; SRTCP then reads its index from what is left, and that may be one seen before
                wire = Arrays.copyOf(wire, 12 + random.nextInt(wire.length - 12));
                expected = control ? Set.of(DropReason.AUTH_FAILED, DropReason.REPLAYED) : Set.of(DropReason.AUTH_FAILED);
            } else if (what == 2 && !history.isEmpty()) {
                wire = history.get(random.nextInt(history.size()));
                expected = Set.of(DropReason.REPLAYED);
            } else if (what == 3) {
                wire = hostile.bytes(random.nextInt(200));
            }
            ByteBuf clear = control ? stage.unprotectRtcp(Unpooled.wrappedBuffer(wire), PEER)
                    : stage.unprotectRtp(Unpooled.wrappedBuffer(wire), PEER);
            if (control) {
                rtcp++;
            } else {
                rtp++;
            }
            if (what == 3) {
                assertEquals(before.dropped() + (clear == null ? 1 : 0), c.dropped(), "garbage is dropped once or passes");
            } else if (expected == null) {
                assertNotNull(clear, "an untouched packet " + i + " decrypts");
                assertArrayEquals(plain, ByteBufUtil.getBytes(clear));
                history.add(wire);
            } else {
                int packet = i;
                assertNull(clear, () -> "a tampered or replayed packet " + packet + " passed");
                assertEquals(before.dropped() + 1, c.dropped(), "dropped once");
                DropReason reason = droppedFor(before, c.snapshot());
                assertTrue(expected.contains(reason), () -> "packet " + packet + " dropped as " + reason);
            }
        }

        for (StageCounters c : List.of(stage.unprotectRtpCounters(), stage.unprotectRtcpCounters())) {
            assertEquals(c.in(), c.out() + c.dropped(), c.toString());
        }
        assertEquals(rtp, stage.unprotectRtpCounters().in());
        assertEquals(rtcp, stage.unprotectRtcpCounters().in());
        assertEquals(stage.rtpAuthFailures() + stage.rtpReplays(), stage.unprotectRtpCounters().dropped());

        // and what we send still reaches the peer
        SrtpTransform.Result result = peer.unprotectRtp(stage.protectRtp(Unpooled.wrappedBuffer(
                HostilePackets.rtp(false, 0, 1, 160, 0x1234, new byte[160]))), new SrtpBuffer[1]);
        assertEquals(SrtpTransform.Result.OK, result);
        assertEquals(1, stage.protectRtpCounters().out());
        stage.close();
        peer.close();
    }

    /** The one reason whose count went up. */
    private static DropReason droppedFor(StageStats before, StageStats after) {
        for (DropReason r : DropReason.values()) {
            if (after.dropped(r) > before.dropped(r)) {
                return r;
            }
        }
        return null;
    }

    private static byte[] bytes(ByteBuf buf) {
        byte[] b = ByteBufUtil.getBytes(buf);
        buf.release();
        return b;
    }
}
