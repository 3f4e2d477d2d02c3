package dev.ringback.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringback.media.rtp.RtpPacket;
import dev.ringback.media.stage.DropReason;
import dev.ringback.media.stage.PacketOut;
import dev.ringback.media.stage.StageCounters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Seeded ticks with holds, resumes, clips of any length, barge-in flushes and DTMF digits in between: every packet
 * the sender makes is valid RTP of one SSRC with consecutive sequence numbers, its timestamp is the media clock of its
 * tick (a telephone-event keeps its start's), the first audio after a hold carries the marker, every tick is a packet or a
 * held tick, and every clip and digit completes.
 */
class RtpSenderFuzzTest {
    private static final long SEED = 0x5EED_0006L;

    @Test
    void whateverHappensBetweenTicksThePacketsAreAValidStream() throws Exception {
        Random random = new Random(SEED);
        List<ByteBuf> wire = new ArrayList<>();
        PlayoutQueue queue = new PlayoutQueue();
        DtmfSender dtmf = new DtmfSender();
        CopyOnWriteArrayList<AudioListener> sentListeners = new CopyOnWriteArrayList<>();
        int[] tapped = new int[1];
        sentListeners.add((pcm, at) -> tapped[0]++);
        RtpSender sender = new RtpSender(queue, dtmf, sentListeners, () -> null, new PacketOut() {
            @Override
            public ByteBuf buffer(int capacity) {
                return Unpooled.buffer(capacity);
            }

            @Override
            public boolean send(ByteBuf packet) {
                wire.add(packet);
                return true;
            }
        });
        sender.negotiate(Codec.PCMU, 101);
        List<Playout> clips = new ArrayList<>();
        List<CompletableFuture<Void>> digits = new ArrayList<>();

        int ticks = 20_000;
        int held = 0;
        boolean holding = false;
        long firstTimestamp = sender.timestamp();
        Integer lastSequence = null;
        boolean afterHold = true;
        long eventStart = -1;
        for (int tick = 0; tick < ticks; tick++) {
            int what = random.nextInt(1000);
            if (what < 5) {
                holding = !holding;
            } else if (what < 25) {
                clips.add(queue.add(TestAudio.tone(300 + random.nextInt(1000), random.nextInt(2000) / 1000.0, 8000),
                        Codec.PCMU));
            } else if (what < 28) {
                queue.flush();
            } else if (what < 31) {
                digits.add(dtmf.add("0123456789*#ABCD".charAt(random.nextInt(16)), 40 + random.nextInt(300)));
            }
            long clock = (firstTimestamp + 160L * tick) & 0xFFFF_FFFFL;
            int before = wire.size();
            sender.tick(!holding);
            if (holding) {
                held++;
                afterHold = true;
                assertEquals(before, wire.size(), "nothing goes out while held");
                continue;
            }
            assertEquals(before + 1, wire.size(), "one packet per tick");
            RtpPacket p = RtpPacket.parse(wire.get(before));
            assertEquals(sender.ssrc(), p.ssrc());
            if (lastSequence != null) {
                assertEquals((lastSequence + 1) & 0xFFFF, p.sequence(), "consecutive sequence numbers");
            }
            lastSequence = p.sequence();
            if (p.payloadType() == 101) {
                if (p.marker()) {
                    eventStart = clock;
                }
                assertEquals(eventStart, p.timestamp(), "a telephone-event carries its start's timestamp");
                assertEquals(4, p.payload().length);
            } else {
                assertEquals(0, p.payloadType());
                assertEquals(clock, p.timestamp(), "audio carries its tick's media clock");
                assertEquals(160, p.payload().length);
            }
            if (afterHold && p.payloadType() == 0) { // a telephone-event's marker is its first packet's (RFC 4733)
                assertTrue(p.marker(), "the first packet after a hold (or the very first) has the marker");
            }
            afterHold = false;
        }
        queue.close();
        dtmf.cancel();

        StageCounters c = sender.counters();
        assertEquals(ticks, c.in());
        assertEquals(wire.size(), c.out());
        assertEquals(held, c.dropped(DropReason.HELD));
        assertEquals(c.in(), c.out() + c.dropped());
        assertTrue(held > 0 && !digits.isEmpty() && !clips.isEmpty());
        assertTrue(clips.stream().allMatch(pl -> pl.done().isDone()), "every clip completed");
        assertTrue(digits.stream().allMatch(CompletableFuture::isDone), "every digit was sent or cancelled");
        assertTrue(tapped[0] > 0, "sent audio reached the tap");
        wire.forEach(ByteBuf::release);
    }
}
