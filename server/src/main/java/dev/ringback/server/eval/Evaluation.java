package dev.ringback.server.eval;

import dev.ringback.agent.business.BusinessProfile;
import dev.ringback.agent.scenario.ConversationResult;
import dev.ringback.agent.business.OnCallPerson;
import dev.ringback.agent.scenario.Scenario;
import dev.ringback.agent.scenario.ScenarioCheck;
import dev.ringback.agent.scenario.ScenarioConversation;
import dev.ringback.agent.tools.ToolCallRecord;
import dev.ringback.media.RtpConfig;
import dev.ringback.media.RtpEngine;
import dev.ringback.server.RingbackServer;
import dev.ringback.server.call.CallActivity;
import dev.ringback.server.call.SpeechServices;
import dev.ringback.server.config.RingbackConfig;
import dev.ringback.server.sim.CustomerScript;
import dev.ringback.server.sim.CustomerVoice;
import dev.ringback.server.sim.LoopbackTrunk;
import dev.ringback.server.sim.OnCallPhone;
import dev.ringback.server.sim.ScenarioCall;
import dev.ringback.server.sim.ScenarioCopies;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * The eval: every scenario x voice as a real call (SIP and RTP on loopback, the configured recogniser, VAD, TTS, the simulated
 * customer), scored with the scenario contract's own checks. A benchmark, not a test: it reports and exits 0 when it
 * ran, whatever the score. {@code --calls N} places N calls at once against one server, round-robin over the scenarios.
 */
public final class Evaluation {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(300);

    /**
     * What to evaluate.
     *
     * @param scenarios  scenario files (a business.yaml beside them is the business they are for)
     * @param voices     customer voice specs ({@link CustomerVoice#parse}); empty: the best one installed
     * @param calls      calls placed at once
     * @param configFile the server configuration the calls run with
     * @param out        where each call's transcript is written
     */
    public record Options(List<Path> scenarios, List<String> voices, int calls, Path configFile, OnCallPhone.Mode onCallMode, Path out) {
        public Options {
            scenarios = List.copyOf(scenarios);
            voices = List.copyOf(voices);
            if (scenarios.isEmpty()) throw new IllegalArgumentException("no scenarios to evaluate");
            if (calls < 1) throw new IllegalArgumentException("calls must be at least 1");
        }
    }

    private Evaluation() {}

    /** Runs every call and reports (progress on {@code progress}); the report's table or JSON is the caller's to print. */
    public static EvalReport run(Options options, PrintStream progress) throws Exception {
        List<Path> files = options.scenarios();
        int calls = options.calls();
        Path configFile = options.configFile();
        Path dir = files.get(0).getParent();
        RingbackConfig base = RingbackConfig.load(configFile, System.getenv(), Map.of());
        BusinessProfile business = BusinessProfile.load(Files.exists(dir.resolve("business.yaml")) ? dir.resolve("business.yaml") : base.businessFile());
        OnCallPhone.Mode onCallMode = options.onCallMode();
        Path out = options.out();
        Files.createDirectories(out);

        progress.println("ringback eval: " + files.size() + " scenarios from " + dir + ", " + calls + " call(s) at once; loading speech models...");
        List<EvalRun> runs = new ArrayList<>();
        Map<String, String> settings = new LinkedHashMap<>();
        long started = System.nanoTime();
        try (SpeechServices speech = SpeechServices.start(base.speech());
             RtpEngine phoneMedia = new RtpEngine(new RtpConfig("127.0.0.1", base.rtp().portMax() + 1, base.rtp().portMax() + 400));
             LoopbackTrunk trunk = LoopbackTrunk.start("127.0.0.1");
             OnCallPhone onCall = new OnCallPhone(phoneMedia, "127.0.0.1", onCallMode)) {
            for (OnCallPerson p : business.onCall()) trunk.connect(p.phone(), onCall);
            List<CustomerVoice> voices = new ArrayList<>();
            for (String spec : options.voices().isEmpty() ? List.of(CustomerVoice.best(speech.tts(), workDir()).spec()) : options.voices()) {
                voices.add(CustomerVoice.parse(spec, speech.tts(), workDir()));
            }
            settings.put("recogniser", speech.asrName() + " (" + speech.asrReason() + ")");
            settings.put("calls at once", String.valueOf(calls));
            settings.put("on-call phone", onCallMode.name().toLowerCase(Locale.ROOT));
            int total = voices.size() * Math.max(files.size(), calls);
            int done = 0;
            for (CustomerVoice voice : voices) {
                int perVoice = (int) Math.ceil(Math.max(files.size(), calls) / (double) calls) * calls;
                for (int first = 0; first < perVoice; first += calls) {
                    List<Integer> batch = new ArrayList<>();
                    for (int r = first; r < first + calls && r < Math.max(files.size(), calls); r++) batch.add(r);
                    List<EvalRun> results = batch(base, configFile, speech, trunk, phoneMedia, business, files, batch, voice, progress, out);
                    runs.addAll(results);
                    done += results.size();
                    progress.printf(Locale.ROOT, "  %d/%d calls done, %.0f s%n", done, total, (System.nanoTime() - started) / 1e9);
                }
            }
        }
        settings.put("wall time", Math.round((System.nanoTime() - started) / 1e9) + " s");
        settings.put("transcripts", out.toString());
        settings.put("load average at the end", String.format(Locale.ROOT, "%.2f on %d cores",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.getRuntime().availableProcessors()));
        return new EvalReport(runs, settings);
    }

