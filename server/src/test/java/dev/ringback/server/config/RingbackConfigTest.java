package dev.ringback.server.config;

import dev.ringback.server.TestServers;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RingbackConfigTest {
    static final Path SHIPPED = TestServers.root().resolve("conf/ringback.yaml");

    @Test
    void shippedConfigLoadsWithDocumentedDefaults() {
        var c = RingbackConfig.load(SHIPPED, Map.of(), Map.of());
        assertEquals("127.0.0.1", c.http().host());
        assertEquals(8080, c.http().port());
        assertEquals(5070, c.sip().trunkPort());
        assertEquals("auto", c.speech().asrEngine());
        assertTrue(c.sip().credentials().isEmpty(), "no credentials unless configured");
    }

    @Test
    void environmentVariablesOverrideKeys() {
        var c = RingbackConfig.load(SHIPPED, Map.of(
                "RINGBACK_SIP_TRUNK_HOST", "pbx.example.test",
                "RINGBACK_SIP_TRUNK_USERNAME", "agent",
                "RINGBACK_SIP_TRUNK_PASSWORD", "s3cret",
                "RINGBACK_RTP_PORT_MIN", "16000",
                "RINGBACK_DB_PASSWORD", "hunter2"), Map.of());
        assertEquals("pbx.example.test", c.sip().trunkHost());
        assertEquals(16000, c.rtp().portMin());
        assertEquals("agent", c.sip().credentials().orElseThrow().username());
        assertFalse(c.sip().credentials().orElseThrow().toString().contains("s3cret"), "password never in toString");
        assertEquals("hunter2", c.db().password());
        assertFalse(c.db().toString().contains("hunter2"), "db password never in toString");
    }

    @Test
    void badValuesNameTheKeyAndWhereTheyCameFrom() {
        var e = assertThrows(ConfigException.class, () -> RingbackConfig.load(SHIPPED,
                Map.of("RINGBACK_HTTP_PORT", "eighty"), Map.of()));
        assertTrue(e.getMessage().contains("http.port") && e.getMessage().contains("RINGBACK_HTTP_PORT"), e.getMessage());
        var t = assertThrows(ConfigException.class, () -> RingbackConfig.load(SHIPPED,
                Map.of("RINGBACK_SIP_TRUNK_TRANSPORT", "carrier-pigeon"), Map.of()));
        assertTrue(t.getMessage().contains("sip.trunk.transport"), t.getMessage());
    }

    @Test
    void missingFileIsAClearError() throws Exception {
        Path nowhere = Files.createTempDirectory("cfg").resolve("absent.yaml");
        var e = assertThrows(ConfigException.class, () -> RingbackConfig.load(nowhere, Map.of(), Map.of()));
        assertTrue(e.getMessage().contains("absent.yaml"));
    }
}
