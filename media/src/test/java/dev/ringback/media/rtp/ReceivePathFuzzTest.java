package dev.ringback.media.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringback.media.stage.DropReason;
import dev.ringback.media.stage.StageCounters;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Seeded streams with reordering, duplicates, replays of old packets, loss, sequence jumps, SSRC changes and
 * telephone-events into the receive path: no payload is ever played twice, every packet is played or dropped as late
 * or duplicate once the jitter buffer has let go, and a clean stream afterwards plays through.
 */
class ReceivePathFuzzTest {
    private static final long SEED = 0x5EED_0003L;
    private static final long FRAME_NANOS = 20_000_000L;

    @Test
    void nothingIsPlayedTwiceAndEveryPacketIsAccountedFor() {
        Random random = new Random(SEED);
        List<Integer> played = new ArrayList<>();
        int[] lost = new int[1];
        List<Character> digits = new ArrayList<>();
        ReceptionStats reception = new ReceptionStats();
        ReceivePath path = new ReceivePath(reception, new JitterBuffer.Sink() {
            @Override
            public void onPayload(byte[] payload, long arrivalNanos) {
                played.add(id(payload));
            }

            @Override
            public void onLost(long nowNanos) {
                lost[0]++;
            }
        }, (digit, arrival) -> digits.add(digit));

        long now = 1_000_000_000L;
        int seq = random.nextInt(0x10000);
        long ssrc = 0x1111;
        int nextId = 0;
        // packets of the current run (since the last jump or SSRC change): replaying one from before a jump of over
        // 100 would be a sender restart to the jitter buffer, which plays it again by design
        List<byte[]> run = new ArrayList<>();
        byte[] swapped = null;
        long pushed = 0;
        for (int i = 0; i < 20_000; i++) {
            int what = random.nextInt(100);
            byte[] packet;
            if (what < 3 && !run.isEmpty()) { // an old packet again
                packet = run.get(random.nextInt(run.size()));
            } else {
                if (what < 6) {
                    seq += random.nextInt(300) - 150; // a jump either way
                    run.clear();
                } else if (what < 7) {
                    ssrc = random.nextInt() & 0xFFFF_FFFFL;
                    run.clear();
                } else if (what < 12) {
                    seq += 1 + random.nextInt(3); // a gap
                }
                seq = (seq + 1) & 0xFFFF;
                boolean event = what >= 95;
                byte[] payload = event ? new byte[] {(byte) random.nextInt(16), 10, 0, (byte) 160} : idPayload(nextId++);
                packet = HostilePackets.rtp(false, event ? 101 : 0, seq, 160L * i, ssrc, payload);
                run.add(packet);
                if (run.size() > 20) {
                    run.remove(0);
                }
                if (swapped == null && random.nextInt(10) == 0) { // goes out after the next one
                    swapped = packet;
                    continue;
                }
            }
            now += FRAME_NANOS / 4 + random.nextInt((int) FRAME_NANOS);
            pushed += push(path, packet, now);
            if (swapped != null) {
                pushed += push(path, swapped, now);
                swapped = null;
            }
        }
        drain(path, now);

        Set<Integer> unique = new HashSet<>(played);
        assertEquals(played.size(), unique.size(), "a payload was played twice");
        StageCounters c = path.jitterBuffer().counters();
        assertEquals(pushed, c.in());
        assertEquals(c.in(), c.out() + c.dropped(DropReason.LATE) + c.dropped(DropReason.DUPLICATE), c.toString());
        assertTrue(c.dropped(DropReason.LATE) > 0 && c.dropped(DropReason.DUPLICATE) > 0 && lost[0] > 0, c.toString());
        assertFalse(digits.isEmpty(), "telephone-events became digits");

        // a clean stream afterwards plays every packet, in order
        played.clear();
        long cleanSsrc = 0x2222;
        for (int i = 0; i < 50; i++) {
            now += FRAME_NANOS;
            path.accept(parse(HostilePackets.rtp(false, 0, 1000 + i, 160L * i, cleanSsrc, idPayload(nextId + i))),
                    true, false, now);
            path.tick(now);
        }
        drain(path, now);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            expected.add(nextId + i);
        }
        assertEquals(expected, played);
    }

    private static int push(ReceivePath path, byte[] packet, long now) {
        RtpPacket p = parse(packet);
        boolean audio = p.payloadType() == 0;
        path.accept(p, audio, !audio, now);
        path.tick(now);
        return 1;
    }

    private static void drain(ReceivePath path, long now) {
        for (int i = 0; i < 1000 && path.holding(); i++) {
            now += FRAME_NANOS;
            path.tick(now);
        }
        assertFalse(path.holding());
    }

    private static RtpPacket parse(byte[] packet) {
        try {
            return RtpPacket.parse(io.netty.buffer.Unpooled.wrappedBuffer(packet));
        } catch (MalformedRtpException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] idPayload(int id) {
        byte[] payload = new byte[160];
        payload[0] = (byte) (id >> 24);
        payload[1] = (byte) (id >> 16);
        payload[2] = (byte) (id >> 8);
        payload[3] = (byte) id;
        return payload;
    }

    private static int id(byte[] payload) {
        return (payload[0] & 0xFF) << 24 | (payload[1] & 0xFF) << 16 | (payload[2] & 0xFF) << 8 | (payload[3] & 0xFF);
    }
}
