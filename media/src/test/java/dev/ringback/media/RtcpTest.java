package dev.ringback.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringback.media.rtcp.Rtcp;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** RTCP between real sessions on 127.0.0.1 (reports every ~300 ms here), directly and through a lossy relay. */
class RtcpTest {
    private static final Logger log = LoggerFactory.getLogger(RtcpTest.class);
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

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(20);
        }
    }

    @Test
    void twoSessionsExchangeReportsMeasureRoundTripAndSayBye() throws Exception {
        RtpSession a = engine.open();
        try (RtpSession b = engine.open()) {
            a.start(local(b.localPort()), Codec.PCMU);
            b.start(local(a.localPort()), Codec.PCMU);
            a.play(TestAudio.tone(1000, 3, 8000));
            await(() -> a.rtcpStats().roundTripMillis() >= 0 && b.rtcpStats().roundTripMillis() >= 0
                    && a.rtcpStats().reportsReceived() >= 3, "round-trip times from echoed SRs");

            RtcpStats atA = a.rtcpStats();
            RtcpStats atB = b.rtcpStats();
            log.info("clean loopback: A {} / B {}", atA, atB);
            // loopback: the round trip is event-loop scheduling only; far below a network's
            assertTrue(atA.roundTripMillis() < 200, atA.toString());
            assertTrue(atB.roundTripMillis() < 200, atB.toString());
            assertEquals(0, atB.cumulativeLost(), atB.toString());
            assertEquals(0, atA.remoteCumulativeLost(), atA.toString());
            assertTrue(atB.packetsExpected() > 10, atB.toString());
            assertTrue(atA.packetsSent() >= atB.packetsExpected(), "B cannot expect more than A sent");
            assertEquals(atA.packetsSent() * 160, atA.octetsSent());
            assertTrue(atA.mos() > 4.0, "clean loopback call: MOS " + atA.mos());
            assertFalse(atB.byeReceived());

            a.close();
            await(() -> b.rtcpStats().byeReceived(), "BYE from A");
        } finally {
            a.close();
        }
    }

    @Test
    void lossThroughARelayShowsInBothSidesFigures() throws Exception {
        try (RtpSession a = engine.open(); RtpSession b = engine.open();
                UdpRelay relay = new UdpRelay(a.localPort(), b.localPort(), n -> n % 10 == 5)) {
            a.start(local(relay.portForA()), Codec.PCMU);
            b.start(local(relay.portForB()), Codec.PCMU);
            await(() -> b.rtcpStats().packetsExpected() >= 100 && a.rtcpStats().remoteCumulativeLost() >= 10,
                    "100 packets and a report on the loss");

            long droppedBefore = relay.droppedAtoB();
            RtcpStats atB = b.rtcpStats();
            long droppedAfter = relay.droppedAtoB();
            double lossAtB = atB.cumulativeLost() / (double) atB.packetsExpected();
            assertEquals(0.10, lossAtB, 0.02, atB.toString());
            // a drop shows as lost once the next packet arrives; the relay keeps dropping meanwhile
            assertTrue(atB.cumulativeLost() >= droppedBefore - 2 && atB.cumulativeLost() <= droppedAfter,
                    "B counts what the relay dropped: " + atB.cumulativeLost() + " vs " + droppedBefore + ".." + droppedAfter);
            RtcpStats atA = a.rtcpStats();
            log.info("10 % loss A to B: A {} / B {}", atA, atB);
            // fraction lost covers only the last report interval (RFC 3550 6.4.1): a dozen or so packets, so one drop
            // more or less in it moves it by 0.06-0.1; the cumulative count is the exact figure
            assertTrue(atA.remoteFractionLost() > 0 && atA.remoteFractionLost() <= 0.34, "B's report as A sees it: " + atA);
            assertTrue(atA.remoteCumulativeLost() >= 10, atA.toString());
            assertEquals(0.10, atA.remoteCumulativeLost() / (double) atA.packetsSent(), 0.03, "B's cumulative loss as A sees it: " + atA);
            assertEquals(0, atA.cumulativeLost(), "B to A loses nothing: " + atA);
            assertTrue(atB.mos() < atA.mos() - 0.5, "10 % loss lowers B's MOS: " + atB.mos() + " vs " + atA.mos());
            assertTrue(atA.roundTripMillis() >= 0, "round trip through the relay: " + atA);
        }
    }

    @Test
    void theWireCarriesSenderReportThenCname() throws Exception {
        int port = TestNet.freeRange(1).portMin();
        try (DatagramSocket phoneRtp = new DatagramSocket(local(port));
                DatagramSocket phoneRtcp = new DatagramSocket(local(port + 1));
                RtpSession session = engine.open()) {
            phoneRtcp.setSoTimeout(3000);
            session.start(local(port), Codec.PCMA);
            byte[] buf = new byte[1500];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            phoneRtcp.receive(p);
            ByteBuffer b = ByteBuffer.wrap(buf, 0, p.getLength());
            assertEquals(0x80, b.get(0) & 0xC0, "version 2");
            assertEquals(Rtcp.SR, b.get(1) & 0xFF);
            assertEquals(0, b.get(0) & 0x1F, "no report block before anything was received");
            int srBytes = 4 * ((b.getShort(2) & 0xFFFF) + 1);
            assertEquals(28, srBytes);
            assertEquals(Rtcp.SDES, b.get(srBytes + 1) & 0xFF);
            assertEquals(b.getInt(4), b.getInt(srBytes + 4), "SDES about the SR's sender");
            assertEquals(p.getLength(), srBytes + 4 * ((b.getShort(srBytes + 2) & 0xFFFF) + 1), "compound fills the datagram");
            long ntpSeconds = b.getInt(8) & 0xFFFF_FFFFL;
            assertEquals(System.currentTimeMillis() / 1000 + 2_208_988_800L, ntpSeconds, 2, "NTP wall clock");
            assertTrue(phoneRtp.isBound());
        }
    }

    @Test
    void mosFollowsTheEModel() {
        assertEquals(4.41, RtcpStats.estimateMos(0, 0), 0.01);
        assertTrue(RtcpStats.estimateMos(0, 0.10) < 3.7);
        assertTrue(RtcpStats.estimateMos(400, 0) < RtcpStats.estimateMos(100, 0));
        assertEquals(1.0, RtcpStats.estimateMos(0, 1.0), 0.3);
    }
}
