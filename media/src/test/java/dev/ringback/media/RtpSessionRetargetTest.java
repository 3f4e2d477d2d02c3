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
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Mid-call changes over 127.0.0.1: the peer's media moves (re-INVITE) and the call is held and resumed. */
class RtpSessionRetargetTest {
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
    void retargetMovesTheStreamAndRelatchesOntoTheNewPeer() throws Exception {
        try (DatagramSocket oldPeer = TestNet.socketBelow32768();
                DatagramSocket newPeer = TestNet.socketBelow32768();
                RtpSession session = engine.open()) {
            session.start(local(oldPeer.getLocalPort()), Codec.PCMU);
            TestNet.send(oldPeer, TestNet.rtp(true, 0, 1, 0, 11, new byte[160]), session.localPort());
            await(() -> session.stats().packetsReceived() == 1);
            TestNet.Captured lastAtOld = TestNet.Captured.read(oldPeer);

            session.retarget(local(newPeer.getLocalPort()));
            await(() -> session.remoteAddress().equals(local(newPeer.getLocalPort())));
            oldPeer.setSoTimeout(100);
            lastAtOld = lastPacketUntilQuiet(oldPeer, lastAtOld);
            TestNet.Captured firstAtNew = TestNet.Captured.read(newPeer);

            assertEquals(lastAtOld.ssrc(), firstAtNew.ssrc(), "same stream");
            int seqStep = (firstAtNew.seq() - lastAtOld.seq()) & 0xFFFF;
            assertEquals(1, seqStep, "sequence numbers carry on at the new address");
            assertEquals(160L, (firstAtNew.ts() - lastAtOld.ts()) & 0xFFFF_FFFFL, "timestamps carry on");

            // the old peer's last packets are not latched onto again
            TestNet.send(oldPeer, TestNet.rtp(false, 0, 2, 160, 11, new byte[160]), session.localPort());
            await(() -> session.stats().packetsDropped() == 1);
            assertEquals(local(newPeer.getLocalPort()), session.remoteAddress());
            // the new peer's packets are accepted (a new SSRC, as a new gateway would have)
            TestNet.send(newPeer, TestNet.rtp(true, 0, 900, 0, 22, new byte[160]), session.localPort());
            await(() -> session.stats().packetsReceived() == 2);
            TestNet.send(oldPeer, TestNet.rtp(false, 0, 3, 320, 11, new byte[160]), session.localPort());
            await(() -> session.stats().packetsDropped() == 2);
            assertEquals(2, session.stats().packetsReceived());
            assertEquals(local(newPeer.getLocalPort()), session.remoteAddress());
            assertFalse(receivesWithin(oldPeer, 150), "nothing goes to the old address any more");
        }
    }

    @Test
    void afterARetargetTheOldPeersRtcpIsNotLatchedOntoAgain() throws Exception {
        try (DatagramSocket oldPeer = TestNet.socketBelow32768();
                DatagramSocket oldPeerRtcp = TestNet.socketBelow32768();
                DatagramSocket newPeer = TestNet.socketBelow32768();
                DatagramSocket newPeerRtcp = TestNet.socketBelow32768();
                RtpSession session = engine.open()) {
            session.start(local(oldPeer.getLocalPort()), Codec.PCMU);
            int rtcpPort = session.localPort() + 1;
            TestNet.send(oldPeerRtcp, receiverReport(11), rtcpPort);
            await(() -> session.rtcpStats().reportsReceived() == 1);

            session.retarget(local(newPeer.getLocalPort()));
            await(() -> session.remoteAddress().equals(local(newPeer.getLocalPort())));
            TestNet.send(oldPeerRtcp, receiverReport(11), rtcpPort);
            await(() -> session.rtcpStats().reportsDropped() == 1);
            TestNet.send(newPeerRtcp, receiverReport(22), rtcpPort);
            await(() -> session.rtcpStats().reportsReceived() == 2);
            TestNet.send(oldPeerRtcp, receiverReport(11), rtcpPort);
            await(() -> session.rtcpStats().reportsDropped() == 2);
            assertEquals(2, session.rtcpStats().reportsReceived(), "only the new peer's report was taken");
        }
    }

    private static byte[] receiverReport(long ssrc) {
        var buf = io.netty.buffer.Unpooled.buffer();
        Rtcp.writeReceiverReport(buf, ssrc, null);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        return bytes;
    }

