package dev.ringback.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringback.agent.business.BusinessProfile;
import dev.ringback.agent.business.OnCallPerson;
import dev.ringback.agent.business.SmsMessage;
import dev.ringback.agent.scenario.Scenario;
import dev.ringback.agent.scenario.ScenarioConversation;
import dev.ringback.media.RtpConfig;
import dev.ringback.media.RtpEngine;
import dev.ringback.server.RingbackServer;
import dev.ringback.server.call.CallActivity;
import dev.ringback.server.call.SpeechServices;
import dev.ringback.server.config.RingbackConfig;
import dev.ringback.server.http.ToolCallJson;
import dev.ringback.server.sim.CustomerScript;
import dev.ringback.server.sim.CustomerVoice;
import dev.ringback.server.sim.LoopbackTrunk;
import dev.ringback.server.sim.OnCallPhone;
import dev.ringback.server.sim.ScenarioCall;
import dev.ringback.server.store.CallRecord;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code ./ringback demo [--scenario FILE] [--voice VOICE] [--on-call answer|busy|no-answer|refuse-refer] [--json]}: the
 * whole product on one machine. The server calls the simulated customer through a loopback trunk over real SIP/RTP;
 * the customer speaks the scenario's lines in a synthetic voice and reacts to what the agent says.
 */
public final class DemoCommand {
    private static final String DEFAULT_SCENARIO = "conf/scenarios/01-book-toilet.yaml";
    private static final Path DEMO_DIR = Path.of("var", "demo");
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(240);

    private DemoCommand() {}

    public static int run(CliArgs args) throws Exception {
        args.allowOnly("scenario", "json", "config", "voice", "on-call");
        boolean json = args.flag("json");
        // the conversation is the output; logs go to var/log/ringback.log
        System.setProperty("ringback.console.level", "WARN");
        PrintStream out = json ? System.err : System.out;

        Path scenarioFile = args.existingFile("scenario", DEFAULT_SCENARIO);
        Path configFile = args.existingFile("config", "conf/ringback.yaml");
        Scenario scenario = ScenarioConversation.load(scenarioFile);
        String onCallMode = args.option("on-call").orElse("answer");
        boolean refuseRefer = onCallMode.equals("refuse-refer");
        OnCallPhone.Mode mode = refuseRefer ? OnCallPhone.Mode.ANSWER : OnCallPhone.Mode.parse(onCallMode);
        resetDemoDatabase();

        out.println("Ringback demo: scenario " + scenario.id() + " (" + scenarioFile + "), JVM up in "
                + ManagementFactory.getRuntimeMXBean().getUptime() + " ms");
        RingbackConfig base = RingbackConfig.load(configFile, System.getenv(), Map.of());
        BusinessProfile business = BusinessProfile.load(base.businessFile());
        out.println("Loading speech models (MaryTTS voice, recogniser, Silero VAD)...");
        try (SpeechServices speech = SpeechServices.start(base.speech());
             RtpEngine phoneMedia = new RtpEngine(new RtpConfig("127.0.0.1", base.rtp().portMax() + 1, base.rtp().portMax() + 200));
             LoopbackTrunk trunk = LoopbackTrunk.start("127.0.0.1")) {
            var times = speech.loadTimes();
            out.printf("  ready: TTS %d ms, ASR %s %d ms, VAD %d ms%n", times.ttsMs(), speech.asrName(), times.asrMs(), times.vadMs());
            out.println("  recogniser: " + speech.asrName() + " (" + speech.asrReason() + ")");
            CustomerVoice voice = args.option("voice").isPresent()
                    ? CustomerVoice.parse(args.option("voice").get(), speech.tts(), Path.of("var", "tmp"))
                    : CustomerVoice.best(speech.tts(), Path.of("var", "tmp"));
            out.println("Customer voice: " + voice.description() + "; on-call phone: " + onCallMode);
            try (OnCallPhone onCall = new OnCallPhone(phoneMedia, "127.0.0.1", mode)) {
                for (OnCallPerson p : business.onCall()) trunk.connect(p.phone(), onCall);
                RingbackConfig config = RingbackConfig.load(configFile, System.getenv(), demoOverrides(trunk.sipPort(), !refuseRefer && mode == OnCallPhone.Mode.ANSWER));
                try (RingbackServer server = RingbackServer.start(config, speech)) {
                    scenario.smsThread().stream().filter(m -> m.direction() == SmsMessage.Direction.INBOUND).findFirst()
                            .ifPresent(m -> out.println("SMS from " + scenario.customer().phone() + ": \"" + m.text() + "\""));
                    var stage = new ScenarioCall.Stage(server, trunk, phoneMedia, business, "127.0.0.1");
                    ScenarioCall.Result result = ScenarioCall.place(stage, scenario, scenario.customer().phone(), voice,
                            CALL_TIMEOUT, console(out)).get();
                    CallRecord call = result.call();
                    out.println("Call ended (" + call.reason() + "). Outcome: " + result.outcome());
                    if (json) System.out.println(resultJson(server, result));
                    return call.answeredAt() != null ? 0 : 1;
                }
            }
        }
    }

