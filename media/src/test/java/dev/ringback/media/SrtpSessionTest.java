package dev.ringback.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SRTP/SRTCP between real sessions on 127.0.0.1 with SDES-style keys, and what happens to bad packets. */
class SrtpSessionTest {
    private static final SecureRandom random = new SecureRandom();
    private static RtpEngine engine;

    @BeforeAll
    static void startEngine() {
        RtpConfig range = TestNet.freeRange(8);
        engine = new RtpEngine(new RtpConfig(range.bindHost(), range.portMin(), range.portMax(), 300), 2);
    }

    @AfterAll
    static void stopEngine() {
        engine.close();
    }

    private static InetSocketAddress local(int port) {
        return new InetSocketAddress(TestNet.HOST, port);
    }

    private static void await(BooleanSupplier condition, java.util.function.Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, () -> "timed out waiting for " + what.get());
            Thread.sleep(20);
        }
    }

    private static List<short[]> collectSound(RtpSession session) {
        List<short[]> frames = new CopyOnWriteArrayList<>();
        session.onAudio((pcm, arrival) -> {
            if (TestAudio.rms(pcm) > 1000) {
                frames.add(pcm);
            }
        });
        return frames;
    }

    @Test
    void aReInviteWithANewKeyMovesBothEndsToItAndAudioGoesOn() throws Exception {
        String keyA = SrtpKeys.newInlineKey(random);
        String keyB = SrtpKeys.newInlineKey(random);
        String keyB2 = SrtpKeys.newInlineKey(random);
        try (RtpSession a = engine.open(); RtpSession b = engine.open(); RtpSession plain = engine.open()) {
            List<short[]> atA = collectSound(a);
            List<short[]> atB = collectSound(b);
            a.start(local(b.localPort()), Codec.PCMU, 101, Optional.of(new SrtpKeys(keyA, keyB)));
            b.start(local(a.localPort()), Codec.PCMU, 101, Optional.of(new SrtpKeys(keyB, keyA)));
            b.play(TestAudio.tone(450, 0.4, 8000)).done().get(10, TimeUnit.SECONDS);
            await(() -> atA.size() >= 18, () -> "the tone before the re-key");

            // B offers a new key of its own; A keeps its key and takes B's new one from the SDP
            b.rekey(new SrtpKeys(keyB2, keyA));
            a.rekey(new SrtpKeys(keyA, keyB2));
            a.rekey(new SrtpKeys(keyA, keyB2)); // a refresh with the same keys changes nothing
            Thread.sleep(100); // packets B sent with its new key before A switched fail, as they should
            long failuresAfterRekey = a.srtpStats().authFailures();
            atA.clear();
            b.play(TestAudio.tone(450, 0.6, 8000)).done().get(10, TimeUnit.SECONDS);
            a.play(TestAudio.tone(1000, 0.6, 8000)).done().get(10, TimeUnit.SECONDS);
            await(() -> atA.size() >= 28 && atB.size() >= 28, () -> "the tones after the re-key");

            assertEquals(450, TestAudio.dominantFrequency(TestAudio.audibleConcatenation(atA, 1000)));
            assertEquals(1000, TestAudio.dominantFrequency(TestAudio.audibleConcatenation(atB, 1000)));
            assertEquals(failuresAfterRekey, a.srtpStats().authFailures(), "nothing fails once both use the new key");
            assertEquals(0, b.srtpStats().authFailures(), "A's key never changed");

            plain.start(local(a.localPort()), Codec.PCMU);
            assertThrows(IllegalStateException.class, () -> plain.rekey(new SrtpKeys(keyA, keyB)));
        }
    }

    @Test
    void encryptedBothWaysCarriesAToneAndReports() throws Exception {
        String keyA = SrtpKeys.newInlineKey(random);
        String keyB = SrtpKeys.newInlineKey(random);
        try (RtpSession a = engine.open(); RtpSession b = engine.open()) {
            List<short[]> atA = collectSound(a);
            List<short[]> atB = collectSound(b);
            a.start(local(b.localPort()), Codec.PCMU, 101, Optional.of(new SrtpKeys(keyA, keyB)));
            b.start(local(a.localPort()), Codec.PCMU, 101, Optional.of(new SrtpKeys(keyB, keyA)));
            a.play(TestAudio.tone(1000, 1, 8000)).done().get(10, TimeUnit.SECONDS);
            b.play(TestAudio.tone(450, 0.6, 8000)).done().get(10, TimeUnit.SECONDS);
            await(() -> atB.size() >= 48 && atA.size() >= 28, () -> "the tones");
            await(() -> a.rtcpStats().reportsReceived() >= 1 && b.rtcpStats().reportsReceived() >= 1, () -> "SRTCP reports");

            assertEquals(1000, TestAudio.dominantFrequency(TestAudio.audibleConcatenation(atB, 1000)));
            assertEquals(450, TestAudio.dominantFrequency(TestAudio.audibleConcatenation(atA, 1000)));
            assertEquals(new SrtpStats(true, 0, 0, 0, 0), a.srtpStats());
            assertEquals(new SrtpStats(true, 0, 0, 0, 0), b.srtpStats());
            assertEquals(0, b.stats().packetsDropped());
        }
    }

    @Test
    void aWrongKeyDropsEverythingAndCountsIt() throws Exception {
        String keyA = SrtpKeys.newInlineKey(random);
        String keyB = SrtpKeys.newInlineKey(random);
        String notKeyA = SrtpKeys.newInlineKey(random);
        try (RtpSession a = engine.open(); RtpSession b = engine.open()) {
            List<short[]> atB = collectSound(b);
            a.start(local(b.localPort()), Codec.PCMU, 101, Optional.of(new SrtpKeys(keyA, keyB)));
            b.start(local(a.localPort()), Codec.PCMU, 101, Optional.of(new SrtpKeys(keyB, notKeyA)));
            a.play(TestAudio.tone(1000, 1, 8000)).done().get(10, TimeUnit.SECONDS);
            await(() -> b.srtpStats().authFailures() >= 50 && b.srtpStats().rtcpAuthFailures() >= 1,
                    () -> "B rejecting A's packets");

            assertTrue(atB.isEmpty(), () -> "nothing decrypted with the wrong key is played");
            assertEquals(0, b.stats().packetsReceived());
            assertTrue(b.stats().packetsDropped() >= 50);
            assertEquals(0, b.rtcpStats().reportsReceived());
            assertEquals(0, a.srtpStats().authFailures(), "A has B's right key");
        }
    }

    @Test
    void theWireIsEncryptedAndAReplayIsCountedAndDropped() throws Exception {
        String keyA = SrtpKeys.newInlineKey(random);
        String keyB = SrtpKeys.newInlineKey(random);
        try (DatagramSocket tap = TestNet.socketBelow32768(); RtpSession a = engine.open(); RtpSession b = engine.open()) {
            a.start(local(tap.getLocalPort()), Codec.PCMU, 101, Optional.of(new SrtpKeys(keyA, keyB)));
            b.start(local(tap.getLocalPort()), Codec.PCMU, 101, Optional.of(new SrtpKeys(keyB, keyA)));
            List<byte[]> fromA = new ArrayList<>();
            while (fromA.size() < 20) {
                DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
                tap.receive(p);
                if (p.getPort() == a.localPort()) {
                    byte[] packet = java.util.Arrays.copyOf(p.getData(), p.getLength());
                    fromA.add(packet);
                    tap.send(new DatagramPacket(packet, packet.length, local(b.localPort())));
                }
            }
            // idle silence: in clear every payload byte would be the PCMU silence code 0xFF
            for (byte[] packet : fromA) {
                assertEquals(12 + 160 + 10, packet.length, "header, payload, 80-bit tag");
                int silenceBytes = 0;
                for (int i = 12; i < 172; i++) {
                    silenceBytes += packet[i] == Codec.PCMU.silence() ? 1 : 0;
                }
                assertTrue(silenceBytes < 20, "payload is encrypted");
            }
            await(() -> b.stats().packetsReceived() >= 20, () -> "B accepting the forwarded packets");
            assertEquals(0, b.srtpStats().replays());

            byte[] replayed = fromA.get(10);
            tap.send(new DatagramPacket(replayed, replayed.length, local(b.localPort())));
            // a fresh sequence number passes the replay check; the tag then cannot match
            byte[] tampered = fromA.get(19).clone();
            int freshSeq = (((tampered[2] & 0xFF) << 8 | (tampered[3] & 0xFF)) + 5) & 0xFFFF;
            tampered[2] = (byte) (freshSeq >> 8);
            tampered[3] = (byte) freshSeq;
            tap.send(new DatagramPacket(tampered, tampered.length, local(b.localPort())));
            await(() -> b.srtpStats().replays() == 1 && b.srtpStats().authFailures() == 1,
                    () -> "replay and tamper counted: " + b.srtpStats() + " " + b.stats());
            assertEquals(20, b.stats().packetsReceived(), () -> "neither got through");
            assertFalse(b.stats().packetsDuplicate() > 0, "the replay never reached the jitter buffer");
        }
    }

    @Test
    void keysMustBeThirtyBytesOfBase64() {
        String good = SrtpKeys.newInlineKey(random);
        assertThrows(IllegalArgumentException.class, () -> new SrtpKeys(good, "not base64!"));
        assertThrows(IllegalArgumentException.class, () -> new SrtpKeys("AAAA", good));
        new SrtpKeys(good + "|2^20|1:4", good); // SDP lifetime and MKI after the key are tolerated
    }
}
