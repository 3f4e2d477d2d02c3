package dev.ringback.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringback.server.peers.FreePorts;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A bounded, seeded fuzz of both SMS webhooks: mutated JSON and form bodies get a 4xx with a reason (or are taken when
 * they still make sense), never a 5xx; nothing refused is stored; and the server takes a good webhook afterwards.
 */
class WebhookFuzzTest {
    private static final long SEED = 4475;
    private static final int CASES = 400;
    private static final Set<Integer> ANSWERS = Set.of(200, 202, 400, 413, 415, 429);
    private static final String VALID = """
            {"from": "+61412000123", "to": "+61290001000", "body": "Hi, my tap is dripping. Can you call me?",
             "thread": [{"direction": "inbound", "at": "2026-12-01T09:09:00+11:00", "text": "Hi, my tap is dripping. Can you call me?"}],
             "callbackRequested": true, "messageSid": "SM1"}""";

    static RingbackServer server;
    static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createDirectories(Path.of("e2e", "webhook-fuzz-" + System.nanoTime()));
        // the workflow off: a text that gets through becomes an owner message, not a call
        server = TestServers.start(TestServers.config(dir, FreePorts.udpAndTcp(),
                Map.of("workflow.sms-callback-enabled", "false", "webhook.max-per-number-per-minute", "0")));
        api = new ApiClient(server.httpPort());
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void mutatedJsonBodiesAreAnsweredWithoutAServerError() throws Exception {
        Random random = new Random(SEED);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            String body = mutateJson(VALID, random);
            var reply = api.post("/api/sms/inbound", "application/json", body, Map.of());
            if (!ANSWERS.contains(reply.status())) failures.add(reply.status() + " for " + shorten(body));
            else if (reply.status() >= 400 && (reply.json() == null || !reply.json().has("error"))) failures.add("no reason for " + shorten(body));
        }
        assertTrue(failures.isEmpty(), failures.size() + " bad answers:\n" + String.join("\n", failures.subList(0, Math.min(10, failures.size()))));
        stillTakesAGoodWebhook();
    }

    @Test
    void mutatedFormBodiesAreAnsweredWithoutAServerError() throws Exception {
        Random random = new Random(SEED + 1);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            String body = randomForm(random);
            String type = random.nextInt(10) == 0 ? "text/plain" : "application/x-www-form-urlencoded";
            var reply = api.post("/api/sms/twilio", type, body, Map.of());
            if (!ANSWERS.contains(reply.status())) failures.add(reply.status() + " for " + shorten(body));
        }
        assertTrue(failures.isEmpty(), failures.size() + " bad answers:\n" + String.join("\n", failures.subList(0, Math.min(10, failures.size()))));
        stillTakesAGoodWebhook();
    }

    private static void stillTakesAGoodWebhook() throws Exception {
        var reply = api.post("/api/sms/inbound", VALID.replace("+61412000123", "+61412000" + (100 + new Random().nextInt(800))).replace("SM1", "SM-" + System.nanoTime()));
        assertTrue(reply.status() == 202 || reply.status() == 200, "a good webhook after the fuzz: " + reply.status() + " " + reply.json());
        assertEquals(200, api.get("/api/requests").status(), "the server still answers");
    }

    /** One to three edits of a valid body: cut, duplicate, swap a value's type, insert noise, nest deep, break UTF-8. */
    static String mutateJson(String valid, Random r) {
        String s = valid;
        int edits = 1 + r.nextInt(3);
        for (int e = 0; e < edits; e++) {
            switch (r.nextInt(9)) {
                case 0 -> s = s.substring(0, r.nextInt(s.length() + 1));
                case 1 -> {
                    int at = r.nextInt(s.length());
                    s = s.substring(0, at) + s.substring(Math.min(s.length(), at + 1 + r.nextInt(8)));
                }
                case 2 -> s = s.replace("\"+61412000123\"", pick(r, "12345", "null", "true", "[]", "{}", "\"\"", "\"+0\"", "\"" + "9".repeat(40) + "\""));
                case 3 -> s = s.replace("true", pick(r, "\"yes\"", "1", "null", "[true]"));
                case 4 -> s = s.replace("\"2026-12-01T09:09:00+11:00\"", pick(r, "\"yesterday\"", "0", "\"2026-13-45T99:99\"", "null", "\"\""));
                case 5 -> {
                    int at = r.nextInt(s.length());
                    s = s.substring(0, at) + pick(r, "\u0000", "\uFFFF", "\"", "\\", "{", "]", ",,", "\uD800") + s.substring(at);
                }
                case 6 -> s = "[".repeat(1 + r.nextInt(3000)) + "]".repeat(r.nextInt(2) * 1000);
                case 7 -> s = s.replace("Can you call me?", "x".repeat(r.nextInt(120_000)));
                default -> s = new String(randomBytes(r), StandardCharsets.ISO_8859_1);
            }
        }
        return s;
    }

    private static String randomForm(Random r) {
        String[] keys = {"From", "To", "Body", "MessageSid", "NumMedia", "X", "", "From[]", "%ZZ"};
        StringBuilder b = new StringBuilder();
        int fields = r.nextInt(7);
        for (int i = 0; i < fields; i++) {
            if (i > 0) b.append(pick(r, "&", "&&", ";", "&="));
            b.append(keys[r.nextInt(keys.length)]).append(pick(r, "=", "", "=="));
            b.append(pick(r, "%2B61412000123", "+61412000123", "call+me", "%E2%82", "%", "%00", "", "x".repeat(r.nextInt(5000)), "0412000123"));
        }
        return b.toString();
    }

    private static byte[] randomBytes(Random r) {
        byte[] b = new byte[r.nextInt(400)];
        r.nextBytes(b);
        return b;
    }

    private static String pick(Random r, String... options) {
        return options[r.nextInt(options.length)];
    }

    private static String shorten(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }
}
