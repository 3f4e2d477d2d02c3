package dev.ringback.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringback.server.peers.FreePorts;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With the workflow off, a callback request becomes a message for the owner; the switch survives a restart. */
class WorkflowToggleTest {

    @Test
    void workflowOffTurnsTheRequestIntoAMessageAndStaysOffAfterRestart() throws Exception {
        Path dir = Files.createDirectories(Path.of("e2e", "toggle-" + System.nanoTime()));
        int trunk = FreePorts.udpAndTcp();
        try (RingbackServer server = TestServers.start(TestServers.config(dir, trunk, Map.of()))) {
            var api = new ApiClient(server.httpPort());
            var off = api.put("/api/workflows/sms-callback", "{\"enabled\": false}");
            assertEquals(200, off.status());
            assertFalse(off.json().get("sms-callback").get("enabled").asBoolean());

            var reply = api.post("/api/sms/inbound", Webhooks.toiletCallback("+61412000301"));
            assertEquals(202, reply.status());
            JsonNode request = api.awaitTerminal(reply.json().get("id").asText(), Duration.ofSeconds(10));
            assertEquals("owner-messaged", request.get("state").asText());
            assertEquals(0, request.get("calls").size(), "no call placed");
            assertTrue(api.get("/api/messages").json().toString().contains("+61412000301"));
        }
        try (RingbackServer again = TestServers.start(TestServers.config(dir, trunk, Map.of()))) {
            var api = new ApiClient(again.httpPort());
            assertFalse(api.get("/api/workflows").json().get("sms-callback").get("enabled").asBoolean(),
                    "the toggle survives a restart");
            assertEquals(400, api.put("/api/workflows/sms-callback", "{\"enabled\": \"maybe\"}").status());
        }
    }
}
