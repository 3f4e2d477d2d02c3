package dev.ringback.server;

import dev.ringback.server.peers.FreePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad webhooks get 400 with a JSON reason, and nothing is stored or dialled. */
class WebhookValidationTest {
    static RingbackServer server;
    static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createDirectories(Path.of("e2e", "webhook-" + System.nanoTime()));
        server = TestServers.start(TestServers.config(dir, FreePorts.udpAndTcp(), Map.of()));
        api = new ApiClient(server.httpPort());
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void missingNumberIsRefusedWithAReason() throws Exception {
        var reply = api.post("/api/sms/inbound", """
                {"body": "can you call me", "callbackRequested": true}""");
        assertEquals(400, reply.status());
        assertTrue(reply.json().get("error").asText().contains("'from'"), reply.json().toString());
        assertNothingDialled();
    }

    @Test
    void nonE164NumberIsRefusedWithAReason() throws Exception {
        var reply = api.post("/api/sms/inbound", Webhooks.toiletCallback("0412 000 111"));
        assertEquals(400, reply.status());
        assertTrue(reply.json().get("error").asText().contains("E.164"), reply.json().toString());
        assertNothingDialled();
    }

    @Test
    void malformedJsonIsRefused() throws Exception {
        var reply = api.post("/api/sms/inbound", "{\"from\": \"+61412000111\", ");
        assertEquals(400, reply.status());
        assertTrue(reply.json().has("error"));
        assertNothingDialled();
    }

    @Test
    void threadTimesMustBeIsoDates() throws Exception {
        var reply = api.post("/api/sms/inbound", """
                {"from": "+61412000111", "callbackRequested": true,
                 "thread": [{"direction": "inbound", "at": "yesterday", "text": "call me"}]}""");
        assertEquals(400, reply.status());
        assertTrue(reply.json().get("error").asText().contains("thread[0].at"), reply.json().toString());
        assertNothingDialled();
    }

    private static void assertNothingDialled() throws Exception {
        assertEquals(0, api.get("/api/requests").json().size(), "no request stored");
        assertEquals(0, api.get("/api/calls").json().size(), "no call placed");
    }
}