    @Test
    void afterARetargetTheStreamFollowsWherePacketsReallyComeFrom() throws Exception {
        try (DatagramSocket first = TestNet.socketBelow32768();
                DatagramSocket signalled = TestNet.socketBelow32768();
                DatagramSocket behindNat = TestNet.socketBelow32768();
                RtpSession session = engine.open()) {
            session.start(local(first.getLocalPort()), Codec.PCMA);
            TestNet.Captured.read(first);
            session.retarget(local(signalled.getLocalPort()));
            TestNet.Captured.read(signalled);

            TestNet.send(behindNat, TestNet.rtp(true, 8, 5, 0, 33, new byte[160]), session.localPort());
            TestNet.Captured atNat = TestNet.Captured.read(behindNat);

            assertEquals(8, atNat.pt());
            assertEquals(local(behindNat.getLocalPort()), session.remoteAddress());
            assertEquals(1, session.stats().packetsReceived());
            signalled.setSoTimeout(100);
            lastPacketUntilQuiet(signalled, null);
            assertFalse(receivesWithin(signalled, 150), "latched onto the real source, not the signalled one");
        }
    }

    @Test
    void theSameSignalledAddressAgainKeepsTheStreamOnTheSourceItLatchedOnto() throws Exception {
        try (DatagramSocket signalled = TestNet.socketBelow32768();
                DatagramSocket behindNat = TestNet.socketBelow32768();
                RtpSession session = engine.open()) {
            session.start(local(signalled.getLocalPort()), Codec.PCMU);
            TestNet.send(behindNat, TestNet.rtp(true, 0, 1, 0, 44, new byte[160]), session.localPort());
            TestNet.Captured.read(behindNat);
            assertEquals(local(behindNat.getLocalPort()), session.remoteAddress());

            // a session-refresh re-INVITE carries the SDP the call started with
            session.retarget(local(signalled.getLocalPort()));
            TestNet.send(behindNat, TestNet.rtp(false, 0, 2, 160, 44, new byte[160]), session.localPort());
            await(() -> session.stats().packetsReceived() + session.stats().packetsDropped() == 2);

            assertEquals(2, session.stats().packetsReceived(), "the NAT source's next packet is still taken");
            assertEquals(0, session.stats().packetsDropped());
            assertEquals(local(behindNat.getLocalPort()), session.remoteAddress());
            drain(signalled);
            assertFalse(receivesWithin(signalled, 150), "nothing goes to the unreachable signalled address");
        }
    }

    @Test
    void aHeldCallSendsNothingKeepsRtcpGoingAndResumesWithContinuousTimestamps() throws Exception {
        int phonePort = TestNet.freePort();
        try (DatagramSocket phone = new DatagramSocket(local(phonePort));
                DatagramSocket phoneRtcp = new DatagramSocket(local(phonePort + 1));
                RtpSession session = engine.open()) {
            phone.setSoTimeout(2000);
            phoneRtcp.setSoTimeout(2000);
            session.start(local(phonePort), Codec.PCMU);
            session.play(TestAudio.tone(700, 3.0, 8000));
            TestNet.Captured beforeHold = TestNet.Captured.read(phone);

            session.setDirection(MediaDirection.RECVONLY);
            assertEquals(MediaDirection.RECVONLY, session.direction());
            phone.setSoTimeout(100);
            TestNet.Captured lastBeforeHold = lastPacketUntilQuiet(phone, beforeHold);
            long sentAtHold = session.stats().packetsSent();
            int queuedAtHold = session.queuedFrames();
            drain(phoneRtcp);
            assertTrue(receivesWithin(phoneRtcp, 2000), "RTCP reports go on while held");
            assertFalse(receivesWithin(phone, 300), "no RTP while held");
            assertEquals(sentAtHold, session.stats().packetsSent());
            assertEquals(queuedAtHold, session.queuedFrames(), "queued audio waits for the resume");

            long resumedAt = System.nanoTime();
            session.setDirection(MediaDirection.SENDRECV);
            phone.setSoTimeout(2000);
            TestNet.Captured firstAfter = TestNet.Captured.read(phone);

            assertEquals(lastBeforeHold.ssrc(), firstAfter.ssrc());
            assertEquals((lastBeforeHold.seq() + 1) & 0xFFFF, firstAfter.seq(), "no sequence numbers spent while held");
            assertTrue(firstAfter.marker(), "the first packet after the hold starts a talk-spurt");
            assertFalse(firstAfter.isSilence(Codec.PCMU.silence()), "the queued tone goes on");
            double heldMillis = (firstAfter.arrivalNanos() - lastBeforeHold.arrivalNanos()) / 1e6;
            double timestampMillis = ((firstAfter.ts() - lastBeforeHold.ts()) & 0xFFFF_FFFFL) / 8.0;
            assertTrue(heldMillis > 350, "held for " + heldMillis + " ms (resumed " + (System.nanoTime() - resumedAt) / 1e6
                    + " ms ago)");
            // a frozen clock would show 20 ms; ticks the pacing clock skips when the machine stalls show as less
            assertTrue(timestampMillis > 300 && timestampMillis <= heldMillis + 40,
                    "the timestamp advanced with the time held: " + timestampMillis + " ms in " + heldMillis + " ms");
        }
    }

