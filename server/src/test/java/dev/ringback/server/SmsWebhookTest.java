package dev.ringback.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringback.server.peers.FreePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SMS webhooks over real HTTP with signatures switched on: Twilio's form and the JSON one, threads kept
 * per number, call intent read from the text, MessageSid de-duplication, 401/400/429. The workflow is off,
 * so requests end as owner messages and nothing is dialled.
 */
class SmsWebhookTest {
    static final String TWILIO_TOKEN = "twilio-test-token";
    static final String JSON_SECRET = "json-test-secret";
    static final String PUBLIC_URL = "https://ringback.example.com";
    static RingbackServer server;
    static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createDirectories(Path.of("e2e", "sms-webhook-" + System.nanoTime()));
        server = TestServers.start(TestServers.config(dir, FreePorts.udpAndTcp(), Map.of(
                "workflow.sms-callback-enabled", "false",
                "webhook.twilio-auth-token", TWILIO_TOKEN,
                "webhook.json-secret", JSON_SECRET,
                "webhook.public-url", PUBLIC_URL,
                "webhook.max-per-number-per-minute", "3")));
        api = new ApiClient(server.httpPort());
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void twilioThreadIsKeptPerNumberAndAPlainAskBecomesARequest() throws Exception {
        var first = twilio(form("+61412000601", "Hi, our hot water system is leaking from the bottom", "SM601a"), true);
        assertEquals(200, first.status(), String.valueOf(first.json()));
        assertEquals("no-callback-requested", first.json().get("state").asText());
        assertFalse(first.json().has("id"));

        var second = twilio(form("+61412000601", "can you ring me?", "SM601b"), true);
        assertEquals(202, second.status(), String.valueOf(second.json()));
        assertTrue(second.json().get("callbackInferred").asBoolean());
        String id = second.json().get("id").asText();

        JsonNode request = api.awaitTerminal(id, Duration.ofSeconds(10));
        String thread = request.get("thread").toString();
        assertTrue(thread.contains("hot water system") && thread.contains("can you ring me"), thread);
        assertEquals("owner-messaged", request.get("state").asText());
    }

    @Test
    void sameMessageSidTwiceMakesOneRequest() throws Exception {
        Map<String, String> sms = form("+61412000602", "pls call, blocked drain", "SM602");
        var first = twilio(sms, true);
        var again = twilio(sms, true);
        assertEquals(202, first.status(), String.valueOf(first.json()));
        assertEquals(200, again.status(), String.valueOf(again.json()));
        assertEquals(first.json().get("id").asText(), again.json().get("id").asText());
        assertEquals("duplicate", again.json().get("outcome").asText());
        long requests = count(api.get("/api/requests").json(), "+61412000602");
        assertEquals(1, requests);
    }

    @Test
    void twilioSignatureMissingOrWrongIs401() throws Exception {
        var missing = twilio(form("+61412000603", "call me", "SM603"), false);
        assertEquals(401, missing.status());
        assertTrue(missing.json().get("error").asText().contains("X-Twilio-Signature"));
        var forged = api.post("/api/sms/twilio", "application/x-www-form-urlencoded",
                encode(form("+61412000603", "call me", "SM603")),
                Map.of("X-Twilio-Signature", twilioSignature(form("+61412000603", "call me now", "SM603"))));
        assertEquals(401, forged.status());
        assertEquals(0, count(api.get("/api/requests").json(), "+61412000603"));
    }

    @Test
    void jsonSignatureIsCheckedAndAnExplicitFalseFlagIsRespected() throws Exception {
        String body = """
                {"from": "+61412000604", "body": "call me about the quote", "callbackRequested": false, "messageSid": "J604"}""";
        assertEquals(401, api.post("/api/sms/inbound", "application/json", body, Map.of()).status());
        assertEquals(401, api.post("/api/sms/inbound", "application/json", body,
                Map.of("X-Ringback-Signature", "sha256=" + "0".repeat(64))).status());
        var signed = api.post("/api/sms/inbound", "application/json", body, Map.of("X-Ringback-Signature", jsonSignature(body)));
        assertEquals(200, signed.status(), String.valueOf(signed.json()));
        assertEquals("no-callback-requested", signed.json().get("state").asText());

        String asks = """
                {"from": "+61412000605", "body": "Give us a ring when you can"}""";
        var inferred = api.post("/api/sms/inbound", "application/json", asks, Map.of("X-Ringback-Signature", jsonSignature(asks)));
        assertEquals(202, inferred.status(), String.valueOf(inferred.json()));
    }

    @Test
    void malformedFormIsA400WithAReason() throws Exception {
        Map<String, String> noFrom = new LinkedHashMap<>(form("+61412000606", "call me", "SM606"));
        noFrom.remove("From");
        var reply = twilio(noFrom, true);
        assertEquals(400, reply.status());
        assertTrue(reply.json().get("error").asText().contains("'From'"), reply.json().toString());

        var badNumber = twilio(form("0412000606", "call me", "SM606b"), true);
        assertEquals(400, badNumber.status());
        assertTrue(badNumber.json().get("error").asText().contains("E.164"));
    }

    @Test
    void moreThanTheLimitPerNumberIs429() throws Exception {
        int accepted = 0;
        int limited = 0;
        for (int i = 0; i < 5; i++) {
            int status = twilio(form("+61412000607", "update " + i, "SM607" + i), true).status();
            if (status == 200 || status == 202) accepted++;
            if (status == 429) limited++;
        }
        assertEquals(3, accepted);
        assertEquals(2, limited);
        assertEquals(200, twilio(form("+61412000608", "other number is fine", "SM608"), true).status());
    }

    private static ApiClient.Reply twilio(Map<String, String> form, boolean signed) throws Exception {
        return api.post("/api/sms/twilio", "application/x-www-form-urlencoded", encode(form),
                signed ? Map.of("X-Twilio-Signature", twilioSignature(form)) : Map.of());
    }

    private static Map<String, String> form(String from, String body, String sid) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("MessageSid", sid);
        f.put("AccountSid", "AC0000");
        f.put("From", from);
        f.put("To", "+61290001000");
        f.put("Body", body);
        f.put("NumMedia", "0");
        return f;
    }

    private static String encode(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** Twilio's scheme, written out here independently of the server's code. */
    private static String twilioSignature(Map<String, String> form) throws Exception {
        StringBuilder s = new StringBuilder(PUBLIC_URL + "/api/sms/twilio");
        for (var e : new TreeMap<>(form).entrySet()) s.append(e.getKey()).append(e.getValue());
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(TWILIO_TOKEN.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(s.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static String jsonSignature(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(JSON_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static long count(JsonNode requests, String number) {
        long n = 0;
        for (JsonNode r : requests) if (number.equals(r.path("customerPhone").asText())) n++;
        return n;
    }
}
