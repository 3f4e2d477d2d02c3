package dev.ringback.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringback.server.peers.FreePorts;
import dev.ringback.server.peers.Sipp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A trunk that does not take the call leaves a failed request with its reason and a message for the owner. */
class TrunkFailureTest {

    @BeforeAll
    static void loadModelsBeforeStartingPeers() {
        TestServers.loadSpeech();
    }

    @Test
    void trunkWithNothingListeningFailsTheRequestAndMessagesTheOwner() throws Exception {
        Path dir = Files.createDirectories(Path.of("e2e", "no-trunk-" + System.nanoTime()));
        try (RingbackServer server = TestServers.start(TestServers.config(dir, FreePorts.udpAndTcp(), Map.of()))) {
            JsonNode request = callbackThroughDeadTrunk(server, "+61412000201");
            assertEquals("failed", request.get("state").asText());
            assertTrue(request.get("reason").asText().contains("trunk"), request.toString());
            assertOwnerMessaged(server, "+61412000201");
        }
    }

    @Test
    void trunkAnswering503FailsTheRequestAndMessagesTheOwner() throws Exception {
        Path dir = Files.createDirectories(Path.of("e2e", "trunk-503-" + System.nanoTime()));
        Path scenario = Path.of(getClass().getResource("/sipp/uas_503.xml").toURI());
        try (Sipp trunk = Sipp.uas(scenario, dir, 30);
             RingbackServer server = TestServers.start(TestServers.config(dir, trunk.sipPort, Map.of()))) {
            JsonNode request = callbackThroughDeadTrunk(server, "+61412000202");
            assertEquals("failed", request.get("state").asText());
            assertTrue(request.get("reason").asText().contains("503"), request.toString());
            assertOwnerMessaged(server, "+61412000202");
            assertEquals(0, trunk.awaitExit(10), "SIPp saw INVITE, 503, ACK:\n" + trunk.output());
        }
    }

    private static JsonNode callbackThroughDeadTrunk(RingbackServer server, String number) throws Exception {
        var api = new ApiClient(server.httpPort());
        var reply = api.post("/api/sms/inbound", Webhooks.toiletCallback(number));
        assertEquals(202, reply.status());
        return api.awaitTerminal(reply.json().get("id").asText(), Duration.ofSeconds(20));
    }

    private static void assertOwnerMessaged(RingbackServer server, String number) throws Exception {
        JsonNode messages = new ApiClient(server.httpPort()).get("/api/messages").json();
        boolean found = false;
        for (JsonNode m : messages) found |= m.toString().contains(number) && m.toString().contains("toilet");
        assertTrue(found, "a message for the owner with the number and the thread: " + messages);
    }
}
