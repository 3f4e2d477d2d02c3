package dev.ringback.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringback.sip.auth.Credentials;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Kamailio as the trunk: 407 proxy digest auth, record-routes, relays to a SIPp UAS playing the customer. */
class KamailioTrunkTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Pattern INVITE_LOG = Pattern.compile("REQ INVITE ");

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) cleanup.get(i).close();
    }

    private <T extends AutoCloseable> T closeLater(T resource) {
        cleanup.add(resource);
        return resource;
    }

    @Test
    void rightPasswordConnectsAndByeFollowsTheRecordRoute() throws Exception {
        int calleePort = TestPorts.freeUdpPort();
        int mediaPort = TestPorts.freeUdpPorts(4);
        PeerProcess callee = closeLater(Peers.sippUas("uas_answer_wait_bye.xml", calleePort, mediaPort));
        int trunkPort = TestPorts.freeUdpPort();
        PeerProcess kamailio = closeLater(Peers.kamailio(trunkPort, calleePort));
        SipUserAgent agent = closeLater(SipUserAgent.start(TestAgents.towardsTrunk(trunkPort)
                .credentials(new Credentials("agent", "s3cret")).build()));
        EventRecorder events = new EventRecorder();

        SipCall call = agent.dial(TestAgents.NUMBER, new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), events);
        CallEvent.Answered answered = events.await(CallEvent.Answered.class, WAIT);
        assertEquals(mediaPort, answered.media().rtpPort());
        // Kamailio relays with several worker processes: a BYE sent the same millisecond as the ACK can
        // overtake it, which SIPp rejects as unexpected. A real call talks first.
        Thread.sleep(300);
        call.hangUp();
        events.await(CallEvent.Ended.class, WAIT);
        // the callee only exits 0 if our BYE reached it; Kamailio logs every request it routes
        assertEquals(OptionalInt.of(0), callee.awaitExit(WAIT), callee.output());
        String log = kamailio.output();
        assertTrue(log.contains("REQ BYE sip:callee@127.0.0.1:" + calleePort), "BYE did not pass the trunk:\n" + log);
        assertTrue(log.contains("REQ INVITE sip:+61412000111@127.0.0.1:" + trunkPort + " "), "INVITE not sent to the trunk as given:\n" + log);
        events.assertSingleTerminalLast();
    }

    @Test
    void ringNoAnswerIsCancelledThroughTheTrunk() throws Exception {
        int calleePort = TestPorts.freeUdpPort();
        PeerProcess callee = closeLater(Peers.sippUas("uas_ring_no_answer_via_proxy.xml", calleePort, TestPorts.freeUdpPorts(4)));
        int trunkPort = TestPorts.freeUdpPort();
        closeLater(Peers.kamailio(trunkPort, calleePort));
        SipUserAgent agent = closeLater(SipUserAgent.start(TestAgents.towardsTrunk(trunkPort)
                .credentials(new Credentials("agent", "s3cret")).ringTimeout(Duration.ofSeconds(1)).build()));
        EventRecorder events = new EventRecorder();

        agent.dial(TestAgents.NUMBER, new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), events);
        assertEquals(180, events.await(CallEvent.Ringing.class, WAIT).status());
        CallEvent.Failed failed = events.await(CallEvent.Failed.class, WAIT);
        assertEquals(CallOutcome.NO_ANSWER, failed.outcome());
        assertEquals(487, failed.sipStatus());
        assertEquals(OptionalInt.of(0), callee.awaitExit(WAIT), callee.output()); // the CANCEL reached the phone
        events.assertSingleTerminalLast();
    }

    @Test
    void wrongPasswordIsAuthFailedWithoutRetryLoop() throws Exception {
        int calleePort = TestPorts.freeUdpPort();
        int trunkPort = TestPorts.freeUdpPort();
        PeerProcess kamailio = closeLater(Peers.kamailio(trunkPort, calleePort));
        SipUserAgent agent = closeLater(SipUserAgent.start(TestAgents.towardsTrunk(trunkPort)
                .credentials(new Credentials("agent", "not-the-password")).build()));
        EventRecorder events = new EventRecorder();

        agent.dial(TestAgents.NUMBER, new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), events);
        CallEvent.Failed failed = events.await(CallEvent.Failed.class, WAIT);
        assertEquals(CallOutcome.AUTH_FAILED, failed.outcome());
        assertEquals(407, failed.sipStatus());
        Thread.sleep(1000); // give a looping UA time to show itself
        assertEquals(2, count(INVITE_LOG, kamailio.output()), "exactly one INVITE without and one with credentials:\n" + kamailio.output());
        events.assertSingleTerminalLast();
    }

    private static int count(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        int n = 0;
        while (matcher.find()) n++;
        return n;
    }

    @Test
    void holdAndResumeFromTheCalleeComeThroughTheTrunksRecordRoute() throws Exception {
        int calleePort = TestPorts.freeUdpPort();
        int mediaPort = TestPorts.freeUdpPorts(4);
        PeerProcess callee = closeLater(Peers.sippUas("uas_reinvite_hold.xml", calleePort, mediaPort));
        int trunkPort = TestPorts.freeUdpPort();
        PeerProcess kamailio = closeLater(Peers.kamailio(trunkPort, calleePort));
        SipUserAgent agent = closeLater(SipUserAgent.start(TestAgents.towardsTrunk(trunkPort)
                .credentials(new Credentials("agent", "s3cret")).build()));
        EventRecorder events = new EventRecorder();

        agent.dial(TestAgents.NUMBER, new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), events);
        events.await(CallEvent.Answered.class, WAIT);
        assertEquals(MediaDirection.RECVONLY, events.await(CallEvent.MediaChanged.class, WAIT).direction());
        CallEvent.MediaChanged resumed = events.await(CallEvent.MediaChanged.class, WAIT);
        assertEquals(MediaDirection.SENDRECV, resumed.direction());
        assertEquals(mediaPort + 2, resumed.media().rtpPort());
        assertTrue(events.await(CallEvent.Ended.class, WAIT).byRemote());
        assertEquals(OptionalInt.of(0), callee.awaitExit(WAIT), callee.output());
        String log = kamailio.output();
        assertTrue(log.contains("REQ INVITE sip:ringback@127.0.0.1:" + agent.localPort()), "re-INVITE did not pass the trunk:\n" + log);
        events.assertSingleTerminalLast();
    }

    @Test
    void blindTransferReferAndNotifiesTravelThroughTheTrunk() throws Exception {
        int calleePort = TestPorts.freeUdpPort();
        PeerProcess callee = closeLater(Peers.sippUas("uas_refer_accepted.xml", calleePort, TestPorts.freeUdpPorts(4)));
        int trunkPort = TestPorts.freeUdpPort();
        PeerProcess kamailio = closeLater(Peers.kamailio(trunkPort, calleePort));
        SipUserAgent agent = closeLater(SipUserAgent.start(TestAgents.towardsTrunk(trunkPort)
                .credentials(new Credentials("agent", "s3cret")).build()));
        EventRecorder events = new EventRecorder();

        SipCall call = agent.dial(TestAgents.NUMBER, new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), events);
        events.await(CallEvent.Answered.class, WAIT);
        TransferResult result = call.transfer("+61400999888").get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        assertEquals(TransferResult.Outcome.ACCEPTED, result.outcome());
        assertTrue(events.await(CallEvent.Ended.class, WAIT).byRemote());
        assertEquals(OptionalInt.of(0), callee.awaitExit(WAIT), callee.output());
        String log = kamailio.output();
        assertTrue(log.contains("REQ REFER sip:callee@127.0.0.1:" + calleePort), "REFER did not pass the trunk:\n" + log);
        assertTrue(log.contains("REQ NOTIFY sip:ringback@127.0.0.1:" + agent.localPort()), "NOTIFY did not pass the trunk:\n" + log);
    }
}
