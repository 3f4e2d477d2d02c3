package dev.ringback.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * RFC 4028 session timers against SIPp. The SIPp side answers with intervals of a few seconds (below the RFC's 90 s
 * minimum, which the agent tolerates with a warning) so a refresh happens within the test.
 */
class SessionTimerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private SipCall call;

    @AfterEach
    void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) cleanup.get(i).close();
    }

    private EventRecorder dialWith(String scenario, PeerProcess[] sippOut) throws Exception {
        int sipPort = TestPorts.freeUdpPort();
        PeerProcess sipp = Peers.sippUas(scenario, sipPort, TestPorts.freeUdpPorts(4));
        cleanup.add(sipp);
        sippOut[0] = sipp;
        SipUserAgent agent = SipUserAgent.start(TestAgents.towardsTrunk(sipPort)
                .sessionExpires(Duration.ofSeconds(90)).build());
        cleanup.add(agent);
        EventRecorder events = new EventRecorder();
        call = agent.dial(TestAgents.NUMBER, new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), events);
        return events;
    }

    @Test
    void asRefresherWeReInviteBeforeTheSessionExpires() throws Exception {
        PeerProcess[] sipp = new PeerProcess[1];
        EventRecorder events = dialWith("uas_session_timer_refresh.xml", sipp);

        events.await(CallEvent.Answered.class, WAIT);
        assertTrue(events.await(CallEvent.Ended.class, WAIT).byRemote()); // SIPp hangs up only after our refresh
        assertEquals(OptionalInt.of(0), sipp[0].awaitExit(WAIT), sipp[0].output());
        assertEquals(0, events.count(CallEvent.MediaChanged.class), "a refresh changes no media: " + events.events());
        events.assertSingleTerminalLast();
    }

    @Test
    void withoutTheFarEndsRefreshWeEndTheCall() throws Exception {
        PeerProcess[] sipp = new PeerProcess[1];
        EventRecorder events = dialWith("uas_session_timer_expire.xml", sipp);

        events.await(CallEvent.Answered.class, WAIT);
        CallEvent.Ended ended = events.await(CallEvent.Ended.class, WAIT);
        assertFalse(ended.byRemote());
        assertEquals("session expired", ended.reason());
        assertEquals(OptionalInt.of(0), sipp[0].awaitExit(WAIT), sipp[0].output());
        events.assertSingleTerminalLast();
    }

    @Test
    void a422WithMinSeIsAnsweredByAskingAgainWithThatInterval() throws Exception {
        PeerProcess[] sipp = new PeerProcess[1];
        EventRecorder events = dialWith("uas_session_timer_422.xml", sipp);

        events.await(CallEvent.Answered.class, WAIT); // SIPp answers only the INVITE asking for 1800 s
        call.hangUp();
        assertFalse(events.await(CallEvent.Ended.class, WAIT).byRemote());
        assertEquals(OptionalInt.of(0), sipp[0].awaitExit(WAIT), sipp[0].output());
        events.assertSingleTerminalLast();
    }

    @Test
    void anIncomingCallAskingUsToRefreshGetsItsIntervalAgreedAndRefreshed() throws Exception {
        SipUserAgent phone = SipUserAgent.start(IncomingCallTest.phoneConfig(5060));
        cleanup.add(phone);
        EventRecorder events = new EventRecorder();
        phone.onIncomingCall(incoming -> incoming.answer(new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), events));
        PeerProcess sipp = Peers.sippUac("uac_session_timer_callee_refreshes.xml", TestPorts.freeUdpPort(), TestPorts.freeUdpPorts(4),
                phone.localPort(), "+61412000111");
        cleanup.add(sipp);

        events.await(CallEvent.Answered.class, WAIT);
        assertTrue(events.await(CallEvent.Ended.class, WAIT).byRemote()); // SIPp hangs up only after our refresh
        assertEquals(OptionalInt.of(0), sipp.awaitExit(WAIT), sipp.output());
        events.assertSingleTerminalLast();
    }

    @Test
    void configRefusesIntervalsBelowTheRfcMinimum() {
        SipConfig config = TestAgents.config(5060);
        assertThrows(IllegalArgumentException.class, () -> config.toBuilder().sessionExpires(Duration.ofSeconds(30)).build());
        assertEquals(Duration.ofSeconds(1800), config.toBuilder().sessionExpires(Duration.ofSeconds(1800)).build().sessionExpires());
    }
}
