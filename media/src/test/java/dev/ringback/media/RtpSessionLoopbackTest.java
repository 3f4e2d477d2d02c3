package dev.ringback.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Real RTP over 127.0.0.1 between two sessions, or between a session and a plain DatagramSocket. */
class RtpSessionLoopbackTest {
    private static final Logger log = LoggerFactory.getLogger(RtpSessionLoopbackTest.class);
    private static RtpEngine engine;

    @BeforeAll
    static void startEngine() {
        engine = new RtpEngine(TestNet.freeRange(16), 2);
    }

    @AfterAll
    static void stopEngine() {
        engine.close();
    }

    private static InetSocketAddress local(int port) {
        return new InetSocketAddress(TestNet.HOST, port);
    }

    /** Every frame the session delivers, silence fill included. */
    private static List<short[]> collect(RtpSession session) {
        List<short[]> frames = new CopyOnWriteArrayList<>();
        session.onAudio((pcm, arrival) -> frames.add(pcm));
        return frames;
    }

    /** The frames that are not digital silence (the test's packets never carry exact zeros). */
    private static List<short[]> collectSound(RtpSession session) {
        List<short[]> frames = new CopyOnWriteArrayList<>();
        session.onAudio((pcm, arrival) -> {
            if (TestAudio.rms(pcm) > 0) {
                frames.add(pcm);
            }
        });
        return frames;
    }

    /** The echo canceller's reference: what left, when it left, arriving at the peer no earlier than it was sent. */
    @Test
    void sentAudioListenerSeesEachFrameAsItLeaves() throws Exception {
        try (RtpSession a = engine.open(); RtpSession b = engine.open()) {
            List<short[]> sent = new CopyOnWriteArrayList<>();
            List<Long> sentAt = new CopyOnWriteArrayList<>();
            List<Long> arrivedAt = new CopyOnWriteArrayList<>();
            a.onSentAudio((pcm, nanos) -> {
                if (TestAudio.rms(pcm) > 1000) {
                    sent.add(pcm);
                    sentAt.add(nanos);
                }
            });
            b.onAudio((pcm, arrival) -> {
                if (TestAudio.rms(pcm) > 1000) arrivedAt.add(arrival);
            });
            a.start(local(b.localPort()), Codec.PCMU);
            b.start(local(a.localPort()), Codec.PCMU);
            a.play(TestAudio.tone(700, 0.5, 8000)).done().get(5, TimeUnit.SECONDS);
            await(() -> arrivedAt.size() >= 25);

            assertEquals(25, sent.size(), "one reference frame per 20 ms of the tone");
            assertEquals(700, TestAudio.dominantFrequency(TestAudio.audibleConcatenation(sent, 1000)));
            for (int i = 1; i < sentAt.size(); i++) assertTrue(sentAt.get(i) > sentAt.get(i - 1), "send times in order");
            assertTrue(arrivedAt.get(0) >= sentAt.get(0), "the first frame arrived after it was sent");
        }
    }

    @ParameterizedTest
    @EnumSource(Codec.class)
    void twoSessionsCarryAToneEachWay(Codec codec) throws Exception {
        try (RtpSession a = engine.open(); RtpSession b = engine.open()) {
            List<short[]> heardByA = collect(a);
            List<short[]> heardByB = collect(b);
            a.start(local(b.localPort()), codec);
            b.start(local(a.localPort()), codec);
            Playout fromA = a.play(TestAudio.tone(1000, 1.0, 8000));
            Playout fromB = b.play(TestAudio.tone(450, 1.0, 8000));

            assertEquals(new PlayoutResult(50, 50, false), fromA.done().get(5, TimeUnit.SECONDS));
            assertEquals(new PlayoutResult(50, 50, false), fromB.done().get(5, TimeUnit.SECONDS));
            await(() -> TestAudio.audibleConcatenation(heardByA, 1000).length >= 50 * 160
                    && TestAudio.audibleConcatenation(heardByB, 1000).length >= 50 * 160);

            short[] atB = TestAudio.audibleConcatenation(heardByB, 1000);
            short[] atA = TestAudio.audibleConcatenation(heardByA, 1000);
            assertEquals(1000, TestAudio.dominantFrequency(atB));
            assertEquals(450, TestAudio.dominantFrequency(atA));
            // 8000 amplitude sine: rms 5657; G.711 keeps it within a few percent
            assertEquals(5657, TestAudio.rms(atB), 300);
            assertEquals(5657, TestAudio.rms(atA), 300);
            assertTrue(atB.length >= 48 * 160, "frames of tone at B: " + atB.length / 160);
            assertTrue(atA.length >= 48 * 160, "frames of tone at A: " + atA.length / 160);
            RtpStats statsB = b.stats();
            assertEquals(0, statsB.packetsDropped());
            assertTrue(statsB.packetsReceived() >= 50, statsB.toString());
            assertFalse(a.isPlaying());
        }
    }

