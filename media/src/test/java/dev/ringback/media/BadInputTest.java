package dev.ringback.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringback.media.rtcp.Rtcp;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile datagrams on 127.0.0.1 that the other tests do not send: oversized ones, packets before start, and garbage
 * on the RTCP port or muxed on the RTP port. Each is counted and dropped, and the session keeps working.
 * (Garbage, truncated, wrong-version, oversized-payload and unknown-PT RTP: RtpSessionLoopbackTest; strangers after
 * latching: RtpSessionLoopbackTest and RtpSessionRetargetTest; bad SRTP: SrtpSessionTest; parser cases: RtpPacketTest.)
 */
class BadInputTest {
    private static RtpEngine engine;

    @BeforeAll
    static void startEngine() {
        engine = new RtpEngine(TestNet.freeRange(8), 2);
    }

    @AfterAll
    static void stopEngine() {
        engine.close();
    }

    private static InetSocketAddress local(int port) {
        return new InetSocketAddress(TestNet.HOST, port);
    }

    @Test
    void oversizedDatagramsAndPacketsBeforeStartAreDroppedAndAudioGoesOn() throws Exception {
        try (DatagramSocket phone = TestNet.socketBelow32768(); RtpSession session = engine.open()) {
            List<short[]> heard = new CopyOnWriteArrayList<>();
            session.onAudio((pcm, arrival) -> {
                if (TestAudio.rms(pcm) > 0) {
                    heard.add(pcm);
                }
            });
            TestNet.send(phone, TestNet.rtp(true, 0, 1, 0, 4, new byte[160]), session.localPort());
            await(() -> session.stats().packetsDropped() == 1);

            session.start(local(phone.getLocalPort()), Codec.PCMU);
            TestNet.send(phone, TestNet.rtp(false, 0, 2, 160, 4, new byte[9000]), session.localPort()); // jumbo
            TestNet.send(phone, new byte[60_000], session.localPort()); // near the UDP maximum, all zeros
            await(() -> session.stats().packetsDropped() == 3);
            byte[] tone = G711.ulawEncode(TestAudio.tone(500, 0.02, 8000));
            TestNet.send(phone, TestNet.rtp(true, 0, 3, 320, 4, tone), session.localPort());
            await(() -> heard.size() == 1);

            assertEquals(3, session.stats().packetsDropped(), session.stats().toString());
            assertEquals(1, session.stats().packetsReceived());
        }
    }

    @Test
    void garbageOnTheRtcpPortIsCountedAndReportsStillCount() throws Exception {
        int phonePort = TestNet.freePort();
        try (DatagramSocket phone = new DatagramSocket(local(phonePort));
                DatagramSocket phoneRtcp = new DatagramSocket(local(phonePort + 1));
                DatagramSocket stranger = TestNet.socketBelow32768();
                RtpSession session = engine.open()) {
            session.start(local(phonePort), Codec.PCMU);
            int rtcpPort = session.localPort() + 1;
            byte[] wrongVersion = receiverReport();
            wrongVersion[0] = 0x40;
            byte[] overrun = receiverReport();
            overrun[3] = 9; // says 40 bytes, has 8
            byte[] sdesFirst = receiverReport();
            sdesFirst[1] = (byte) Rtcp.SDES;
            List<byte[]> garbage = List.of("not RTCP at all, just text".getBytes(), new byte[] {(byte) 0x80, (byte) 201, 0},
                    wrongVersion, overrun, sdesFirst, new byte[5000]);
            for (byte[] g : garbage) {
                TestNet.send(phoneRtcp, g, rtcpPort);
            }
            await(() -> session.rtcpStats().reportsDropped() == garbage.size());
            TestNet.send(phoneRtcp, receiverReport(), rtcpPort);
            await(() -> session.rtcpStats().reportsReceived() == 1);
            TestNet.send(stranger, receiverReport(), rtcpPort); // latched onto the phone's RTCP port by now
            await(() -> session.rtcpStats().reportsDropped() == garbage.size() + 1);

            RtcpStats stats = session.rtcpStats();
            assertEquals(1, stats.reportsReceived(), stats.toString());
            assertEquals(garbage.size() + 1, stats.reportsDropped());
            assertEquals(0, session.stats().packetsDropped(), "RTCP garbage is not RTP garbage");
        }
    }

    @Test
    void garbageThatLooksLikeMuxedRtcpIsCountedAsRtcp() throws Exception {
        try (DatagramSocket phone = TestNet.socketBelow32768(); RtpSession session = engine.open(true)) {
            session.start(local(phone.getLocalPort()), Codec.PCMU);
            TestNet.send(phone, new byte[] {(byte) 0x80, (byte) Rtcp.SR, 0, 6, 1}, session.localPort()); // truncated SR
            TestNet.send(phone, new byte[] {(byte) 0x80, (byte) Rtcp.RR}, session.localPort());
            await(() -> session.rtcpStats().reportsDropped() == 2);
            TestNet.send(phone, receiverReport(), session.localPort());
            await(() -> session.rtcpStats().reportsReceived() == 1);

            assertEquals(2, session.rtcpStats().reportsDropped());
            assertEquals(0, session.stats().packetsDropped());
        }
    }

    /** An empty RTCP receiver report (no blocks) from SSRC 9. */
    private static byte[] receiverReport() {
        return new byte[] {(byte) 0x80, (byte) Rtcp.RR, 0, 1, 0, 0, 0, 9};
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            Thread.sleep(10);
        }
    }
}
