package dev.ringback.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringback.agent.business.BusinessProfile;
import dev.ringback.agent.scenario.Scenario;
import dev.ringback.agent.scenario.ScenarioConversation;
import dev.ringback.agent.business.SmsMessage;
import dev.ringback.agent.tools.ToolCallRecord;
import dev.ringback.agent.tools.ScheduleCallback;
import dev.ringback.agent.tools.ToolContext;
import dev.ringback.agent.tools.ToolRunner;
import dev.ringback.server.SmsCallbackCallTest.Rtp;
import dev.ringback.server.peers.CustomerAudio;
import dev.ringback.server.peers.BaresipPhone;
import dev.ringback.server.peers.RoutingTrunk;
import dev.ringback.server.peers.Sipp;
import dev.ringback.server.peers.Tones;
import dev.ringback.server.peers.WireCapture;
import dev.ringback.server.peers.WireCapture.Datagram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ringback.server.SmsCallbackCallTest.header;
import static dev.ringback.server.SmsCallbackCallTest.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scenario 05 (after-hours burst pipe) end to end, so the dialog itself calls transfer_to_oncall: a SIPp caller
 * speaks the scenario's lines and then plays the trunk's part in the transfer. Where the on-call phone is needed,
 * Kamailio is the trunk and routes by number: the on-call number to the on-call phone (baresip, or a SIPp that
 * never answers), every other number to the caller's SIPp. Pure tones mark each side's audio through the bridge.
 */
class OnCallTransferTest {
    private static final Path SCENARIO = TestServers.root().resolve("conf/scenarios/05-after-hours-emergency.yaml");
    private static final String ON_CALL = "+61400000999";
    private static final double CALLER_TONE_HZ = 440;
    private static final double ON_CALL_TONE_HZ = 1000;
    /** 1 s of a 3 s marker tone: proof it crossed, with room for jitter-buffer and backlog trimming. */
    private static final int MIN_TONE_FRAMES = 50;

    private final List<AutoCloseable> peers = new ArrayList<>();

    @BeforeAll
    static void loadModelsBeforeStartingPeers() {
        TestServers.loadSpeech();
    }

    @AfterEach
    void stopPeers() throws Exception {
        for (int i = peers.size() - 1; i >= 0; i--) peers.get(i).close();
    }

    @Test
    void acceptedReferHandsTheCallerToTheOnCallPerson() throws Exception {
        Path dir = workDir("refer");
        Scenario scenario = callerLines(dir);
        Sipp caller = peer(Sipp.uas(sipp("uas_emergency_refer_accepted.xml"), dir, 120));

        Finished done = runCall(dir, scenario, caller.sipPort, Map.of());

        assertEquals(0, caller.awaitExit(20), "caller SIPp (REFER checks) did not finish as scripted:\n" + caller.output());
        JsonNode call = done.call();
        assertEquals("transferred", call.get("outcome").asText(), "call: " + call);
        JsonNode transfer = call.get("transfer");
        assertEquals("refer", transfer.get("path").asText(), "transfer: " + transfer);
        assertEquals(ON_CALL, transfer.get("target").asText());
        assertEquals("connected", transfer.get("result").asText(), "transfer: " + transfer);
        assertTrue(transfer.get("on_call_call_id").isNull(), "no second call for a REFER transfer: " + transfer);
        assertTrue(toolNames(call).contains("transfer_to_oncall"), "tool log: " + call.get("tool_calls"));
        assertToolLogOutcome(call, "refer", "connected");
        assertTrue(texts(call.get("turns"), "system").contains("by refer"), "turns: " + call.get("turns"));
    }

