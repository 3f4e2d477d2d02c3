package dev.ringback.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringback.server.peers.Sipp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Busy and unanswered calls are retried with back-off up to the configured count; then the request ends in
 * its terminal state with the reason, the owner gets the thread, and a callback is scheduled.
 */
class CallRetryTest {

    @BeforeAll
    static void loadModelsBeforeStartingPeers() {
        TestServers.loadSpeech();
    }

    @Test
    void busyLineIsTriedThreeTimesThenTheOwnerGetsTheThreadAndACallback() throws Exception {
        Path dir = Files.createDirectories(Path.of("e2e", "retry-busy-" + System.nanoTime()));
        try (Sipp customer = Sipp.uas(scenario("uas_486.xml"), dir, 30, "-m", "3");
             RingbackServer server = TestServers.start(TestServers.config(dir, customer.sipPort, Map.of(
                     "retry.max-attempts", "3", "retry.delays-ms", "300,600")))) {
            JsonNode request = gaveUp(server, "+61412000701");
            assertEquals("busy", request.get("state").asText());
            assertEquals(3, request.get("attempts").asInt());
            assertEquals(3, request.get("calls").size(), request.toString());
            assertTrue(request.get("reason").asText().contains("486"), request.toString());
            assertEquals(2, retriesIn(request), request.toString());
            assertEquals(0, customer.awaitExit(10), "SIPp answered exactly 3 INVITEs with 486:\n" + customer.output());
            assertOwnerToldAndCallbackBooked(server, "+61412000701");
        }
    }

    @Test
    void unansweredCallIsRetriedThenEndsAsNoAnswer() throws Exception {
        Path dir = Files.createDirectories(Path.of("e2e", "retry-no-answer-" + System.nanoTime()));
        try (Sipp customer = Sipp.uas(scenario("uas_ring_no_answer.xml"), dir, 30, "-m", "2");
             RingbackServer server = TestServers.start(TestServers.config(dir, customer.sipPort, Map.of(
                     "sip.ring-timeout-s", "1", "retry.max-attempts", "2", "retry.delays-ms", "200")))) {
            JsonNode request = gaveUp(server, "+61412000702");
            assertEquals("no-answer", request.get("state").asText());
            assertEquals(2, request.get("calls").size(), request.toString());
            assertEquals(1, retriesIn(request), request.toString());
            assertTrue(request.toString().contains("ringing"), "it rang before giving up: " + request);
            assertEquals(0, customer.awaitExit(10), "SIPp saw 2 INVITEs, each cancelled:\n" + customer.output());
            assertOwnerToldAndCallbackBooked(server, "+61412000702");
        }
    }

    private static JsonNode gaveUp(RingbackServer server, String number) throws Exception {
        var api = new ApiClient(server.httpPort());
        var reply = api.post("/api/sms/inbound", Webhooks.toiletCallback(number));
        assertEquals(202, reply.status());
        String id = reply.json().get("id").asText();
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < end) {
            last = api.get("/api/requests/" + id).json();
            // a busy attempt is terminal for a moment before the retry is scheduled: wait for the final word
            if (last.get("terminal").asBoolean() && last.get("reason").asText().startsWith("gave up")) return last;
            Thread.sleep(100);
        }
        throw new AssertionError("request did not give up: " + last);
    }

    private static int retriesIn(JsonNode request) {
        int n = 0;
        for (JsonNode h : request.get("history")) {
            if (h.get("state").asText().equals("pending") && h.get("detail").asText().contains("in ")) n++;
        }
        return n;
    }

    private static void assertOwnerToldAndCallbackBooked(RingbackServer server, String number) throws Exception {
        var api = new ApiClient(server.httpPort());
        boolean told = false;
        for (JsonNode m : api.get("/api/messages").json()) {
            told |= m.toString().contains(number) && m.toString().contains("callback not reached") && m.toString().contains("toilet");
        }
        assertTrue(told, "the owner got the thread and the reason");
        boolean booked = false;
        for (JsonNode c : api.get("/api/callbacks").json()) booked |= c.toString().contains(number);
        assertTrue(booked, "a callback was scheduled: " + api.get("/api/callbacks").json());
    }

    private Path scenario(String name) throws Exception {
        var url = getClass().getResource("/sipp/" + name);
        if (url == null) throw new IOException("no scenario " + name);
        return Path.of(url.toURI());
    }
}
