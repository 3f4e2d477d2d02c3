package dev.ringback.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Our agent calls a real SIPp UAS that plays the customer's phone. */
class OutboundCallTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) cleanup.get(i).close();
    }

    private SipUserAgent agent(int trunkPort) throws SipStartException {
        return agent(TestAgents.config(trunkPort));
    }

    private SipUserAgent agent(SipConfig config) throws SipStartException {
        SipUserAgent agent = SipUserAgent.start(config);
        cleanup.add(agent);
        return agent;
    }

    private PeerProcess sippUas(String scenario, int port, int mediaPort) throws InterruptedException {
        PeerProcess sipp = Peers.sippUas(scenario, port, mediaPort);
        cleanup.add(sipp);
        return sipp;
    }

    private static MediaOffer ourMedia() {
        return new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2));
    }

    @Test
    void answeredCallNegotiatesPcmuAndOurByeEndsIt() throws Exception {
        int sipPort = TestPorts.freeUdpPort();
        int mediaPort = TestPorts.freeUdpPorts(4);
        PeerProcess sipp = sippUas("uas_answer_wait_bye.xml", sipPort, mediaPort);
        EventRecorder events = new EventRecorder();

        SipCall call = agent(sipPort).dial(TestAgents.NUMBER, ourMedia(), events);
        events.await(CallEvent.Ringing.class, WAIT);
        CallEvent.Answered answered = events.await(CallEvent.Answered.class, WAIT);
        assertEquals(new MediaAnswer("127.0.0.1", mediaPort, 0, "PCMU", 8000, OptionalInt.of(101)), answered.media());
        assertEquals(call.callId(), answered.callId());

        call.hangUp();
        call.hangUp();
        CallEvent.Ended ended = events.await(CallEvent.Ended.class, WAIT);
        assertFalse(ended.byRemote());
        assertEquals(OptionalInt.of(0), sipp.awaitExit(WAIT), sipp.output());
        events.assertSingleTerminalLast();
    }

    @Test
    void answeredOverTcp() throws Exception {
        int sipPort = TestPorts.freeUdpPort();
        int mediaPort = TestPorts.freeUdpPorts(4);
        PeerProcess sipp = Peers.sippUas("uas_answer_wait_bye.xml", sipPort, mediaPort, Transport.TCP);
        cleanup.add(sipp);
        EventRecorder events = new EventRecorder();
        SipUserAgent agent = agent(TestAgents.towardsTrunk(sipPort).transport(Transport.TCP).build());

        SipCall call = agent.dial(TestAgents.NUMBER, ourMedia(), events);
        assertEquals(mediaPort, events.await(CallEvent.Answered.class, WAIT).media().rtpPort());
        call.hangUp();
        events.await(CallEvent.Ended.class, WAIT);
        assertEquals(OptionalInt.of(0), sipp.awaitExit(WAIT), sipp.output());
        events.assertSingleTerminalLast();
    }

    @Test
    void remoteByeEndsTheCall() throws Exception {
        int sipPort = TestPorts.freeUdpPort();
        PeerProcess sipp = sippUas("uas_answer_then_bye.xml", sipPort, TestPorts.freeUdpPorts(4));
        EventRecorder events = new EventRecorder();

        SipCall call = agent(sipPort).dial(TestAgents.NUMBER, ourMedia(), events);
        events.await(CallEvent.Answered.class, WAIT);
        CallEvent.Ended ended = events.await(CallEvent.Ended.class, WAIT);
        assertTrue(ended.byRemote(), ended.toString());
        assertEquals(OptionalInt.of(0), sipp.awaitExit(WAIT), sipp.output());
        call.hangUp(); // after the end: a no-op, no second event
        Thread.sleep(200);
        events.assertSingleTerminalLast();
    }

    @Test
    void busyCustomerIsBusy() throws Exception {
        int sipPort = TestPorts.freeUdpPort();
        PeerProcess sipp = sippUas("uas_busy.xml", sipPort, TestPorts.freeUdpPorts(4));
        EventRecorder events = new EventRecorder();

        agent(sipPort).dial(TestAgents.NUMBER, ourMedia(), events);
        CallEvent.Failed failed = events.await(CallEvent.Failed.class, WAIT);
        assertEquals(CallOutcome.BUSY, failed.outcome());
        assertEquals(486, failed.sipStatus());
        assertEquals(OptionalInt.of(0), sipp.awaitExit(WAIT), sipp.output());
        events.assertSingleTerminalLast();
    }

    @Test
    void serviceUnavailableIsTrunkUnavailableAndKeepsRetryAfter() throws Exception {
        int sipPort = TestPorts.freeUdpPort();
        PeerProcess sipp = sippUas("uas_unavailable.xml", sipPort, TestPorts.freeUdpPorts(4));
        EventRecorder events = new EventRecorder();

        agent(sipPort).dial(TestAgents.NUMBER, ourMedia(), events);
        CallEvent.Failed failed = events.await(CallEvent.Failed.class, WAIT);
        assertEquals(CallOutcome.TRUNK_UNAVAILABLE, failed.outcome());
        assertEquals(503, failed.sipStatus());
        assertTrue(failed.reason().contains("Retry-After: 120"), failed.reason());
        assertEquals(OptionalInt.of(0), sipp.awaitExit(WAIT), sipp.output());
    }

    @Test
    void nothingListeningIsTrunkUnavailableAfterTheInviteTimeout() throws Exception {
        int deadPort = TestPorts.freeUdpPort();
        EventRecorder events = new EventRecorder();

        agent(TestAgents.towardsTrunk(deadPort).inviteTimeout(Duration.ofSeconds(1)).build()).dial(TestAgents.NUMBER, ourMedia(), events);
        // the stack's own INVITE timeout (Timer B) is 32 s: the Failed must come from our 1 s invite timeout
        CallEvent.Failed failed = events.await(CallEvent.Failed.class, Duration.ofSeconds(6));
        assertEquals(CallOutcome.TRUNK_UNAVAILABLE, failed.outcome());
        assertEquals(0, failed.sipStatus());
        // the transaction is gone: the INVITE retransmissions (due 1.5 s and 3.5 s after the first send) must stop
        try (DatagramSocket trunk = new DatagramSocket(deadPort, InetAddress.getLoopbackAddress())) {
            trunk.setSoTimeout(3000);
            DatagramPacket packet = new DatagramPacket(new byte[4096], 4096);
            assertThrows(SocketTimeoutException.class, () -> trunk.receive(packet),
                    () -> "retransmission after the call failed:\n" + new String(packet.getData(), 0, packet.getLength(), StandardCharsets.ISO_8859_1));
        }
        events.assertSingleTerminalLast();
    }

    @Test
    void ringingWithoutAnswerIsCancelledAsNoAnswer() throws Exception {
        int sipPort = TestPorts.freeUdpPort();
        PeerProcess sipp = sippUas("uas_ring_no_answer.xml", sipPort, TestPorts.freeUdpPorts(4));
        EventRecorder events = new EventRecorder();

        agent(TestAgents.towardsTrunk(sipPort).ringTimeout(Duration.ofSeconds(1)).build()).dial(TestAgents.NUMBER, ourMedia(), events);
        assertEquals(180, events.await(CallEvent.Ringing.class, WAIT).status());
        CallEvent.Failed failed = events.await(CallEvent.Failed.class, WAIT);
        assertEquals(CallOutcome.NO_ANSWER, failed.outcome());
        assertEquals(487, failed.sipStatus());
        assertEquals(OptionalInt.of(0), sipp.awaitExit(WAIT), sipp.output());
        events.assertSingleTerminalLast();
    }

    @Test
    void hangUpWhileRingingCancelsTheCall() throws Exception {
        int sipPort = TestPorts.freeUdpPort();
        PeerProcess sipp = sippUas("uas_ring_no_answer.xml", sipPort, TestPorts.freeUdpPorts(4));
        EventRecorder events = new EventRecorder();

        SipCall call = agent(sipPort).dial(TestAgents.NUMBER, ourMedia(), events);
        events.await(CallEvent.Ringing.class, WAIT);
        call.hangUp();
        CallEvent.Ended ended = events.await(CallEvent.Ended.class, WAIT);
        assertFalse(ended.byRemote());
        assertEquals(OptionalInt.of(0), sipp.awaitExit(WAIT), sipp.output()); // SIPp saw CANCEL, sent 487, got the ACK
        events.assertSingleTerminalLast();
    }

    @Test
    void earlyMediaIsReportedThenTheAnswer() throws Exception {
        int sipPort = TestPorts.freeUdpPort();
        int mediaPort = TestPorts.freeUdpPorts(4);
        PeerProcess sipp = sippUas("uas_early_media.xml", sipPort, mediaPort);
        EventRecorder events = new EventRecorder();

        SipCall call = agent(sipPort).dial(TestAgents.NUMBER, ourMedia(), events);
        CallEvent.EarlyMedia early = events.await(CallEvent.EarlyMedia.class, WAIT);
        assertEquals("PCMA", early.media().encoding());
        assertEquals(mediaPort, early.media().rtpPort());
        CallEvent.Answered answered = events.await(CallEvent.Answered.class, WAIT);
        assertEquals(8, answered.media().payloadType());
        assertEquals(0, events.count(CallEvent.Ringing.class), "183 with SDP is early media, not ringing");
        call.hangUp();
        events.await(CallEvent.Ended.class, WAIT);
        assertEquals(OptionalInt.of(0), sipp.awaitExit(WAIT), sipp.output());
        events.assertSingleTerminalLast();
    }

    @Test
    void answerWithoutCommonCodecIsHungUpAsNoCommonCodec() throws Exception {
        int sipPort = TestPorts.freeUdpPort();
        PeerProcess sipp = sippUas("uas_answer_g729.xml", sipPort, TestPorts.freeUdpPorts(4));
        EventRecorder events = new EventRecorder();

        agent(sipPort).dial(TestAgents.NUMBER, ourMedia(), events);
        CallEvent.Failed failed = events.await(CallEvent.Failed.class, WAIT);
        assertEquals(CallOutcome.NO_COMMON_CODEC, failed.outcome());
        assertEquals(OptionalInt.of(0), sipp.awaitExit(WAIT), sipp.output()); // it got our ACK and BYE
        assertEquals(0, events.count(CallEvent.Answered.class));
        events.assertSingleTerminalLast();
    }
}