    @Test
    void refusedReferIsBridgedToTheBaresipPhoneWithAudioBothWays() throws Exception {
        Path dir = workDir("bridge");
        Scenario scenario = callerLines(dir);
        Tones.ulaw(dir, "caller", CALLER_TONE_HZ, 3);
        // the on-call phone talks (a tone) well after the briefing, once the bridge is up; it hangs up at the end
        Path prompt = Tones.wav(dir, "oncall-prompt", 24, ON_CALL_TONE_HZ, 3, 3);
        Sipp caller = peer(Sipp.uas(sipp("uas_emergency_refer_refused.xml"), dir, 150));
        BaresipPhone phone = peer(BaresipPhone.start(dir, prompt, ON_CALL, false));
        RoutingTrunk trunk = peer(RoutingTrunk.start(dir, ON_CALL, phone.sipPort, caller.sipPort));
        WireCapture capture = peer(WireCapture.start(dir.resolve("wire.pcap"), "udp and (port " + trunk.port + " or port "
                + caller.sipPort + " or port " + caller.mediaPort + " or port " + phone.sipPort + ")"));

        Finished done = runCall(dir, scenario, trunk.port, Map.of());
        assertEquals(0, caller.awaitExit(20), "caller SIPp did not finish as scripted:\n" + caller.output());
        List<Datagram> wire = capture.stop();

        JsonNode call = done.call();
        System.out.println("CALL " + call.toPrettyString());
        assertEquals("transferred", call.get("outcome").asText(), "call: " + call);
        assertTrue(call.get("reason").asText().contains("on-call person hung up"), "reason: " + call.get("reason"));
        JsonNode transfer = call.get("transfer");
        assertEquals("bridge", transfer.get("path").asText(), "transfer: " + transfer);
        assertEquals(ON_CALL, transfer.get("target").asText());
        assertEquals("connected", transfer.get("result").asText(), "transfer: " + transfer);
        assertEquals(405, transfer.get("sip_status").asInt(), "the REFER refusal that led to the bridge: " + transfer);
        assertToolLogOutcome(call, "bridge", "connected");
        assertFalse(transfer.get("on_call_call_id").asText().isBlank(), "transfer: " + transfer);
        assertNotNull(transfer.get("connected_at"));
        String briefing = texts(call.get("turns"), "to-oncall");
        assertTrue(briefing.contains("ringback emergency transfer") && briefing.contains("luke harris")
                && briefing.contains("burst pipe") && briefing.contains("texted at"), "briefing: " + briefing);

        // Signalling: the REFER refused, the on-call INVITE routed by number, and our BYE to the caller at the end.
        Datagram refused = first(wire, d -> d.text().startsWith("SIP/2.0 405") && header(d.text(), "CSeq").endsWith("REFER"));
        Datagram onCallInvite = first(wire, d -> d.dstPort() == trunk.port && d.text().startsWith("INVITE sip:" + ON_CALL + "@"));
        assertTrue(onCallInvite.epochMicros() > refused.epochMicros(), "the on-call leg follows the refusal");
        assertTrue(wire.stream().anyMatch(d -> d.dstPort() == caller.sipPort && d.text().startsWith("BYE ")),
                "the caller got a BYE once the on-call person hung up");

        // The caller heard the on-call phone's tone (their RTP as captured on the wire).
        ByteArrayOutputStream toCaller = new ByteArrayOutputStream();
        wire.stream().filter(d -> d.dstPort() == caller.mediaPort).map(Rtp::parse)
                .filter(r -> r != null && r.payloadType() == 0).forEach(r -> toCaller.writeBytes(r.payload()));
        int heardByCaller = Tones.framesWithTone(Tones.ulawToPcm(toCaller.toByteArray()), ON_CALL_TONE_HZ);
        assertTrue(heardByCaller >= MIN_TONE_FRAMES, "caller received the on-call phone's tone in " + heardByCaller + " frames");

        // The on-call phone heard the briefing (speech) and then the caller's tone (baresip's own recording).
        Path heard = phone.heard().orElseThrow(() -> new AssertionError("baresip wrote no recording:\n" + phone.output()));
        short[] onCallHeard = Tones.channel(heard, 0);
        int callerToneAtOnCall = Tones.framesWithTone(onCallHeard, CALLER_TONE_HZ);
        int speechAtOnCall = Tones.loudFrames(onCallHeard, 300) - callerToneAtOnCall;
        assertTrue(callerToneAtOnCall >= MIN_TONE_FRAMES, "on-call phone heard the caller's tone in " + callerToneAtOnCall + " frames");
        assertTrue(speechAtOnCall >= 100, "on-call phone heard the spoken briefing: " + speechAtOnCall + " loud frames");

        // The call's recording keeps both legs: caller left, on-call person right.
        Path wav = Path.of(call.get("recording").asText());
        int callerLeft = Tones.framesWithTone(Tones.channel(wav, 0), CALLER_TONE_HZ);
        int onCallRight = Tones.framesWithTone(Tones.channel(wav, 1), ON_CALL_TONE_HZ);
        assertTrue(callerLeft >= MIN_TONE_FRAMES, "caller's tone on the recording's left channel: " + callerLeft);
        assertTrue(onCallRight >= MIN_TONE_FRAMES, "on-call person's tone on the recording's right channel: " + onCallRight);

        Datagram answered = first(wire, d -> d.srcPort() == trunk.port && d.text().startsWith("SIP/2.0 200")
                && header(d.text(), "Call-ID").equals(transfer.get("on_call_call_id").asText()));
        System.out.printf("MEASURED REFER 405 -> on-call INVITE on the wire: %.1f ms%n", (onCallInvite.epochMicros() - refused.epochMicros()) / 1000.0);
        System.out.printf("MEASURED on-call answered -> bridged (briefing): %.1f s%n",
                (java.time.Instant.parse(transfer.get("connected_at").asText()).toEpochMilli() - answered.epochMicros() / 1000) / 1000.0);
        System.out.printf("MEASURED tone frames: caller<-on-call %d, on-call<-caller %d; recording L %d R %d%n",
                heardByCaller, callerToneAtOnCall, callerLeft, onCallRight);
    }