    @Test
    void whileHeldTheReportsBecomeReceiverReportsAndSenderReportsComeBackOnResume() throws Exception {
        int phonePort = TestNet.freePort();
        try (DatagramSocket phone = new DatagramSocket(local(phonePort));
                DatagramSocket phoneRtcp = new DatagramSocket(local(phonePort + 1));
                RtpSession session = engine.open()) {
            phoneRtcp.setSoTimeout(2000);
            session.start(local(phonePort), Codec.PCMU);
            assertEquals(Rtcp.SR, nextReportType(phoneRtcp), "sending: sender reports");

            session.setDirection(MediaDirection.RECVONLY);
            // RFC 3550 §6.4: an SR while we have sent since the report before last, then RRs
            int[] heldTypes = {nextReportType(phoneRtcp), nextReportType(phoneRtcp), nextReportType(phoneRtcp),
                    nextReportType(phoneRtcp)};
            assertEquals(Rtcp.RR, heldTypes[3], "held: " + Arrays.toString(heldTypes));

            session.setDirection(MediaDirection.SENDRECV);
            int[] resumedTypes = {nextReportType(phoneRtcp), nextReportType(phoneRtcp)};
            assertTrue(resumedTypes[0] == Rtcp.SR || resumedTypes[1] == Rtcp.SR,
                    "sending again: " + Arrays.toString(resumedTypes));
        }
    }

    /** The packet type of the next RTCP compound's first part. */
    private static int nextReportType(DatagramSocket rtcp) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        rtcp.receive(p);
        return p.getData()[1] & 0xFF;
    }

    @Test
    void retargetBeforeStartIsRefused() {
        try (RtpSession session = engine.open()) {
            assertThrows(IllegalStateException.class, () -> session.retarget(local(20_000)));
            assertThrows(IllegalArgumentException.class,
                    () -> session.retarget(InetSocketAddress.createUnresolved("nowhere.invalid", 4000)));
        }
    }

    /** Reads until the socket's timeout passes without a packet; returns the last packet (or {@code last}). */
    private static TestNet.Captured lastPacketUntilQuiet(DatagramSocket socket, TestNet.Captured last) throws Exception {
        try {
            for (int i = 0; i < 500; i++) {
                last = TestNet.Captured.read(socket);
            }
        } catch (SocketTimeoutException quiet) {
            return last;
        }
        throw new AssertionError("the socket never went quiet");
    }

    private static void drain(DatagramSocket socket) throws Exception {
        int timeout = socket.getSoTimeout();
        socket.setSoTimeout(1);
        try {
            while (true) {
                socket.receive(new DatagramPacket(new byte[2048], 2048));
            }
        } catch (SocketTimeoutException empty) {
            socket.setSoTimeout(timeout);
        }
    }

    private static boolean receivesWithin(DatagramSocket socket, int millis) throws Exception {
        int timeout = socket.getSoTimeout();
        socket.setSoTimeout(millis);
        try {
            socket.receive(new DatagramPacket(new byte[2048], 2048));
            return true;
        } catch (SocketTimeoutException nothing) {
            return false;
        } finally {
            socket.setSoTimeout(timeout);
        }
    }

    /** Waits for what the event loop does asynchronously; generous because the machine is shared. */
    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            Thread.sleep(10);
        }
    }
}
