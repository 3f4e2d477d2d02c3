package dev.ringback.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each final refusal a trunk or phone can give, from a real SIPp UAS, becomes the typed outcome the dispatcher acts on. */
class FinalResponseTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private PeerProcess sipp;
    private SipUserAgent agent;

    @AfterEach
    void tearDown() throws Exception {
        if (agent != null) agent.close();
        if (sipp != null) sipp.close();
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            "603, Decline, DECLINED",
            "600, Busy Everywhere, BUSY",
            "404, Not Found, NOT_FOUND",
            "484, Address Incomplete, NOT_FOUND",
            "403, Forbidden, FORBIDDEN",
            "480, Temporarily Unavailable, NO_ANSWER",
            "408, Request Timeout, NO_ANSWER",
            "488, Not Acceptable Here, NO_COMMON_CODEC",
            "500, Server Internal Error, TRUNK_UNAVAILABLE"})
    void refusalBecomesTypedOutcome(int status, String reason, CallOutcome outcome) throws Exception {
        int sipPort = TestPorts.freeUdpPort();
        sipp = Peers.sippUas("uas_reject.xml", sipPort, TestPorts.freeUdpPorts(4), Map.of("STATUS", Integer.toString(status), "REASON", reason, "HEADER", "Server: sipp"));
        agent = SipUserAgent.start(TestAgents.config(sipPort));
        EventRecorder events = new EventRecorder();

        agent.dial(TestAgents.NUMBER, new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), events);
        CallEvent.Failed failed = events.await(CallEvent.Failed.class, WAIT);
        assertEquals(outcome, failed.outcome(), failed.toString());
        assertEquals(status, failed.sipStatus());
        assertEquals(OptionalInt.of(0), sipp.awaitExit(WAIT), sipp.output()); // it got our ACK
        events.assertSingleTerminalLast();
    }
}