    @Test
    void withReferTurnedOffTheBridgeIsUsedAndTheCallerHangingUpEndsTheOnCallLeg() throws Exception {
        Path dir = workDir("caller-hangs-up");
        Scenario scenario = callerLines(dir);
        Tones.ulaw(dir, "caller", CALLER_TONE_HZ, 3);
        // long enough that the on-call phone is still there when the caller hangs up
        Path prompt = Tones.wav(dir, "oncall-prompt", 20, ON_CALL_TONE_HZ, 3, 25);
        Sipp caller = peer(Sipp.uas(sipp("uas_emergency_bridged_caller_hangs_up.xml"), dir, 150));
        BaresipPhone phone = peer(BaresipPhone.start(dir, prompt, ON_CALL, false));
        RoutingTrunk trunk = peer(RoutingTrunk.start(dir, ON_CALL, phone.sipPort, caller.sipPort));
        WireCapture capture = peer(WireCapture.start(dir.resolve("wire.pcap"),
                "udp and (port " + trunk.port + " or port " + caller.sipPort + " or port " + phone.sipPort + ")"));

        Finished done = runCall(dir, scenario, trunk.port, Map.of("sip.refer", "false"));
        assertEquals(0, caller.awaitExit(20), "caller SIPp did not finish as scripted:\n" + caller.output());
        Thread.sleep(1000); // the on-call leg's BYE follows the caller's
        List<Datagram> wire = capture.stop();

        JsonNode call = done.call();
        assertEquals("transferred", call.get("outcome").asText(), "call: " + call);
        assertEquals("customer hung up", call.get("reason").asText());
        JsonNode transfer = call.get("transfer");
        assertEquals("bridge", transfer.get("path").asText(), "transfer: " + transfer);
        assertEquals("connected", transfer.get("result").asText(), "transfer: " + transfer);
        assertTrue(transfer.get("sip_status").isNull(), "no REFER, so no REFER status: " + transfer);
        assertTrue(texts(call.get("turns"), "system").contains("refer not used"), "turns: " + call.get("turns"));
        assertFalse(wire.stream().anyMatch(d -> d.text().startsWith("REFER ")), "sip.refer: false sends no REFER");

        String onCallLeg = transfer.get("on_call_call_id").asText();
        Datagram callerBye = first(wire, d -> d.srcPort() == caller.sipPort && d.text().startsWith("BYE "));
        Datagram onCallBye = first(wire, d -> d.dstPort() == phone.sipPort && d.text().startsWith("BYE ")
                && header(d.text(), "Call-ID").equals(onCallLeg));
        assertTrue(onCallBye.epochMicros() > callerBye.epochMicros(), "the on-call leg is ended after the caller left");
        assertTrue(wire.stream().anyMatch(d -> d.srcPort() == phone.sipPort && d.text().startsWith("SIP/2.0 200")
                && header(d.text(), "CSeq").endsWith("BYE")), "the on-call phone answered our BYE");
        Path heard = phone.heard().orElseThrow(() -> new AssertionError("baresip wrote no recording:\n" + phone.output()));
        int callerToneAtOnCall = Tones.framesWithTone(Tones.channel(heard, 0), CALLER_TONE_HZ);
        assertTrue(callerToneAtOnCall >= MIN_TONE_FRAMES, "on-call phone heard the caller's tone in " + callerToneAtOnCall + " frames");
        System.out.printf("MEASURED caller BYE -> on-call BYE on the wire: %.1f ms%n", (onCallBye.epochMicros() - callerBye.epochMicros()) / 1000.0);
    }

