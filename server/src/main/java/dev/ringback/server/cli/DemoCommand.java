package dev.ringback.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringback.agent.business.BusinessProfile;
import dev.ringback.agent.scenario.Scenario;
import dev.ringback.agent.scenario.ScenarioConversation;
import dev.ringback.agent.store.BusinessStore;
import dev.ringback.agent.business.SmsMessage;
import dev.ringback.media.RtpConfig;
import dev.ringback.media.RtpEngine;
import dev.ringback.server.CliArgs;
import dev.ringback.server.RingbackServer;
import dev.ringback.server.call.CallActivity;
import dev.ringback.server.call.SpeechServices;
import dev.ringback.server.config.RingbackConfig;
import dev.ringback.server.demo.CustomerVoice;
import dev.ringback.server.demo.LoopbackPhone;
import dev.ringback.server.http.ToolCallJson;
import dev.ringback.server.store.CallRecord;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code ./ringback demo [--scenario FILE] [--json]}: the whole product on one machine. The server
 * calls a loopback customer phone over real SIP/RTP; the phone speaks the scenario's lines.
 */
public final class DemoCommand {
    private static final String DEFAULT_SCENARIO = "conf/scenarios/01-book-toilet.yaml";
    private static final Path DEMO_DIR = Path.of("var", "demo");

    private DemoCommand() {}

    public static int run(CliArgs args) throws Exception {
        args.allowOnly("scenario", "json", "config");
        boolean json = args.flag("json");
        // the conversation is the output; logs go to var/log/ringback.log
        System.setProperty("ringback.console.level", "WARN");
        PrintStream out = json ? System.err : System.out;

        Path scenarioFile = args.existingFile("scenario", DEFAULT_SCENARIO);
        Path configFile = args.existingFile("config", "conf/ringback.yaml");
        Scenario scenario = ScenarioConversation.load(scenarioFile);
        resetDemoDatabase();

        out.println("Ringback demo: scenario " + scenario.id() + " (" + scenarioFile + "), JVM up in "
                + ManagementFactory.getRuntimeMXBean().getUptime() + " ms");
        RingbackConfig base = RingbackConfig.load(configFile, System.getenv(), Map.of());
        BusinessProfile business = BusinessProfile.load(base.businessFile());
        out.println("Loading speech models (MaryTTS voice, recogniser, Silero VAD)...");
        try (SpeechServices speech = SpeechServices.start(base.speech());
             RtpEngine phoneMedia = new RtpEngine(new RtpConfig("127.0.0.1", base.rtp().portMax() + 1, base.rtp().portMax() + 200))) {
            var times = speech.loadTimes();
            out.printf("  ready: TTS %d ms, ASR %s %d ms, VAD %d ms%n", times.ttsMs(), speech.asrName(), times.asrMs(), times.vadMs());

            CustomerVoice voice = CustomerVoice.best(speech.tts(), Path.of("var", "tmp"));
            out.println("Customer phone voice: " + voice.description());
            List<LoopbackPhone.Line> lines = scenario.customerSays().stream()
                    .map(l -> new LoopbackPhone.Line(l.text(), l.bargeInAfterMs()))
                    .toList();
            try (LoopbackPhone phone = LoopbackPhone.start("127.0.0.1", phoneMedia, voice, lines,
                    said -> out.println("customer: " + said))) {
                RingbackConfig config = RingbackConfig.load(configFile, System.getenv(), demoOverrides(phone.sipPort()));
                try (RingbackServer server = RingbackServer.start(config, speech)) {
                    seed(server.businessStore(), scenario, business);
                    return converse(server, scenario, business, phone, out, json);
                }
            }
        }
    }

