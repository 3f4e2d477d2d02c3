package dev.ringback.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringback.server.peers.Sipp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** 50 webhooks at once become 50 requests, each dialled exactly once: SIPp answers exactly 50 INVITEs with 486. */
class WebhookBurstTest {
    static final int BURST = 50;

    @BeforeAll
    static void loadModelsBeforeStartingPeers() {
        TestServers.loadSpeech();
    }

    @Test
    void fiftyWebhooksInASecondAreEachDialledOnce() throws Exception {
        Path dir = Files.createDirectories(Path.of("e2e", "burst-" + System.nanoTime()));
        Path scenario = Path.of(getClass().getResource("/sipp/uas_486.xml").toURI());
        try (Sipp customers = Sipp.uas(scenario, dir, 60, "-m", String.valueOf(BURST));
             RingbackServer server = TestServers.start(TestServers.config(dir, customers.sipPort, Map.of()))) {
            HttpClient http = HttpClient.newHttpClient();
            List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                replies.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/api/sms/inbound"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(Webhooks.toiletCallback(String.format("+614129%05d", i))))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            ObjectMapper json = new ObjectMapper();
            Set<String> ids = new HashSet<>();
            for (var reply : replies) {
                HttpResponse<String> r = reply.join();
                assertEquals(202, r.statusCode(), r.body());
                ids.add(json.readTree(r.body()).get("id").asText());
            }
            assertEquals(BURST, ids.size(), "one request per webhook");

            var api = new ApiClient(server.httpPort());
            for (String id : ids) {
                JsonNode request = api.awaitTerminal(id, Duration.ofSeconds(60));
                assertEquals("busy", request.get("state").asText(), request.toString());
                assertEquals(1, request.get("calls").size(), "dialled once: " + request);
            }
            assertEquals(0, customers.awaitExit(20), "SIPp answered exactly " + BURST + " INVITEs:\n" + customers.output());
        }
    }
}
