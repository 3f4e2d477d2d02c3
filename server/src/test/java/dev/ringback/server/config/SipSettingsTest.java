package dev.ringback.server.config;

import dev.ringback.sip.SrtpMode;
import dev.ringback.sip.TrunkHost;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.ringback.server.config.RingbackConfigTest.SHIPPED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sip.* keys reach the user agent's config: dial plan, identity, fail-over, SRTP, TLS and registration. */
class SipSettingsTest {

    @Test
    void shippedDefaultsAreAPlainE164TrunkWithoutExtras() {
        var sip = RingbackConfig.load(SHIPPED, Map.of(), Map.of()).sip();
        assertEquals("+61412000111", sip.dialPlan().dialString("+61412000111"));
        assertEquals(SrtpMode.OFF, sip.srtp());
        assertTrue(sip.alternateTrunks().isEmpty() && sip.outboundProxy().isEmpty() && sip.registration().isEmpty()
                && sip.tls().isEmpty() && sip.assertedIdentity().isEmpty(), sip.toString());
        assertEquals(Duration.ZERO, sip.keepAliveInterval());
        assertEquals(3, sip.maxRedirects());
    }

    @Test
    void everyKeyReachesTheUserAgent() {
        var sip = RingbackConfig.load(SHIPPED, Map.of(), Map.ofEntries(
                Map.entry("sip.trunk.transport", "tls"),
                Map.entry("sip.trunk.dial-plan", "national"),
                Map.entry("sip.trunk.country-code", "61"),
                Map.entry("sip.trunk.international-prefix", "0011"),
                Map.entry("sip.trunk.tech-prefix", "9"),
                Map.entry("sip.trunk.alternates", "sbc2.example.test:5080, sbc3.example.test"),
                Map.entry("sip.trunk.keepalive-s", "30"),
                Map.entry("sip.p-asserted-identity", "+61290001000"),
                Map.entry("sip.outbound-proxy", "proxy.example.test:5062"),
                Map.entry("sip.session-expires-s", "1800"),
                Map.entry("sip.max-redirects", "1"),
                Map.entry("sip.srtp", "required"),
                Map.entry("sip.tls.trust-store", "conf/trunk-ca.p12"),
                Map.entry("sip.tls.trust-store-password", "changeit"),
                Map.entry("sip.trunk.username", "ringback"),
                Map.entry("sip.register.user", "201"),
                Map.entry("sip.register.expires-s", "600"))).sip();
        assertEquals("90412000111", sip.dialPlan().dialString("+61412000111"), "national format behind the tech prefix");
        assertEquals("900114412345678", sip.dialPlan().dialString("+4412345678"), "other countries get the international prefix");
        assertEquals(List.of(new TrunkHost("sbc2.example.test", 5080), new TrunkHost("sbc3.example.test", 5060)), sip.alternateTrunks());
        assertEquals(Duration.ofSeconds(30), sip.keepAliveInterval());
        assertEquals(Optional.of("+61290001000"), sip.assertedIdentity());
        assertEquals(Optional.of(new TrunkHost("proxy.example.test", 5062)), sip.outboundProxy());
        assertEquals(Duration.ofSeconds(1800), sip.sessionExpires());
        assertEquals(1, sip.maxRedirects());
        assertEquals(SrtpMode.REQUIRED, sip.srtp());
        var tls = sip.tls().orElseThrow();
        assertEquals("conf/trunk-ca.p12", tls.trustStore().orElseThrow().path().toString());
        assertTrue(tls.verifyHostname());
        assertFalse(tls.toString().contains("changeit"), "store passwords never in toString");
        var registration = sip.registration().orElseThrow();
        assertEquals("201", registration.user());
        assertEquals(Duration.ofSeconds(600), registration.expires());
    }

    @Test
    void badSipValuesNameTheKey() {
        for (var bad : List.of(Map.of("sip.trunk.dial-plan", "morse"), Map.of("sip.srtp", "maybe"),
                Map.of("sip.trunk.alternates", "sbc2:port"), Map.of("sip.trunk.dial-plan", "national"),
                Map.of("sip.session-expires-s", "30"))) {
            var e = assertThrows(ConfigException.class, () -> RingbackConfig.load(SHIPPED, Map.of(), bad), bad.toString());
            String key = bad.keySet().iterator().next();
            String shown = bad.get(key).equals("national") ? "sip.trunk.country-code" : key;
            assertTrue(e.getMessage().contains(shown), bad + " -> " + e.getMessage());
        }
    }
}