    @Test
    void onCallPhoneNotAnsweringEndsInApologyUrgentMessageAndOneCallback() throws Exception {
        Path dir = workDir("no-answer");
        Scenario scenario = callerLines(dir);
        Tones.ulaw(dir, "caller", CALLER_TONE_HZ, 3);
        Sipp caller = peer(Sipp.uas(sipp("uas_emergency_refer_refused.xml"), dir, 150));
        Sipp onCall = peer(Sipp.uas(sipp("uas_oncall_ring_no_answer.xml"), dir.resolve("oncall"), 150));
        RoutingTrunk trunk = peer(RoutingTrunk.start(dir, ON_CALL, onCall.sipPort, caller.sipPort));

        Finished done = runCall(dir, scenario, trunk.port, Map.of("call.on-call-ring-timeout-s", "12"));
        assertEquals(0, caller.awaitExit(20), "caller SIPp did not finish as scripted:\n" + caller.output());
        assertEquals(0, onCall.awaitExit(10), "on-call SIPp was not CANCELled as scripted:\n" + onCall.output());

        JsonNode call = done.call();
        assertEquals("transfer-failed", call.get("outcome").asText(), "call: " + call);
        JsonNode transfer = call.get("transfer");
        assertEquals("bridge", transfer.get("path").asText(), "transfer: " + transfer);
        assertEquals("no-answer", transfer.get("result").asText(), "transfer: " + transfer);
        assertToolLogOutcome(call, transfer.get("path").asText(), "no-answer");
        assertFalse(transfer.get("on_call_call_id").asText().isBlank(), "transfer: " + transfer);

        String agent = texts(call.get("turns"), "agent");
        assertTrue(agent.contains("still connecting you"), "the caller heard that we were still on it while it rang: " + agent);
        assertTrue(agent.contains("couldn't put you through") && agent.contains("urgent message")
                && agent.contains("booked a call back"), "the caller heard what happens next: " + agent);

        var api = new ApiClient(done.httpPort());
        boolean urgent = false;
        for (JsonNode m : api.get("/api/messages").json()) {
            urgent |= m.get("customerPhone").asText().equals(done.customer()) && m.get("about").asText().startsWith("URGENT");
        }
        assertTrue(urgent, "urgent owner message: " + api.get("/api/messages").json());
        List<JsonNode> callbacks = callbacksFor(api, done.customer());
        assertEquals(1, callbacks.size(), "one callback: " + callbacks);
        JsonNode logged = null;
        for (JsonNode t : call.get("tool_calls")) if (t.get("tool").asText().equals("schedule_callback")) logged = t;
        assertNotNull(logged, "schedule_callback in the tool log: " + call.get("tool_calls"));
        assertTrue(logged.get("ok").asBoolean(), "callback booked: " + logged);

        // A retry of that step (same call, turn and arguments) replays the first result and books nothing new.
        BusinessProfile business = BusinessProfile.load(TestServers.root().resolve("conf/business.yaml"));
        LocalDateTime at = LocalDateTime.parse(logged.get("args").get("at").asText());
        ToolCallRecord replay = new ToolRunner(done.server().businessStore(),
                new ToolContext(call.get("id").asText(), done.customer(), at.minusMinutes(5), business))
                .run(logged.get("turn").asInt(), new ScheduleCallback(done.customer(), at, logged.get("args").get("note").asText()));
        assertEquals(logged.get("idempotency_key").asText(), replay.idempotencyKey());
        assertEquals(logged.get("result").get("callback_id").asLong(), ((Number) replay.result().get("callback_id")).longValue());
        assertEquals(1, callbacksFor(api, done.customer()).size(), "still one callback after the retry");
    }

    // --- the call ---

    private record Finished(RingbackServer server, int httpPort, String customer, JsonNode call) {}

