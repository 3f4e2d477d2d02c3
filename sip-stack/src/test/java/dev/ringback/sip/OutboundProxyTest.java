package dev.ringback.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An outbound proxy in front of the trunk: pre-loaded Route out, its Record-Route honoured inside the dialog. */
class OutboundProxyTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) cleanup.get(i).close();
    }

    @Test
    void inviteGoesThroughTheProxyAndAckAndByeFollowItsRecordRoute() throws Exception {
        int proxyPort = TestPorts.freeUdpPort();
        PeerProcess proxy = Peers.sippUas("uas_outbound_proxy_record_route.xml", proxyPort, TestPorts.freeUdpPorts(4));
        cleanup.add(proxy);
        // the trunk's name does not resolve here: only the proxy route can deliver the INVITE
        SipUserAgent agent = SipUserAgent.start(TestAgents.towardsTrunk(5060).trunk("trunk.example", 5060)
                .outboundProxy(new TrunkHost("127.0.0.1", proxyPort)).build());
        cleanup.add(agent);
        EventRecorder events = new EventRecorder();

        SipCall call = agent.dial(TestAgents.NUMBER, new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), events);
        events.await(CallEvent.Answered.class, WAIT);
        Thread.sleep(200);
        call.hangUp();
        events.await(CallEvent.Ended.class, WAIT);
        // SIPp exits 0 only if the INVITE, ACK and BYE all reached it with the expected Request-URI and Route
        assertEquals(OptionalInt.of(0), proxy.awaitExit(WAIT), proxy.output());
        events.assertSingleTerminalLast();
    }
}
