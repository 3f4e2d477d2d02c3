package dev.ringback.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringback.server.peers.FreePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Numbers outside the allowed country codes, or called too often, are not dialled: refused + owner message. */
class TollFraudGuardTest {
    static RingbackServer server;
    static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        TestServers.loadSpeech();
        Path dir = Files.createDirectories(Path.of("e2e", "guard-" + System.nanoTime()));
        // nothing listens on the trunk port: an allowed call fails fast at the trunk (and is not retried)
        server = TestServers.start(TestServers.config(dir, FreePorts.udpAndTcp(), Map.of(
                "guard.allowed-country-codes", "61,64", "guard.max-calls-per-number-per-hour", "1",
                "sip.invite-timeout-ms", "500")));
        api = new ApiClient(server.httpPort());
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void foreignNumberIsRefusedAndTheOwnerTold() throws Exception {
        JsonNode request = terminal(Webhooks.toiletCallback("+447700900123"));
        assertEquals("refused", request.get("state").asText());
        assertTrue(request.get("reason").asText().contains("country code"), request.toString());
        assertEquals(0, request.get("calls").size(), "nothing was dialled: " + request);
        assertOwnerMessaged("+447700900123");
    }

    @Test
    void secondRequestWithinTheHourIsRefused() throws Exception {
        JsonNode first = terminal(Webhooks.toiletCallback("+64211234567"));
        assertEquals(1, first.get("calls").size(), "the first one was dialled: " + first);
        JsonNode second = terminal(Webhooks.toiletCallback("+64211234567"));
        assertEquals("refused", second.get("state").asText());
        assertTrue(second.get("reason").asText().contains("in the last hour"), second.toString());
        assertEquals(0, second.get("calls").size());
    }

    private static JsonNode terminal(String webhook) throws Exception {
        var reply = api.post("/api/sms/inbound", webhook);
        assertEquals(202, reply.status(), String.valueOf(reply.json()));
        return api.awaitTerminal(reply.json().get("id").asText(), Duration.ofSeconds(15));
    }

    private static void assertOwnerMessaged(String number) throws Exception {
        boolean found = false;
        for (JsonNode m : api.get("/api/messages").json()) found |= m.toString().contains(number) && m.toString().contains("toilet");
        assertTrue(found, "the owner got the thread");
    }
}
