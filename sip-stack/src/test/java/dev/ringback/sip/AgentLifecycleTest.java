package dev.ringback.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AgentLifecycleTest {

    private static SipConfig onPort(int port) {
        return SipConfig.builder().listen("127.0.0.1", port).trunk("127.0.0.1", 5060).from("ringback", "")
                .inviteTimeout(Duration.ofSeconds(3)).ringTimeout(Duration.ofSeconds(10)).build();
    }

    @Test
    void portInUseIsAClearStartError() throws Exception {
        int port = TestPorts.freeUdpPort();
        try (SipUserAgent first = SipUserAgent.start(onPort(port))) {
            assertEquals(port, first.localPort());
            SipStartException error = assertThrows(SipStartException.class, () -> SipUserAgent.start(onPort(port)));
            assertTrue(error.getMessage().contains("127.0.0.1:" + port), error.getMessage());
        }
    }

    @Test
    void closeReleasesThePortAtOnceAndIsIdempotent() throws Exception {
        int port = TestPorts.freeUdpPort();
        SipUserAgent first = SipUserAgent.start(onPort(port));
        first.close();
        first.close();
        try (SipUserAgent second = SipUserAgent.start(onPort(port))) {
            assertEquals(port, second.localPort());
        }
    }

    @Test
    void portZeroPicksAFreePortBelow32768() throws Exception {
        try (SipUserAgent agent = SipUserAgent.start(onPort(0))) {
            assertTrue(agent.localPort() > 0 && agent.localPort() < 32768, "port " + agent.localPort());
        }
    }

    @Test
    void numbersASipUriCannotCarryAreRefused() throws Exception {
        try (SipUserAgent agent = SipUserAgent.start(onPort(0))) {
            MediaOffer media = new MediaOffer("127.0.0.1", 20000);
            for (String bad : new String[] {"", "+61 412 000 111", "sip:x@y", "123;user=phone"}) {
                assertThrows(IllegalArgumentException.class, () -> agent.dial(bad, media, event -> { }), bad);
            }
        }
    }

    @Test
    void dialAfterCloseIsRefused() throws Exception {
        SipUserAgent agent = SipUserAgent.start(onPort(0));
        agent.close();
        assertThrows(IllegalStateException.class, () -> agent.dial("+61412000111", new MediaOffer("127.0.0.1", 20000), event -> { }));
    }
}
