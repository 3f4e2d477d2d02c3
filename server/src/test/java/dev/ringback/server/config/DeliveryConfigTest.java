package dev.ringback.server.config;

import dev.ringback.server.TestServers;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The webhook, retry and toll-fraud guard keys: shipped defaults, overrides, and clear errors. */
class DeliveryConfigTest {
    static final Path SHIPPED = TestServers.root().resolve("conf/ringback.yaml");

    @Test
    void shippedDefaults() {
        var c = RingbackConfig.load(SHIPPED, Map.of(), Map.of());
        assertEquals(3, c.retry().maxAttempts());
        assertEquals(List.of(Duration.ofMinutes(1), Duration.ofMinutes(5)), c.retry().delays());
        assertEquals(List.of("61"), c.guard().allowedCountryCodes());
        assertEquals(5, c.guard().maxCallsPerNumberPerHour());
        assertTrue(c.webhook().twilioAuthToken().isEmpty() && c.webhook().jsonSecret().isEmpty(), "verification off until a secret is set");
        assertEquals(10, c.webhook().maxPerNumberPerMinute());
    }

    @Test
    void lastRetryDelayRepeats() {
        var c = RingbackConfig.load(SHIPPED, Map.of("RINGBACK_RETRY_DELAYS_MS", "100, 200", "RINGBACK_RETRY_MAX_ATTEMPTS", "5"), Map.of());
        assertEquals(Duration.ofMillis(100), c.retry().delayBefore(2));
        assertEquals(Duration.ofMillis(200), c.retry().delayBefore(3));
        assertEquals(Duration.ofMillis(200), c.retry().delayBefore(5));
    }

    @Test
    void countryCodesAcceptAPlusAndSecretsStayOutOfLogs() {
        var c = RingbackConfig.load(SHIPPED, Map.of("RINGBACK_GUARD_ALLOWED_COUNTRY_CODES", "+61, 64",
                "RINGBACK_WEBHOOK_TWILIO_AUTH_TOKEN", "tw-secret", "RINGBACK_WEBHOOK_JSON_SECRET", "js-secret"), Map.of());
        assertEquals(List.of("61", "64"), c.guard().allowedCountryCodes());
        assertFalse(c.webhook().toString().contains("tw-secret") || c.webhook().toString().contains("js-secret"), c.webhook().toString());
    }

    @Test
    void badValuesNameTheKey() {
        Map<String, String> bad = Map.of("retry.delays-ms", "soon", "retry.max-attempts", "0",
                "guard.allowed-country-codes", "australia", "webhook.public-url", "https://x.example/sms");
        bad.forEach((key, value) -> {
            var e = assertThrows(ConfigException.class,
                    () -> RingbackConfig.load(SHIPPED, Map.of(ConfigSource.envName(key), value), Map.of()));
            assertTrue(e.getMessage().contains(key), e.getMessage());
        });
    }
}
