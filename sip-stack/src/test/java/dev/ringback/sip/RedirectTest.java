package dev.ringback.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** 3xx answers from a real SIPp UAS: followed to the Contact, at most {@link SipConfig#maxRedirects()} times, never in a loop. */
class RedirectTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final List<AutoCloseable> cleanup = new ArrayList<>();
    /** Where {@link #redirectOnce(String)} listens. */
    private int port;

    @AfterEach
    void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) cleanup.get(i).close();
    }

    private PeerProcess sipp(String scenario, int port) throws InterruptedException {
        PeerProcess sipp = Peers.sippUas(scenario, port, TestPorts.freeUdpPorts(4));
        cleanup.add(sipp);
        return sipp;
    }

    private SipUserAgent agent(SipConfig config) throws SipStartException {
        SipUserAgent agent = SipUserAgent.start(config);
        cleanup.add(agent);
        return agent;
    }

    private static SipConfig config(int port) {
        return TestAgents.config(port);
    }

    @Test
    void movedTemporarilyIsFollowedToTheContactAndAnswered() throws Exception {
        int port = TestPorts.freeUdpPort();
        PeerProcess sipp = sipp("uas_redirect_then_answer.xml", port);
        EventRecorder events = new EventRecorder();

        SipCall call = agent(config(port)).dial(TestAgents.NUMBER, new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), events);
        CallEvent.Answered answered = events.await(CallEvent.Answered.class, WAIT);
        assertEquals(call.callId(), answered.callId(), "the redirected INVITE keeps the call's id");
        call.hangUp();
        events.await(CallEvent.Ended.class, WAIT);
        assertEquals(OptionalInt.of(0), sipp.awaitExit(WAIT), sipp.output()); // the second INVITE went to +61412000222
        events.assertSingleTerminalLast();
    }

    @Test
    void redirectBackToATriedTargetIsALoop() throws Exception {
        int port = TestPorts.freeUdpPort();
        PeerProcess sipp = sipp("uas_redirect_loop.xml", port);
        EventRecorder events = new EventRecorder();

        agent(config(port)).dial(TestAgents.NUMBER, new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), events);
        CallEvent.Failed failed = events.await(CallEvent.Failed.class, WAIT);
        assertEquals(CallOutcome.REDIRECT_LOOP, failed.outcome(), failed.toString());
        assertEquals(302, failed.sipStatus());
        assertEquals(OptionalInt.of(0), sipp.awaitExit(WAIT), sipp.output());
        events.assertSingleTerminalLast();
    }

    @Test
    void aFourthRedirectIsTooMany() throws Exception {
        int port = TestPorts.freeUdpPort();
        PeerProcess sipp = sipp("uas_redirect_chain.xml", port);
        EventRecorder events = new EventRecorder();

        agent(config(port)).dial(TestAgents.NUMBER, new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), events);
        CallEvent.Failed failed = events.await(CallEvent.Failed.class, WAIT);
        assertEquals(CallOutcome.TOO_MANY_REDIRECTS, failed.outcome(), failed.toString());
        assertTrue(failed.reason().contains("more than 3"), failed.reason());
        assertEquals(OptionalInt.of(0), sipp.awaitExit(WAIT), sipp.output()); // four INVITEs arrived, each 302 was ACKed
        events.assertSingleTerminalLast();
    }

    @Test
    void withRedirectsOffTheFirstIsTooMany() throws Exception {
        PeerProcess sipp = redirectOnce("Contact: <sip:+61412000222@[local_ip]:[local_port]>");
        EventRecorder events = new EventRecorder();

        agent(config(port).toBuilder().maxRedirects(0).build()).dial(TestAgents.NUMBER, new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), events);
        CallEvent.Failed failed = events.await(CallEvent.Failed.class, WAIT);
        assertEquals(CallOutcome.TOO_MANY_REDIRECTS, failed.outcome(), failed.toString());
        assertEquals(OptionalInt.of(0), sipp.awaitExit(WAIT), sipp.output());
    }

    @Test
    void redirectWithoutASipContactFails() throws Exception {
        PeerProcess sipp = redirectOnce("Contact: <tel:+61412000222>");
        EventRecorder events = new EventRecorder();

        agent(config(port)).dial(TestAgents.NUMBER, new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), events);
        CallEvent.Failed failed = events.await(CallEvent.Failed.class, WAIT);
        assertEquals(CallOutcome.FAILED, failed.outcome(), failed.toString());
        assertEquals(302, failed.sipStatus());
        assertEquals(OptionalInt.of(0), sipp.awaitExit(WAIT), sipp.output());
    }

    private PeerProcess redirectOnce(String contact) throws InterruptedException {
        port = TestPorts.freeUdpPort();
        PeerProcess sipp = Peers.sippUas("uas_reject.xml", port, TestPorts.freeUdpPorts(4),
                java.util.Map.of("STATUS", "302", "REASON", "Moved Temporarily", "HEADER", contact));
        cleanup.add(sipp);
        return sipp;
    }
}