    /** Starts Ringback on {@code trunkPort}, posts scenario 05's texts as the webhook and waits for the call to end. */
    private Finished runCall(Path dir, Scenario scenario, int trunkPort, Map<String, String> more) throws Exception {
        Map<String, String> overrides = new HashMap<>(Map.of(
                // the SIPp caller speaks at fixed times: a slow recogniser must not make the agent give up first
                "call.silence-timeout-s", "30"));
        overrides.putAll(more);
        RingbackServer server = peer(TestServers.start(TestServers.config(dir, trunkPort, overrides)));
        BusinessProfile business = BusinessProfile.load(server.config().businessFile());
        server.businessStore().seedCustomer(scenario.customer().phone(), scenario.customer().name(), scenario.customer().jobs());
        var api = new ApiClient(server.httpPort());
        var reply = api.post("/api/sms/inbound", webhook(scenario, business));
        assertEquals(202, reply.status(), "webhook reply: " + reply.json());
        JsonNode request = api.awaitTerminal(reply.json().get("id").asText(), Duration.ofSeconds(150));
        assertEquals("completed", request.get("state").asText(), "request: " + request);
        JsonNode call = api.get("/api/calls/" + request.get("calls").get(0).asText()).json();
        for (JsonNode t : call.get("turns")) System.out.println("TRANSCRIPT " + t.get("speaker").asText() + ": " + t.get("text").asText());
        System.out.println("TOOLS " + call.get("tool_calls"));
        return new Finished(server, server.httpPort(), scenario.customer().phone(), call);
    }

    /** The scenario's customer lines as the SIPp caller's audio (line1.ulaw, line2.ulaw). */
    private static Scenario callerLines(Path dir) throws Exception {
        Scenario scenario = ScenarioConversation.load(SCENARIO);
        assertEquals(2, scenario.customerSays().size(), "scenario 05 has two customer lines");
        for (int i = 0; i < 2; i++) CustomerAudio.ulaw(scenario.customerSays().get(i).text(), dir, "line" + (i + 1));
        return scenario;
    }

    /** The webhook the SMS assistant sends for the scenario's thread. */
    private static String webhook(Scenario scenario, BusinessProfile business) {
        ObjectNode body = new ObjectMapper().createObjectNode();
        body.put("from", scenario.customer().phone());
        body.put("to", business.phone());
        ArrayNode thread = body.putArray("thread");
        for (SmsMessage m : scenario.smsThread()) {
            thread.addObject().put("direction", m.direction() == SmsMessage.Direction.INBOUND ? "inbound" : "outbound")
                    .put("at", m.at().atZone(business.timezone()).toOffsetDateTime().toString())
                    .put("text", m.text());
        }
        body.put("callbackRequested", true);
        return body.toString();
    }

    private static List<JsonNode> callbacksFor(ApiClient api, String phone) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode c : api.get("/api/callbacks").json()) if (c.get("customerPhone").asText().equals(phone)) out.add(c);
        return out;
    }

    /** What the tool log says became of the transfer_to_oncall call. */
    private static void assertToolLogOutcome(JsonNode call, String path, String result) {
        JsonNode outcome = null;
        for (JsonNode t : call.get("tool_calls")) {
            if (t.get("tool").asText().equals("transfer_to_oncall")) outcome = t.get("result").get("outcome");
        }
        assertNotNull(outcome, "no outcome on transfer_to_oncall in the tool log: " + call.get("tool_calls"));
        assertEquals(path, outcome.get("path").asText(), "tool log outcome: " + outcome);
        assertEquals(result, outcome.get("result").asText(), "tool log outcome: " + outcome);
    }

    private static String toolNames(JsonNode call) {
        List<String> names = new ArrayList<>();
        for (JsonNode t : call.get("tool_calls")) names.add(t.get("tool").asText());
        return String.join(",", names);
    }

    private static Datagram first(List<Datagram> wire, java.util.function.Predicate<Datagram> p) {
        return wire.stream().filter(p).findFirst().orElseThrow(() -> new AssertionError("not on the wire"));
    }

    private <T extends AutoCloseable> T peer(T p) {
        peers.add(p);
        return p;
    }

    private static Path sipp(String name) throws Exception {
        return Path.of(OnCallTransferTest.class.getResource("/sipp/" + name).toURI());
    }

    private static Path workDir(String name) throws Exception {
        return Files.createDirectories(Path.of("e2e", "transfer-" + name + "-" + System.nanoTime()));
    }
}
