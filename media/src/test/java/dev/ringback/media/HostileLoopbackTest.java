package dev.ringback.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringback.media.rtp.HostilePackets;
import dev.ringback.media.rtp.RtpDecoder;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two SRTP sessions in a call on 127.0.0.1 while a third party sprays both ports of one of them with seeded hostile
 * RTP and RTCP: every hostile datagram is counted as a drop at some stage, and the call carries its tones both ways
 * before, during and after.
 */
class HostileLoopbackTest {
    private static final long SEED = 0x5EED_0008L;
    private static final int DATAGRAMS = 600;
    private static RtpEngine engine;

    @BeforeAll
    static void startEngine() {
        RtpConfig range = TestNet.freeRange(4);
        engine = new RtpEngine(new RtpConfig(range.bindHost(), range.portMin(), range.portMax(), 300), 2);
    }

    @AfterAll
    static void stopEngine() {
        engine.close();
    }

    @Test
    void aSprayOfHostileDatagramsIsCountedAndTheCallGoesOn() throws Exception {
        SecureRandom random = new SecureRandom();
        String keyA = SrtpKeys.newInlineKey(random);
        String keyB = SrtpKeys.newInlineKey(random);
        HostilePackets hostile = new HostilePackets(SEED);
        try (DatagramSocket attacker = TestNet.socketBelow32768(); RtpSession a = engine.open("hostile-a");
                RtpSession b = engine.open("hostile-b")) {
            List<short[]> atA = loud(a);
            List<short[]> atB = loud(b);
            a.start(local(b.localPort()), Codec.PCMU, 101, Optional.of(new SrtpKeys(keyA, keyB)));
            b.start(local(a.localPort()), Codec.PCMU, 101, Optional.of(new SrtpKeys(keyB, keyA)));
            a.play(TestAudio.tone(1000, 0.4, 8000)).done().get(10, TimeUnit.SECONDS);
            await(() -> atB.size() >= 15 && b.rtcpStats().reportsReceived() >= 1, () -> "the call before: " + b.stats());

            long droppedBefore = drops(b);
            Playout during = a.play(TestAudio.tone(1000, 1.0, 8000));
            int sent = 0;
            while (sent < DATAGRAMS) {
                // in batches small enough for the socket buffer, whatever else the machine is doing
                for (int i = 0; i < 20 && sent < DATAGRAMS; i++) {
                    boolean rtcp = hostile.random().nextInt(3) == 0;
                    byte[] datagram = rtcp ? hostile.nextRtcp().bytes()
                            : hostile.nextRtp(Set.of(0, 101, RtpDecoder.COMFORT_NOISE_PT)).bytes();
                    if (datagram.length == 0) {
                        continue; // an empty datagram may never reach the channel (SessionFuzzTest has them)
                    }
                    TestNet.send(attacker, datagram, rtcp ? b.localPort() + 1 : b.localPort());
                    sent++;
                }
                long expected = sent;
                await(() -> drops(b) - droppedBefore == expected, () -> expected + " hostile datagrams dropped: "
                        + b.stats());
            }
            during.done().get(10, TimeUnit.SECONDS);

            atA.clear();
            atB.clear();
            a.play(TestAudio.tone(1000, 0.6, 8000)).done().get(10, TimeUnit.SECONDS);
            b.play(TestAudio.tone(450, 0.6, 8000)).done().get(10, TimeUnit.SECONDS);
            await(() -> atA.size() >= 25 && atB.size() >= 25, () -> "the tones after");
            assertEquals(1000, TestAudio.dominantFrequency(TestAudio.audibleConcatenation(atB, 1000)));
            assertEquals(450, TestAudio.dominantFrequency(TestAudio.audibleConcatenation(atA, 1000)));
            assertEquals(DATAGRAMS, drops(b) - droppedBefore, () -> "only the hostile ones dropped: " + b.stats());
            assertEquals(0, b.stats().packetsLost(), "none of A's packets was lost in the spray");
        }
    }

    /** Datagrams B dropped at any stage on arrival (late and duplicate packets are not drops of datagrams). */
    private static long drops(RtpSession session) {
        return session.stats().packetsDropped() + session.rtcpStats().reportsDropped();
    }

    private static List<short[]> loud(RtpSession session) {
        List<short[]> frames = new CopyOnWriteArrayList<>();
        session.onAudio((pcm, arrival) -> {
            if (TestAudio.rms(pcm) > 1000) {
                frames.add(pcm);
            }
        });
        return frames;
    }

    private static InetSocketAddress local(int port) {
        return new InetSocketAddress(TestNet.HOST, port);
    }

    private static void await(BooleanSupplier condition, Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, () -> "timed out waiting for " + what.get());
            Thread.sleep(5);
        }
    }
}
