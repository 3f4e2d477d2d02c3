package dev.ringback.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The far end changes an answered call: hold, resume on a new RTP port (SIPp sends the re-INVITEs). */
class ReInviteTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) cleanup.get(i).close();
    }

    @Test
    void holdThenResumeOnAnotherPortAreAnsweredAndReported() throws Exception {
        int sipPort = TestPorts.freeUdpPort();
        int mediaPort = TestPorts.freeUdpPorts(4);
        PeerProcess sipp = Peers.sippUas("uas_reinvite_hold.xml", sipPort, mediaPort);
        cleanup.add(sipp);
        SipUserAgent agent = SipUserAgent.start(TestAgents.config(sipPort));
        cleanup.add(agent);
        EventRecorder events = new EventRecorder();

        agent.dial(TestAgents.NUMBER, new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), events);
        events.await(CallEvent.Answered.class, WAIT);
        CallEvent.MediaChanged hold = events.await(CallEvent.MediaChanged.class, WAIT);
        assertEquals(MediaDirection.RECVONLY, hold.direction());
        assertEquals(mediaPort, hold.media().rtpPort());
        CallEvent.MediaChanged resume = events.await(CallEvent.MediaChanged.class, WAIT);
        assertEquals(MediaDirection.SENDRECV, resume.direction());
        assertEquals(new MediaAnswer("127.0.0.1", mediaPort + 2, 0, "PCMU", 8000, OptionalInt.of(101)), resume.media());
        assertTrue(events.await(CallEvent.Ended.class, WAIT).byRemote());
        assertEquals(OptionalInt.of(0), sipp.awaitExit(WAIT), sipp.output());
        events.assertSingleTerminalLast();
    }

    @Test
    void updateToInactiveIsAnsweredInactiveAndAnUpdateWithoutSdpChangesNothing() throws Exception {
        int sipPort = TestPorts.freeUdpPort();
        int mediaPort = TestPorts.freeUdpPorts(4);
        PeerProcess sipp = Peers.sippUas("uas_update_inactive.xml", sipPort, mediaPort);
        cleanup.add(sipp);
        SipUserAgent agent = SipUserAgent.start(TestAgents.config(sipPort));
        cleanup.add(agent);
        EventRecorder events = new EventRecorder();

        agent.dial(TestAgents.NUMBER, new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), events);
        events.await(CallEvent.Answered.class, WAIT);
        CallEvent.MediaChanged inactive = events.await(CallEvent.MediaChanged.class, WAIT);
        assertEquals(MediaDirection.INACTIVE, inactive.direction());
        assertEquals(mediaPort + 2, inactive.media().rtpPort());
        assertTrue(events.await(CallEvent.Ended.class, WAIT).byRemote());
        assertEquals(OptionalInt.of(0), sipp.awaitExit(WAIT), sipp.output());
        assertEquals(1, events.count(CallEvent.MediaChanged.class), events.events().toString());
        events.assertSingleTerminalLast();
    }

    @Test
    void offerlessReInviteToAnIncomingCallGetsOurOfferAndTheAnswerInTheAckPutsUsOnHold() throws Exception {
        SipUserAgent phone = SipUserAgent.start(IncomingCallTest.phoneConfig(5060));
        cleanup.add(phone);
        EventRecorder events = new EventRecorder();
        phone.onIncomingCall(call -> call.answer(new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), events));
        int sippMedia = TestPorts.freeUdpPorts(4);
        PeerProcess sipp = Peers.sippUac("uac_offerless_reinvite_hold.xml", TestPorts.freeUdpPort(), sippMedia, phone.localPort(), "+61412000111");
        cleanup.add(sipp);

        events.await(CallEvent.Answered.class, WAIT);
        CallEvent.MediaChanged hold = events.await(CallEvent.MediaChanged.class, WAIT);
        assertEquals(MediaDirection.RECVONLY, hold.direction());
        assertEquals(sippMedia + 2, hold.media().rtpPort());
        assertTrue(events.await(CallEvent.Ended.class, WAIT).byRemote());
        assertEquals(OptionalInt.of(0), sipp.awaitExit(WAIT), sipp.output());
        events.assertSingleTerminalLast();
    }
}