    /** One batch of calls placed at once against a fresh server (its own empty calendar). */
    private static List<EvalRun> batch(RingbackConfig base, Path configFile, SpeechServices speech, LoopbackTrunk trunk, RtpEngine phoneMedia,
                                       BusinessProfile business, List<Path> files, List<Integer> runIndexes, CustomerVoice voice,
                                       PrintStream progress, Path transcripts) throws Exception {
        ScenarioCheck checks = new ScenarioCheck(business);
        RingbackConfig config = RingbackConfig.load(configFile, System.getenv(), overrides(trunk.sipPort(), runIndexes.size()));
        List<EvalRun> out = new ArrayList<>();
        try (RingbackServer server = RingbackServer.start(config, speech)) {
            var stage = new ScenarioCall.Stage(server, trunk, phoneMedia, business, "127.0.0.1");
            record Placed(Scenario original, int copy, CompletableFuture<ScenarioCall.Result> result) {}
            List<Placed> placed = new ArrayList<>();
            for (int r : runIndexes) {
                Path file = files.get(r % files.size());
                int copy = r / files.size();
                Scenario original = ScenarioConversation.load(file);
                Scenario scenario = ScenarioCopies.copy(original, copy);
                progress.println("  calling " + original.id() + (copy > 0 ? " (copy " + copy + ")" : "") + " x " + voice.spec());
                try {
                    placed.add(new Placed(original, copy, ScenarioCall.place(stage, scenario, scenario.customer().phone(), voice,
                            CALL_TIMEOUT, quiet())));
                } catch (Exception e) {
                    out.add(EvalRun.failed(original.id(), voice.spec(), e.getMessage()));
                }
            }
            for (Placed p : placed) {
                try {
                    ScenarioCall.Result result = p.result().get();
                    ConversationResult conversation = asOriginal(result.conversation(), p.original(), p.copy());
                    EvalRun run = EvalRun.of(result, checks.check(p.original(), conversation).stream().map(ScenarioCheck.Failure::toString).toList());
                    EvalTranscripts.write(transcripts, result, run, p.copy());
                    progress.println("  " + p.original().id() + " x " + voice.spec() + ": " + (run.passed() ? "pass" : "FAIL " + run.firstFailure())
                            + " (" + result.outcome() + ", " + Math.round(result.wallMillis() / 1000.0) + " s)");
                    out.add(run);
                } catch (Exception e) {
                    Throwable cause = e.getCause() != null ? e.getCause() : e;
                    progress.println("  " + p.original().id() + " x " + voice.spec() + ": not run: " + cause);
                    out.add(EvalRun.failed(p.original().id(), voice.spec(), String.valueOf(cause)));
                }
            }
        }
        return out;
    }

    private static ConversationResult asOriginal(ConversationResult c, Scenario original, int copy) {
        if (copy == 0) return c;
        List<ToolCallRecord> tools = c.toolCalls().stream()
                .map(t -> new ToolCallRecord(t.tool(), ScenarioCopies.original(t.args(), original, copy), t.result(), t.idempotencyKey(), t.durationMicros()))
                .toList();
        return new ConversationResult(c.scenario(), c.turns(), tools, c.outcome(), c.blockedSentences());
    }

    private static Map<String, String> overrides(int trunkPort, int calls) {
        Map<String, String> o = new HashMap<>();
        o.put("http.port", "0");
        o.put("sip.listen.port", "0");
        o.put("sip.trunk.host", "127.0.0.1");
        o.put("sip.trunk.port", String.valueOf(trunkPort));
        o.put("sip.trunk.transport", "udp");
        o.put("sip.refer", "false"); // the loopback trunk refuses REFER: emergencies are bridged to the on-call phone
        o.put("db.url", "jdbc:h2:mem:eval-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        o.put("call.silence-timeout-s", "10");
        o.put("call.on-call-ring-timeout-s", "10");
        o.put("dispatcher.max-concurrent-calls", String.valueOf(Math.max(calls, 1)));
        o.put("guard.max-calls-per-number-per-hour", "1000");
        o.put("webhook.max-per-number-per-minute", "0");
        return o;
    }

    private static ScenarioCall.Watcher quiet() {
        return new ScenarioCall.Watcher() {
            @Override
            public void activity(CallActivity activity) {
            }

            @Override
            public void customerSaid(CustomerScript.Say say) {
            }
        };
    }

    private static Path workDir() {
        return Path.of("var", "tmp");
    }

    /** The scenario files of a directory (every *.yaml but business.yaml), in name order. */
    public static List<Path> scenarioFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".yaml") && !p.getFileName().toString().equals("business.yaml")).sorted().toList();
        }
    }
}