    private static ScenarioCall.Watcher console(PrintStream out) {
        return new ScenarioCall.Watcher() {
            @Override
            public void activity(CallActivity a) {
                if (a instanceof CallActivity.Dialling d) out.println("  [dialling " + d.customerPhone() + " through the trunk]");
                else if (a instanceof CallActivity.Ringing) out.println("  [ringing]");
                else if (a instanceof CallActivity.Answered an) out.println("  [answered, " + an.codec() + "]");
                else if (a instanceof CallActivity.AgentSaid s) out.println("agent: " + s.text());
                else if (a instanceof CallActivity.CustomerSaid s) out.println("  (agent heard: \"" + s.text() + "\")");
                else if (a instanceof CallActivity.ToolCalled t) out.println("  [tool " + t.tool() + " " + t.args() + " -> " + t.result() + "]");
                else if (a instanceof CallActivity.BargeIn) out.println("  [customer talked over the agent: it stopped]");
            }

            @Override
            public void customerSaid(CustomerScript.Say say) {
                String why = switch (say.reason()) {
                    case REPEAT -> " (saying it again)";
                    case REFUSE -> " (that time does not suit)";
                    default -> "";
                };
                out.println("customer: " + say.line().text() + why);
            }
        };
    }

    private static String resultJson(RingbackServer server, ScenarioCall.Result result) {
        var mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        CallRecord call = result.call();
        root.put("scenario", result.scenario().id());
        root.put("call_id", call.id());
        root.put("voice", result.voice());
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
        root.put("outcome", result.outcome());
        ObjectNode customer = root.putObject("customer");
        customer.put("repeats", result.customer().repeats());
        customer.put("refusals", result.customer().refusals());
        customer.put("agent_over_customer", result.customer().agentOverCustomer());
        customer.put("split_turns", result.splitTurns());
        ArrayNode latencies = customer.putArray("turn_latency_ms");
        result.customer().turnLatenciesMs().forEach(ms -> latencies.add(Math.round(ms)));
        ObjectNode timings = root.putObject("timings");
        if (call.webhookToInviteMs() != null) timings.put("webhook_to_invite_ms", call.webhookToInviteMs());
        if (call.answeredAt() != null && call.endedAt() != null) {
            timings.put("call_seconds", Duration.between(call.answeredAt(), call.endedAt()).toMillis() / 1000.0);
        }
        return root.toPrettyString();
    }

    /**
     * The demo's server: its trunk is the loopback trunk; REFER is not tried when the on-call phone simply answers
     * (the loopback trunk refuses REFER, and {@code --on-call refuse-refer} shows that path: REFER, refused, bridged).
     */
    static Map<String, String> demoOverrides(int trunkPort, boolean bridgeWithoutRefer) {
        Map<String, String> o = new HashMap<>();
        o.put("http.port", "0");
        o.put("sip.listen.port", "0");
        o.put("sip.trunk.host", "127.0.0.1");
        o.put("sip.trunk.port", String.valueOf(trunkPort));
        o.put("sip.trunk.transport", "udp");
        o.put("sip.refer", String.valueOf(!bridgeWithoutRefer));
        o.put("db.url", "jdbc:h2:file:./" + DEMO_DIR.resolve("ringback").toString().replace('\\', '/'));
        o.put("call.silence-timeout-s", "8");
        o.put("call.on-call-ring-timeout-s", "10");
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