    private static int converse(RingbackServer server, Scenario scenario, BusinessProfile business,
                                LoopbackPhone phone, PrintStream out, boolean json) throws Exception {
        var ended = new CompletableFuture<CallActivity.Ended>();
        try (AutoCloseable watch = server.monitor().watch(a -> show(a, out, ended))) {
            String thread = webhookJson(scenario, business);
            scenario.smsThread().stream().filter(m -> m.direction() == SmsMessage.Direction.INBOUND).findFirst()
                    .ifPresent(m -> out.println("SMS from " + scenario.customer().phone() + ": \"" + m.text() + "\""));
            var reply = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/api/sms/inbound"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(thread)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (reply.statusCode() != 202) {
                out.println("the webhook was refused: " + reply.statusCode() + " " + reply.body());
                return 1;
            }
            CallActivity.Ended end = ended.get(240, TimeUnit.SECONDS);
            phone.ended().get(10, TimeUnit.SECONDS);
            CallRecord call = server.calls().find(end.callId()).orElseThrow();
            out.println("Call ended (" + end.reason() + "). Outcome: " + end.outcome());
            if (json) System.out.println(resultJson(server, scenario, call, end));
            return call.answeredAt() != null ? 0 : 1;
        }
    }

    private static void show(CallActivity a, PrintStream out, CompletableFuture<CallActivity.Ended> ended) {
        if (a instanceof CallActivity.Dialling d) out.println("  [dialling " + d.customerPhone() + " through the trunk]");
        else if (a instanceof CallActivity.Ringing) out.println("  [ringing]");
        else if (a instanceof CallActivity.Answered an) out.println("  [answered, " + an.codec() + "]");
        else if (a instanceof CallActivity.AgentSaid s) out.println("agent: " + s.text());
        else if (a instanceof CallActivity.CustomerSaid s) out.println("  (agent heard: \"" + s.text() + "\")");
        else if (a instanceof CallActivity.ToolCalled t) out.println("  [tool " + t.tool() + " " + t.args() + " -> " + t.result() + "]");
        else if (a instanceof CallActivity.BargeIn) out.println("  [customer talked over the agent: it stopped]");
        else if (a instanceof CallActivity.Ended e) ended.complete(e);
    }

    private static String resultJson(RingbackServer server, Scenario scenario, CallRecord call, CallActivity.Ended end) {
        var mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("scenario", scenario.id());
        root.put("call_id", call.id());
        ArrayNode turns = root.putArray("turns");
        ObjectNode last = null;
        for (CallRecord.Turn t : call.turns()) {
            // one entry per turn, as in the converse JSON: the agent's sentences of a turn are joined
            if (last != null && last.get("speaker").asText().equals(t.speaker())) {
                last.put("text", last.get("text").asText() + " " + t.text());
                continue;
            }
            last = turns.addObject().put("speaker", t.speaker()).put("text", t.text());
            if (t.latencyMs() != null) last.put("latency_ms", Math.round(t.latencyMs()));
        }
        root.set("tool_calls", ToolCallJson.of(server.businessStore().toolLog(call.id()), mapper));
        root.put("outcome", end.outcome());
        ObjectNode timings = root.putObject("timings");
        if (call.webhookToInviteMs() != null) timings.put("webhook_to_invite_ms", call.webhookToInviteMs());
        if (call.answeredAt() != null && call.endedAt() != null) {
            timings.put("call_seconds", Duration.between(call.answeredAt(), call.endedAt()).toMillis() / 1000.0);
        }
        return root.toPrettyString();
    }

    /** The scenario's customer record, jobs and full days, as the business's own store would have them. */
    private static void seed(BusinessStore store, Scenario scenario, BusinessProfile business) {
        store.seedCustomer(scenario.customer().phone(), scenario.customer().name(), scenario.customer().jobs());
        for (LocalDate day : scenario.calendarFull()) store.seedCalendarFull(day, business);
    }

    /** The webhook the upstream SMS assistant would send for this scenario's thread. */
    private static String webhookJson(Scenario scenario, BusinessProfile business) {
        var mapper = new ObjectMapper();
        ObjectNode body = mapper.createObjectNode();
        body.put("from", scenario.customer().phone());
        body.put("to", business.phone());
        ArrayNode thread = body.putArray("thread");
        for (SmsMessage m : scenario.smsThread()) {
            thread.addObject()
                    .put("direction", m.direction() == SmsMessage.Direction.INBOUND ? "inbound" : "outbound")
                    .put("at", m.at().atZone(business.timezone()).toOffsetDateTime().toString())
                    .put("text", m.text());
        }
        body.put("callbackRequested", true);
        return body.toString();
    }

    private static Map<String, String> demoOverrides(int phonePort) {
        Map<String, String> o = new HashMap<>();
        o.put("http.port", "0");
        o.put("sip.listen.port", "0");
        o.put("sip.trunk.host", "127.0.0.1");
        o.put("sip.trunk.port", String.valueOf(phonePort));
        o.put("sip.trunk.transport", "udp");
        o.put("db.url", "jdbc:h2:file:./" + DEMO_DIR.resolve("ringback").toString().replace('\\', '/'));
        o.put("call.silence-timeout-s", "8");
        return o;
    }

    /** Each demo starts from an empty calendar so the scenario's slots are free. */
    private static void resetDemoDatabase() throws IOException {
        if (!Files.isDirectory(DEMO_DIR)) return;
        try (Stream<Path> files = Files.walk(DEMO_DIR)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