    @Test
    void theWireCarriesContinuousPcmuEvery20Ms() throws Exception {
        try (DatagramSocket phone = TestNet.socketBelow32768(); RtpSession session = engine.open()) {
            session.start(local(phone.getLocalPort()), Codec.PCMU);
            List<TestNet.Captured> packets = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                packets.add(TestNet.Captured.read(phone));
            }
            session.play(TestAudio.tone(1000, 0.5, 8000));
            for (int i = 0; i < 60; i++) {
                packets.add(TestNet.Captured.read(phone));
            }

            TestNet.Captured first = packets.get(0);
            assertTrue(first.marker(), "first packet of the stream carries the marker");
            int audioStart = -1;
            for (int i = 0; i < packets.size(); i++) {
                TestNet.Captured p = packets.get(i);
                assertEquals(2, p.version());
                assertEquals(0, p.pt());
                assertEquals(first.ssrc(), p.ssrc());
                assertEquals(160, p.payload().length);
                assertEquals((first.seq() + i) & 0xFFFF, p.seq(), "sequence at packet " + i);
                assertEquals((first.ts() + 160L * i) & 0xFFFF_FFFFL, p.ts(), "timestamp at packet " + i);
                if (audioStart < 0 && !p.isSilence(Codec.PCMU.silence())) {
                    audioStart = i;
                }
            }
            assertTrue(audioStart >= 10, "idle packets are silence; audio starts at " + audioStart);
            for (int i = 1; i < packets.size(); i++) {
                assertEquals(i == audioStart, packets.get(i).marker(), "marker only where the talk-spurt starts, packet " + i);
            }
            for (int i = audioStart; i < audioStart + 25; i++) {
                assertFalse(packets.get(i).isSilence(Codec.PCMU.silence()), "0.5 s of tone is 25 audio packets");
            }
            assertTrue(packets.get(audioStart + 25).isSilence(Codec.PCMU.silence()));

            double meanMs = (packets.get(packets.size() - 1).arrivalNanos() - first.arrivalNanos())
                    / 1e6 / (packets.size() - 1);
            log.info("inter-arrival mean over {} packets: {} ms", packets.size(), String.format("%.3f", meanMs));

            // every packet after the first is one interval in the send timing, whatever the machine's load
            SendTiming timing = session.sendTiming();
            assertTrue(timing.intervals() >= packets.size() - 1, timing.intervals() + " intervals for "
                    + packets.size() + " packets read");
            log.info("send-interval error p50 {} ms, p99 {} ms", timing.percentileMillis(50), timing.percentileMillis(99));
        }
    }

    @Test
    void flushStopsQueuedAudioWithinAFrameAndInterruptsThePlayout() throws Exception {
        try (DatagramSocket phone = TestNet.socketBelow32768(); RtpSession session = engine.open()) {
            session.start(local(phone.getLocalPort()), Codec.PCMU);
            Playout first = session.play(TestAudio.tone(1000, 1.0, 8000));
            Playout second = session.play(TestAudio.tone(700, 1.0, 8000));
            TestNet.Captured firstPacket = TestNet.Captured.read(phone);
            long firstSeq = firstPacket.seq();
            Thread.sleep(200);
            assertTrue(session.isPlaying());

            int dropped = session.flush();
            long sentAtFlush = session.stats().packetsSent();

            PlayoutResult r1 = first.done().get(1, TimeUnit.SECONDS);
            PlayoutResult r2 = second.done().get(1, TimeUnit.SECONDS);
            assertTrue(r1.interrupted() && r2.interrupted());
            assertEquals(50, r1.framesTotal());
            assertEquals(0, r2.framesPlayed());
            assertEquals(100 - r1.framesPlayed(), dropped);
            assertFalse(session.isPlaying());
            // every packet sent after the flush (allowing the one in flight) is silence
            int audioAfterFlush = 0;
            int audioPackets = firstPacket.isSilence(Codec.PCMU.silence()) ? 0 : 1;
            for (int i = 0; i < 60; i++) {
                TestNet.Captured p = TestNet.Captured.read(phone);
                long index = ((p.seq() - firstSeq) & 0xFFFF) + 1;
                boolean audio = !p.isSilence(Codec.PCMU.silence());
                audioPackets += audio ? 1 : 0;
                if (audio && index > sentAtFlush + 1) {
                    audioAfterFlush++;
                }
            }
            assertEquals(0, audioAfterFlush);
            assertEquals(r1.framesPlayed(), audioPackets, "every played frame, and only those, went out");
        }
    }

    @Test
    void garbageIsCountedAndDecodingGoesOn() throws Exception {
        try (DatagramSocket phone = TestNet.socketBelow32768(); RtpSession session = engine.open()) {
            List<short[]> heard = collectSound(session);
            session.start(local(phone.getLocalPort()), Codec.PCMU);
            int port = session.localPort();
            short[] tone = TestAudio.tone(800, 0.6, 8000);
            byte[] version1 = TestNet.rtp(false, 0, 1, 1, 1, new byte[160]);
            version1[0] = 0x40;
            List<byte[]> garbage = List.of(
                    "hello, this is not RTP at all".getBytes(),
                    new byte[] {(byte) 0x80, 0, 1},
                    version1,
                    TestNet.rtp(false, 0, 7, 7, 7, new byte[1200]),
                    TestNet.rtp(false, 18, 7, 7, 7, new byte[20]),
                    TestNet.rtp(false, 0, 7, 7, 7, new byte[0]));
            int seq = 500;
            for (int frame = 0; frame < 30; frame++) {
                byte[] payload = G711.ulawEncode(Arrays.copyOfRange(tone, frame * 160, frame * 160 + 160));
                TestNet.send(phone, TestNet.rtp(frame == 0, 0, seq++, 160L * frame, 99, payload), port);
                if (frame % 5 == 2) {
                    TestNet.send(phone, garbage.get(frame / 5), port);
                }
                if (frame == 20) {
                    TestNet.send(phone, TestNet.rtp(false, 101, seq++, 160L * frame, 99, new byte[4]), port);
                }
                Thread.sleep(5);
            }
            await(() -> session.stats().packetsDropped() >= 6 && heard.size() >= 30);
            Thread.sleep(100); // nothing more may arrive

            RtpStats stats = session.stats();
            assertEquals(6, stats.packetsDropped(), stats.toString());
            assertEquals(1, stats.telephoneEvents());
            assertEquals(31, stats.packetsReceived());
            assertEquals(0, stats.packetsLost());
            assertEquals(30, heard.size());
            short[] all = TestAudio.audibleConcatenation(heard, 1000);
            assertEquals(30 * 160, all.length);
            assertEquals(800, TestAudio.dominantFrequency(all));
        }
    }

    @Test
    void reorderedAndDuplicatedPacketsArePlayedInOrder() throws Exception {
        try (DatagramSocket phone = TestNet.socketBelow32768(); RtpSession session = engine.open()) {
            List<short[]> heard = collectSound(session);
            session.start(local(phone.getLocalPort()), Codec.PCMU);
            // packet k carries a constant level that names it: 1000 + 200 k
            int[] order = {0, 2, 1, 3, 3, 5, 4, 6, 8, 7, 7, 9, 10, 12, 11, 13, 14, 14, 16, 15, 17, 19, 18, 19};
            for (int k : order) {
                short[] level = new short[160];
                Arrays.fill(level, (short) (1000 + 200 * k));
                TestNet.send(phone, TestNet.rtp(k == 0, 0, 65530 + k, 160L * k, 42, G711.ulawEncode(level)),
                        session.localPort());
            }
            await(() -> heard.size() >= 20);
            Thread.sleep(100);

            assertEquals(20, heard.size(), session.stats().toString());
            for (int k = 0; k < 20; k++) {
                int level = 1000 + 200 * k;
                assertEquals(level, heard.get(k)[0], level * 0.04, "frame " + k + " in order"); // µ-law step < 4 %
            }
            RtpStats stats = session.stats();
            assertEquals(4, stats.packetsDuplicate(), stats.toString());
            assertEquals(0, stats.packetsLost());
        }
    }

    @Test
    void aLostPacketIsConcealedAndCounted() throws Exception {
        try (DatagramSocket phone = TestNet.socketBelow32768(); RtpSession session = engine.open()) {
            List<short[]> heard = collectSound(session);
            session.start(local(phone.getLocalPort()), Codec.PCMU);
            short[] tone = TestAudio.tone(600, 0.2, 8000);
            for (int k = 0; k < 10; k++) {
                if (k != 4) {
                    byte[] payload = G711.ulawEncode(Arrays.copyOfRange(tone, k * 160, k * 160 + 160));
                    TestNet.send(phone, TestNet.rtp(k == 0, 0, 10 + k, 160L * k, 5, payload), session.localPort());
                }
                Thread.sleep(20);
            }
            await(() -> heard.size() >= 10);
            Thread.sleep(100);

            assertEquals(10, heard.size());
            assertEquals(1, session.stats().packetsLost());
            double before = TestAudio.rms(heard.get(3));
            double concealed = TestAudio.rms(heard.get(4));
            assertEquals(before / 2, concealed, before * 0.05, "the lost frame repeats the last one at half level");
        }
    }

    @Test
    void sendsToWherePacketsReallyComeFrom() throws Exception {
        try (DatagramSocket signalled = TestNet.socketBelow32768();
                DatagramSocket actual = TestNet.socketBelow32768();
                RtpSession session = engine.open()) {
            session.start(local(signalled.getLocalPort()), Codec.PCMA);
            TestNet.Captured beforeLatch = TestNet.Captured.read(signalled);
            assertEquals(8, beforeLatch.pt());

            TestNet.send(actual, TestNet.rtp(true, 8, 1, 0, 3, new byte[160]), session.localPort());
            TestNet.Captured afterLatch = TestNet.Captured.read(actual);
            assertEquals(8, afterLatch.pt());
            assertEquals(beforeLatch.ssrc(), afterLatch.ssrc());
            assertEquals(local(actual.getLocalPort()), session.remoteAddress());

            TestNet.send(signalled, TestNet.rtp(false, 8, 2, 160, 3, new byte[160]), session.localPort());
            await(() -> session.stats().packetsDropped() >= 1);
            assertEquals(1, session.stats().packetsDropped(), "a stranger's packets are dropped after latching");
            signalled.setSoTimeout(100);
            drainUntilQuiet(signalled);
        }
    }

    @Test
    void dtmfDigitsArriveOncePerKeyPressAndTakeTheirAudioSlot() throws Exception {
        try (DatagramSocket phone = TestNet.socketBelow32768(); RtpSession session = engine.open()) {
            StringBuffer digits = new StringBuffer();
            List<short[]> heard = collectSound(session);
            session.onDtmf((digit, arrival) -> digits.append(digit));
            session.start(local(phone.getLocalPort()), Codec.PCMU, 96);
            int seq = 1000;
            long ts = 0;
            TestNet.send(phone, TestNet.rtp(true, 0, seq++, ts, 9, new byte[160]), session.localPort());
            for (int event : new int[] {5, 11, 10, 5}) { // '5', '#', '*', '5'
                ts += 1600;
                for (int packet = 0; packet < 6; packet++) {
                    boolean end = packet >= 3; // RFC 4733: the end packet is sent three times
                    int duration = 160 * Math.min(packet + 1, 4);
                    byte[] payload = {(byte) event, (byte) ((end ? 0x80 : 0) | 10), (byte) (duration >> 8), (byte) duration};
                    TestNet.send(phone, TestNet.rtp(packet == 0, 96, seq++, ts, 9, payload), session.localPort());
                }
            }
            byte[] straggler = {5, (byte) 0x8A, 2, (byte) 0x80}; // a late repeat of the first '5'
            TestNet.send(phone, TestNet.rtp(false, 96, seq - 20, ts - 3 * 1600, 9, straggler), session.localPort());
            TestNet.send(phone, TestNet.rtp(true, 0, seq, ts + 640, 9, new byte[160]), session.localPort());
            await(() -> heard.size() >= 2);
            Thread.sleep(100);

            assertEquals("5#*5", digits.toString());
            RtpStats stats = session.stats();
            assertEquals(25, stats.telephoneEvents(), stats.toString());
            assertEquals(0, stats.packetsLost(), "telephone-events take sequence numbers without audio loss");
            assertEquals(2, heard.size());
        }
    }

    @Test
    void silenceAndComfortNoiseFromThePeerStillYieldFramesEvery20Ms() throws Exception {
        try (DatagramSocket phone = TestNet.socketBelow32768(); RtpSession session = engine.open()) {
            List<short[]> all = collect(session);
            List<short[]> sound = collectSound(session);
            session.start(local(phone.getLocalPort()), Codec.PCMU);
            byte[] tone = G711.ulawEncode(TestAudio.tone(500, 0.02, 8000));
            TestNet.send(phone, TestNet.rtp(true, 0, 1, 0, 77, tone), session.localPort());
            TestNet.send(phone, TestNet.rtp(false, 13, 2, 160, 77, new byte[] {40}), session.localPort());
            await(() -> all.size() >= 30);
            TestNet.send(phone, TestNet.rtp(true, 0, 3, 160 * 40, 77, tone), session.localPort());
            await(() -> sound.size() >= 2);

            assertEquals(2, sound.size());
            assertTrue(all.size() >= 31, "silence filled the quiet time: " + all.size());
            RtpStats stats = session.stats();
            assertEquals(0, stats.packetsLost(), "comfort noise takes its sequence number: " + stats);
            assertEquals(0, stats.packetsDropped());
            assertEquals(3, stats.packetsReceived());
        }
    }

    /** Waits for what the event loop does asynchronously; generous because the machine is shared. */
    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    private static void drainUntilQuiet(DatagramSocket socket) throws Exception {
        try {
            for (int i = 0; i < 100; i++) {
                TestNet.Captured.read(socket);
            }
        } catch (SocketTimeoutException expected) {
            return;
        }
        throw new AssertionError("the signalled address still receives audio after latching");
    }
}
