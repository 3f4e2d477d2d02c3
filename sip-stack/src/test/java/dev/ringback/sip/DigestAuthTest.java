package dev.ringback.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringback.sip.auth.Credentials;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** 401 digest challenges from a SIPp UAS that verifies the MD5 digest itself (user agent, password s3cret). */
class DigestAuthTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) cleanup.get(i).close();
    }

    private EventRecorder dialThroughChallenge(String scenario, Optional<Credentials> credentials, int sipPort) throws Exception {
        PeerProcess sipp = Peers.sippUas(scenario, sipPort, TestPorts.freeUdpPorts(4));
        cleanup.add(sipp);
        SipConfig.Builder config = TestAgents.towardsTrunk(sipPort);
        credentials.ifPresent(config::credentials);
        SipUserAgent agent = SipUserAgent.start(config.build());
        cleanup.add(agent);
        EventRecorder events = new EventRecorder();
        SipCall call = agent.dial(TestAgents.NUMBER, new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), events);
        cleanup.add(call::hangUp);
        return events;
    }

    @Test
    void rightPasswordIsAnswered() throws Exception {
        int sipPort = TestPorts.freeUdpPort();
        EventRecorder events = dialThroughChallenge("uas_auth.xml", Optional.of(new Credentials("agent", "s3cret")), sipPort);
        CallEvent.Answered answered = events.await(CallEvent.Answered.class, WAIT);
        assertEquals("PCMU", answered.media().encoding());
    }

    @Test
    void rightPasswordWithQopAuthIsAnswered() throws Exception {
        int sipPort = TestPorts.freeUdpPort();
        EventRecorder events = dialThroughChallenge("uas_auth_qop.xml", Optional.of(new Credentials("agent", "s3cret")), sipPort);
        events.await(CallEvent.Answered.class, WAIT);
    }

    @Test
    void wrongPasswordIsRefused() throws Exception {
        int sipPort = TestPorts.freeUdpPort();
        EventRecorder events = dialThroughChallenge("uas_auth.xml", Optional.of(new Credentials("agent", "wrong")), sipPort);
        CallEvent.Failed failed = events.await(CallEvent.Failed.class, WAIT);
        assertEquals(CallOutcome.FORBIDDEN, failed.outcome()); // the UAS checks the digest and answers 403
        assertEquals(403, failed.sipStatus());
        events.assertSingleTerminalLast();
    }

    @Test
    void challengeWithoutConfiguredCredentialsIsAuthFailed() throws Exception {
        int sipPort = TestPorts.freeUdpPort();
        EventRecorder events = dialThroughChallenge("uas_auth.xml", Optional.empty(), sipPort);
        CallEvent.Failed failed = events.await(CallEvent.Failed.class, WAIT);
        assertEquals(CallOutcome.AUTH_FAILED, failed.outcome());
        assertEquals(401, failed.sipStatus());
        assertTrue(failed.reason().contains("no credentials"), failed.reason());
        events.assertSingleTerminalLast();
    }
}
