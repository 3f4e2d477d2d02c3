package dev.ringback.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A priority list of trunk hosts: 503 or silence on one moves the call to the next; OPTIONS probes mark hosts up/down. */
class TrunkFailoverTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) cleanup.get(i).close();
    }

    private <T extends AutoCloseable> T closeLater(T resource) {
        cleanup.add(resource);
        return resource;
    }

    private static SipConfig twoTrunks(int firstPort, int secondPort, Duration inviteTimeout) {
        return TestAgents.towardsTrunk(firstPort).inviteTimeout(inviteTimeout)
                .alternateTrunks(List.of(new TrunkHost("127.0.0.1", secondPort))).build();
    }

    /** A trunk host that takes every datagram and never answers: the "fake" of a dead host, recording what reached it. */
    private static final class SilentHost implements AutoCloseable {
        final DatagramSocket socket;
        final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        private final Thread reader;

        SilentHost() throws Exception {
            socket = new DatagramSocket(TestPorts.freeUdpPort(), InetAddress.getLoopbackAddress());
            reader = new Thread(() -> {
                byte[] buffer = new byte[8192];
                while (!socket.isClosed()) {
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    try {
                        socket.receive(packet);
                        received.add(new String(buffer, 0, packet.getLength(), StandardCharsets.ISO_8859_1));
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            }, "silent-trunk");
            reader.setDaemon(true);
            reader.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws InterruptedException {
            socket.close();
            reader.join(2000);
        }
    }

    @Test
    void firstHostAnswering503MovesTheCallToTheSecond() throws Exception {
        int firstPort = TestPorts.freeUdpPort();
        PeerProcess unavailable = closeLater(Peers.sippUas("uas_unavailable.xml", firstPort, TestPorts.freeUdpPorts(4)));
        int secondPort = TestPorts.freeUdpPort();
        int mediaPort = TestPorts.freeUdpPorts(4);
        PeerProcess answering = closeLater(Peers.sippUas("uas_answer_wait_bye.xml", secondPort, mediaPort));
        SipUserAgent agent = closeLater(SipUserAgent.start(twoTrunks(firstPort, secondPort, Duration.ofSeconds(3))));
        EventRecorder events = new EventRecorder();

        SipCall call = agent.dial(TestAgents.NUMBER, new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), events);
        assertEquals(mediaPort, events.await(CallEvent.Answered.class, WAIT).media().rtpPort());
        assertEquals(OptionalInt.of(0), unavailable.awaitExit(WAIT), unavailable.output());
        TrunkStatus first = agent.trunkStatus().get(0);
        assertFalse(first.up());
        assertEquals(503, first.lastStatus());
        assertTrue(agent.trunkStatus().get(1).up());

        call.hangUp();
        events.await(CallEvent.Ended.class, WAIT);
        assertEquals(OptionalInt.of(0), answering.awaitExit(WAIT), answering.output());
        events.assertSingleTerminalLast();
    }

    @Test
    void silentFirstHostMovesTheCallToTheSecondAfterTheInviteTimeout() throws Exception {
        SilentHost silent = closeLater(new SilentHost());
        int secondPort = TestPorts.freeUdpPort();
        PeerProcess answering = closeLater(Peers.sippUas("uas_answer_wait_bye.xml", secondPort, TestPorts.freeUdpPorts(4)));
        SipUserAgent agent = closeLater(SipUserAgent.start(twoTrunks(silent.port(), secondPort, Duration.ofSeconds(1))));
        EventRecorder events = new EventRecorder();

        SipCall call = agent.dial(TestAgents.NUMBER, new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), events);
        events.await(CallEvent.Answered.class, WAIT);
        assertTrue(silent.received.poll(1, TimeUnit.SECONDS).startsWith("INVITE "), "the first host was tried first");
        assertFalse(agent.trunkStatus().get(0).up());
        call.hangUp();
        events.await(CallEvent.Ended.class, WAIT);
        assertEquals(OptionalInt.of(0), answering.awaitExit(WAIT), answering.output());
    }

    @Test
    void allHostsUnavailableFailsOnceAfterTryingEach() throws Exception {
        int firstPort = TestPorts.freeUdpPort();
        PeerProcess first = closeLater(Peers.sippUas("uas_unavailable.xml", firstPort, TestPorts.freeUdpPorts(4)));
        int secondPort = TestPorts.freeUdpPort();
        PeerProcess second = closeLater(Peers.sippUas("uas_unavailable.xml", secondPort, TestPorts.freeUdpPorts(4)));
        SipUserAgent agent = closeLater(SipUserAgent.start(twoTrunks(firstPort, secondPort, Duration.ofSeconds(3))));
        EventRecorder events = new EventRecorder();

        agent.dial(TestAgents.NUMBER, new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), events);
        CallEvent.Failed failed = events.await(CallEvent.Failed.class, WAIT);
        assertEquals(CallOutcome.TRUNK_UNAVAILABLE, failed.outcome());
        assertEquals(503, failed.sipStatus());
        assertEquals(OptionalInt.of(0), first.awaitExit(WAIT), first.output());
        assertEquals(OptionalInt.of(0), second.awaitExit(WAIT), second.output());
        events.assertSingleTerminalLast();
    }

    @Test
    void keepAliveMarksASilentHostDownAndNewCallsSkipIt() throws Exception {
        SilentHost silent = closeLater(new SilentHost());
        // the second trunk host is another agent of ours: it answers OPTIONS with 200 and takes the call
        SipUserAgent backup = closeLater(SipUserAgent.start(IncomingCallTest.phoneConfig(5060)));
        EventRecorder backupEvents = new EventRecorder();
        backup.onIncomingCall(call -> call.answer(new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), backupEvents));
        SipUserAgent agent = closeLater(SipUserAgent.start(twoTrunks(silent.port(), backup.localPort(), Duration.ofSeconds(1))
                .toBuilder().keepAliveInterval(Duration.ofMillis(500)).build()));
        LinkedBlockingQueue<TrunkStatus> changes = new LinkedBlockingQueue<>();
        agent.onTrunkStatusChange(changes::add);

        TrunkStatus change = changes.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(new TrunkHost("127.0.0.1", silent.port()), change.host());
        assertFalse(change.up());
        assertTrue(silent.received.take().startsWith("OPTIONS "));
        TrunkStatus backupStatus = agent.trunkStatus().get(1);
        assertTrue(backupStatus.up());
        assertEquals(200, backupStatus.lastStatus());

        EventRecorder events = new EventRecorder();
        SipCall call = agent.dial(TestAgents.NUMBER, new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), events);
        events.await(CallEvent.Answered.class, WAIT);
        call.hangUp();
        events.await(CallEvent.Ended.class, WAIT);
        assertTrue(silent.received.stream().noneMatch(message -> message.startsWith("INVITE ")), "the down host got no INVITE");
    }
}
