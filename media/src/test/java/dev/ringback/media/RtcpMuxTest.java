package dev.ringback.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringback.media.rtcp.Rtcp;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RFC 5761 RTP/RTCP multiplexing on one port, over 127.0.0.1 (reports every ~200 ms here). */
class RtcpMuxTest {
    private static RtpEngine engine;

    @BeforeAll
    static void startEngine() {
        RtpConfig range = TestNet.freeRange(8);
        engine = new RtpEngine(new RtpConfig(range.bindHost(), range.portMin(), range.portMax(), 200), 2);
    }

    @AfterAll
    static void stopEngine() {
        engine.close();
    }

    private static InetSocketAddress local(int port) {
        return new InetSocketAddress(TestNet.HOST, port);
    }

    @Test
    void twoMuxedSessionsCarryAudioAndReportsOnOnePortEach() throws Exception {
        try (RtpSession a = engine.open(true); RtpSession b = engine.open(true)) {
            assertTrue(a.rtcpMux() && b.rtcpMux());
            // only the even port is bound: the odd one above is free for anyone
            try (DatagramSocket odd = new DatagramSocket(local(a.localPort() + 1))) {
                assertEquals(a.localPort() + 1, odd.getLocalPort());
            }
            List<short[]> heardByB = new CopyOnWriteArrayList<>();
            b.onAudio((pcm, arrival) -> heardByB.add(pcm));
            a.start(local(b.localPort()), Codec.PCMU);
            b.start(local(a.localPort()), Codec.PCMU);
            a.play(TestAudio.tone(900, 1.0, 8000));
            await(() -> a.rtcpStats().roundTripMillis() >= 0 && b.rtcpStats().roundTripMillis() >= 0
                    && a.rtcpStats().reportsReceived() >= 2 && b.rtcpStats().reportsReceived() >= 2);
            await(() -> TestAudio.audibleConcatenation(heardByB, 1000).length >= 45 * 160);

            assertEquals(900, TestAudio.dominantFrequency(TestAudio.audibleConcatenation(heardByB, 1000)));
            assertEquals(0, a.stats().packetsDropped(), "RTCP on the RTP port is not taken for bad RTP");
            assertEquals(0, b.stats().packetsDropped());
            assertEquals(0, b.rtcpStats().reportsDropped());
            assertTrue(b.rtcpStats().packetsExpected() >= 45, b.rtcpStats().toString());
        }
    }

    @Test
    void aMuxedSessionSendsItsReportsToThePeersRtpPort() throws Exception {
        int phonePort = TestNet.freePort();
        try (DatagramSocket phone = new DatagramSocket(local(phonePort));
                DatagramSocket phoneRtcp = new DatagramSocket(local(phonePort + 1));
                RtpSession session = engine.open()) {
            phone.setSoTimeout(2000);
            session.setRtcpMux(true);
            session.start(local(phonePort), Codec.PCMA);
            int rtp = 0;
            int rtcp = 0;
            for (int i = 0; i < 60 && rtcp == 0; i++) {
                byte[] buf = new byte[2048];
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                phone.receive(p);
                int secondByte = buf[1] & 0xFF;
                if (secondByte == Rtcp.SR) {
                    rtcp++;
                } else {
                    assertEquals(8, secondByte & 0x7F);
                    rtp++;
                }
            }
            assertEquals(1, rtcp, "a sender report on the RTP port within " + rtp + " packets");
            phoneRtcp.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, () -> phoneRtcp.receive(new DatagramPacket(new byte[64], 64)),
                    "nothing on the RTCP port");
        }
    }

    @Test
    void withoutMuxAnRtcpPacketOnTheRtpPortIsDroppedAndMuxOnlyCannotBeUndone() throws Exception {
        try (DatagramSocket phone = TestNet.socketBelow32768();
                RtpSession plain = engine.open();
                RtpSession muxOnly = engine.open(true)) {
            assertFalse(plain.rtcpMux());
            plain.start(local(phone.getLocalPort()), Codec.PCMU);
            byte[] receiverReport = {(byte) 0x80, (byte) Rtcp.RR, 0, 1, 0, 0, 0, 9};
            TestNet.send(phone, receiverReport, plain.localPort());
            await(() -> plain.stats().packetsDropped() == 1);
            assertEquals(0, plain.rtcpStats().reportsReceived());

            assertThrows(IllegalStateException.class, () -> muxOnly.setRtcpMux(false));
            assertTrue(muxOnly.rtcpMux());
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            Thread.sleep(20);
        }
    }
}
