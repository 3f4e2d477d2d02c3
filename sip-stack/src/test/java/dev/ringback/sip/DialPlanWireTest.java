package dev.ringback.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The API takes E.164; SIPp checks the Request-URI and To user on the wire are what each trunk host's dial plan says. */
class DialPlanWireTest {
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

    @Test
    void nationalFormatWithTechPrefixAndAssertedIdentityReachTheWire() throws Exception {
        int port = TestPorts.freeUdpPort();
        PeerProcess sipp = closeLater(Peers.sippUas("uas_dial_plan_national.xml", port, TestPorts.freeUdpPorts(4)));
        SipConfig config = TestAgents.towardsTrunk(port)
                .dialPlan(DialPlan.national("61", "0", "0011").withTechPrefix("1#"))
                .assertedIdentity("+61299990000")
                .build();
        SipUserAgent agent = closeLater(SipUserAgent.start(config));
        EventRecorder events = new EventRecorder();

        agent.dial("+61412000111", new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), events);
        CallEvent.Failed failed = events.await(CallEvent.Failed.class, WAIT);
        assertEquals(CallOutcome.BUSY, failed.outcome(), "SIPp answers 486 only when every check passed: " + failed);
        assertEquals(OptionalInt.of(0), sipp.awaitExit(WAIT), sipp.output());
    }

    @Test
    void theFailoverHostUsesItsOwnPlan() throws Exception {
        int firstPort = TestPorts.freeUdpPort();
        PeerProcess first = closeLater(Peers.sippUas("uas_unavailable.xml", firstPort, TestPorts.freeUdpPorts(4)));
        int secondPort = TestPorts.freeUdpPort();
        PeerProcess second = closeLater(Peers.sippUas("uas_dial_plan_digits.xml", secondPort, TestPorts.freeUdpPorts(4)));
        SipConfig config = TestAgents.towardsTrunk(firstPort)
                .alternateTrunks(List.of(new TrunkHost("127.0.0.1", secondPort, Optional.of(DialPlan.digitsOnly()))))
                .build();
        SipUserAgent agent = closeLater(SipUserAgent.start(config));
        EventRecorder events = new EventRecorder();

        agent.dial("+61412000111", new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), events);
        CallEvent.Failed failed = events.await(CallEvent.Failed.class, WAIT);
        assertEquals(CallOutcome.BUSY, failed.outcome(), "the second host answers 486 only to 61412000111: " + failed);
        assertEquals(OptionalInt.of(0), first.awaitExit(WAIT), first.output());
        assertEquals(OptionalInt.of(0), second.awaitExit(WAIT), second.output());
    }
}
