package dev.ringback.speech;

import dev.ringback.speech.asr.AsrEngines;
import dev.ringback.speech.asr.Sphinx4Recognizer;
import dev.ringback.speech.asr.pocketsphinx.PocketSphinxRecognizer;
import dev.ringback.speech.asr.SpeechRecognizer;
import dev.ringback.speech.testaudio.SpokenAudio;
import dev.ringback.speech.tts.MaryTextToSpeech;
import dev.ringback.speech.tts.TtsConfig;
import dev.ringback.speech.turn.SpeechStarted;
import dev.ringback.speech.turn.SpeechWorkers;
import dev.ringback.speech.turn.TurnConfig;
import dev.ringback.speech.turn.TurnDetector;
import dev.ringback.speech.turn.TurnEvent;
import dev.ringback.speech.turn.UserTurn;
import dev.ringback.speech.vad.SileroVad;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The speech loop under load, not a test: N calls at once, each a real {@link TurnDetector} (Silero
 * VAD, echo gate, Sphinx4) fed 20 ms frames of flite speech on a real-time clock, answered by
 * MaryTTS (cache off: every reply synthesised) through a paced 20 ms sender. Prints, per load:
 * end of customer speech (from the sent audio) to the first voiced agent frame sent, p50/p95;
 * barge-in reaction (customer onset to the agent's queue flushed); the recogniser's lag after
 * the end of the turn; CPU per call.
 *
 * <pre>
 * mvn -B -o -pl speech test -Dtest=TurnLatencyBenchmark -Dringback.bench=true [-Dbench.calls=1,5,10,20] [-Dbench.hangover=600] [-Dbench.quick=250] [-Dbench.settle=40]
 * </pre>
 */
@EnabledIfSystemProperty(named = "ringback.bench", matches = "true")
class TurnLatencyBenchmark {

    private static final int LINE = 8000;
    private static final int FRAME = 160;
    private static final List<String> AGENT_REPLIES = List.of(
            "Okay, I can book that for you.",
            "Thanks, I have put that down.",
            "Right, let me check the diary for that day.",
            "Sure, the plumber can come out then.",
            "Got it, I will pass that on to the team.",
            "Alright, is there anything else I can help with?");

    @Test
    void turnLatencyAndBargeInUnderLoad() throws Exception {
        List<Integer> loads = Arrays.stream(System.getProperty("bench.calls", "1,5,10,20").split(",")).map(String::strip).map(Integer::parseInt).toList();
        int hangover = Integer.getInteger("bench.hangover", 600);
        TurnConfig config = TurnConfig.DEFAULT.withHangoverMs(hangover).withQuickHangoverMs(Integer.getInteger("bench.quick", 250));
        List<short[]> lines = customerLines();
        long t0 = System.nanoTime();
        try (MaryTextToSpeech tts = MaryTextToSpeech.start(new TtsConfig("cmu-slt-hsmm", Runtime.getRuntime().availableProcessors(), 0, -18, -1));
             SpeechRecognizer asr = AsrEngines.create(new AsrEngines.Request(System.getProperty("bench.engine", "pocketsphinx"), Optional.empty(),
                     PocketSphinxRecognizer.Settings.defaults(Math.max(2, loads.stream().mapToInt(Integer::intValue).max().orElse(2))),
                     Sphinx4Recognizer.Settings.defaults())).recognizer();
             SileroVad vad = SileroVad.load(Path.of(System.getProperty("ringback.root"), "models", "silero-vad", "silero_vad_v5.onnx"));
             SpeechWorkers workers = SpeechWorkers.sizedToCores()) {
            System.out.printf(Locale.ROOT, "BENCH start-up (TTS + ASR + VAD) %d ms; hangover %d ms, quick end of turn %d ms, barge-in onset %d ms%n",
                    (System.nanoTime() - t0) / 1_000_000, hangover, config.quickHangoverMs(), config.bargeInOnsetMs());
            // the other Sphinx4 decoders load in the background after start-up: measure once they are warm
            Thread.sleep(1000L * Integer.getInteger("bench.settle", 40));
            for (int calls : loads) {
                run(calls, lines, config, tts, asr, vad, workers);
            }
        }
    }

    private static void run(int n, List<short[]> lines, TurnConfig config, MaryTextToSpeech tts, SpeechRecognizer asr, SileroVad vad,
                            SpeechWorkers workers) throws InterruptedException {
        List<Call> calls = new ArrayList<>();
        Random random = new Random(n);
        for (int i = 0; i < n; i++) {
        }
        ExecutorService agents = Executors.newCachedThreadPool();
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        List<Double> latencies = new CopyOnWriteArrayList<>();
        List<Double> bargeIns = new CopyOnWriteArrayList<>();
        List<Double> asrLags = new CopyOnWriteArrayList<>();
        for (int i = 0; i < n; i++) {
            calls.add(new Call(i, script(lines, random), random.nextInt(100), latencies, bargeIns, asrLags));
        }
        long cpu0 = processCpuNanos();
        long wall0 = System.nanoTime();
        for (Call call : calls) {
            call.detector = new TurnDetector(vad, asr, workers, config, event -> call.onEvent(event, tts, agents));
        }
        AtomicInteger running = new AtomicInteger(n);
        clock.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            for (Call call : calls) {
                if (call.tick(now)) {
                    running.decrementAndGet();
                }
            }
        }, 0, 20, TimeUnit.MILLISECONDS);
        while (running.get() > 0) {
            Thread.sleep(100);
        }
        // let a backlog of decodes drain so slow turns count (and show in p95) rather than vanish
        long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (calls.stream().anyMatch(c -> c.turns.get() < c.starts.get()) && System.nanoTime() < drainUntil) {
            Thread.sleep(100);
        }
        Thread.sleep(1500); // last replies
        clock.shutdownNow();
        agents.shutdownNow();
        calls.forEach(c -> c.detector.close());
        double seconds = (System.nanoTime() - wall0) / 1e9;
        List<Double> detected = calls.stream().flatMap(c -> c.turnDetected.stream()).toList();
        List<Double> finals = calls.stream().flatMap(c -> c.endOfTurn.stream()).toList();
        List<Double> firstChunks = calls.stream().flatMap(c -> c.ttsFirstChunk.stream()).toList();
        System.out.printf(Locale.ROOT, "BENCH %2d calls, parts (p50/p95 ms): last voiced frame seen by VAD %.0f/%.0f after the words end; "
                        + "final text %.0f/%.0f after the words end; TTS first chunk %.0f/%.0f after synthesis starts%n",
                n, pct(detected, 50), pct(detected, 95), pct(finals, 50), pct(finals, 95), pct(firstChunks, 50), pct(firstChunks, 95));
        double cpuPerCall = (processCpuNanos() - cpu0) / 1e9 / seconds / n;
        System.out.printf(Locale.ROOT, "BENCH %2d calls: end of speech -> first agent audio p50 %4.0f ms p95 %4.0f ms (%d turns); "
                        + "barge-in -> flush p50 %4.0f ms p95 %4.0f ms (%d); ASR final after turn end p50 %3.0f ms p95 %4.0f ms; "
                        + "CPU %.0f %% of a core per call; %d speech starts, %d turns (%d empty); dropped frames %d; load %s%n",
                n, pct(latencies, 50), pct(latencies, 95), latencies.size(), pct(bargeIns, 50), pct(bargeIns, 95), bargeIns.size(),
                pct(asrLags, 50), pct(asrLags, 95), 100 * cpuPerCall, calls.stream().mapToInt(c -> c.starts.get()).sum(),
                calls.stream().mapToInt(c -> c.turns.get()).sum(), calls.stream().mapToInt(c -> c.emptyTurns.get()).sum(), calls.stream().mapToLong(c -> c.detector.droppedFrames()).sum(),
                loadAverage());
    }

    /**
     * One call: the customer's audio (utterances with pauses; the second one starts while the agent
     * is still answering the first) and the agent's paced outbound queue.
     */
    private static final class Call {
        final int id;
        final short[] line;
        final List<int[]> utterances; // [first loud sample, one past last loud sample]
        final int startDelayFrames;
        final ConcurrentLinkedQueue<short[]> outbound = new ConcurrentLinkedQueue<>();
        final AtomicLongArray sentNanos;
        final AtomicInteger generation = new AtomicInteger();
        final AtomicInteger starts = new AtomicInteger();
        final AtomicInteger turns = new AtomicInteger();
        final AtomicInteger emptyTurns = new AtomicInteger();
        final List<Double> latencies;
        final List<Double> bargeIns;
        final List<Double> asrLags;
        final List<Double> turnDetected = new CopyOnWriteArrayList<>();
        final List<Double> endOfTurn = new CopyOnWriteArrayList<>();
        final List<Double> ttsFirstChunk = new CopyOnWriteArrayList<>();
        TurnDetector detector;
        int frame = -1;
        boolean done;
        volatile long awaitingReplySince; // end of customer speech (nanos) a reply is owed for, 0 if none
        volatile int replies;

        Call(int id, Script script, int startDelayFrames, List<Double> latencies, List<Double> bargeIns, List<Double> asrLags) {
            this.id = id;
            this.line = script.audio;
            this.utterances = script.utterances;
            this.startDelayFrames = startDelayFrames;
            this.sentNanos = new AtomicLongArray(line.length / FRAME + 1);
            this.latencies = latencies;
            this.bargeIns = bargeIns;
            this.asrLags = asrLags;
        }

        /** One 20 ms tick: the customer's next frame in, the agent's next frame out. True when the script has ended. */
        boolean tick(long now) {
            frame++;
            int f = frame - startDelayFrames;
            if (f < 0 || done) {
                return false;
            }
            if ((f + 1) * FRAME > line.length) {
                done = true;
                return true;
            }
            sentNanos.set(f, now);
            detector.accept(Arrays.copyOfRange(line, f * FRAME, (f + 1) * FRAME), now);
            short[] out = outbound.poll();
            if (out != null) {
                detector.agentAudio(out, now);
                long owed = awaitingReplySince;
                if (owed != 0 && voiced(out)) {
                    awaitingReplySince = 0;
                    latencies.add((now - owed) / 1e6);
                }
                if (outbound.isEmpty()) {
                    detector.setAgentSpeaking(false);
                }
            }
            return false;
        }

        void onEvent(TurnEvent event, MaryTextToSpeech tts, ExecutorService agents) {
            long now = System.nanoTime();
            if (event instanceof SpeechStarted) {
                starts.incrementAndGet();
            } else {
                turns.incrementAndGet();
            }
            if (event instanceof SpeechStarted && !outbound.isEmpty()) {
                generation.incrementAndGet();
                outbound.clear();
                detector.setAgentSpeaking(false);
                awaitingReplySince = 0;
                onsetOfCurrentUtterance(now).ifPresent(onset -> bargeIns.add((now - onset) / 1e6));
            } else if (event instanceof UserTurn turn) {
                asrLags.add((turn.finalNanos() - turn.speechEndNanos()) / 1e6);
                if (turn.text().isBlank()) {
                    emptyTurns.incrementAndGet();
                    return;
                }
                long end = endOfSpeechBefore(turn.speechEndNanos());
                turnDetected.add((turn.speechEndNanos() - end) / 1e6);
                endOfTurn.add((turn.finalNanos() - end) / 1e6);
                int gen = generation.get();
                java.util.concurrent.atomic.AtomicLong ttsFirst = new java.util.concurrent.atomic.AtomicLong();
                String reply = AGENT_REPLIES.get((id + replies++) % AGENT_REPLIES.size());
                agents.execute(() -> {
                    awaitingReplySince = end;
                    detector.setAgentSpeaking(true);
                    try {
                        long ttsStart = System.nanoTime();
                        tts.stream(reply, pcm -> {
                            if (ttsFirst.get() == 0) {
                                ttsFirst.set(System.nanoTime());
                                ttsFirstChunk.add((System.nanoTime() - ttsStart) / 1e6);
                            }
                            if (gen != generation.get()) {
                                throw new IllegalStateException("barged in");
                            }
                            for (int at = 0; at + FRAME <= pcm.length; at += FRAME) {
                                outbound.add(Arrays.copyOfRange(pcm, at, at + FRAME));
                            }
                        });
                    } catch (RuntimeException e) {
                        // barge-in stopped the synthesis
                    }
                });
            }
        }

        /** When the last loud sample of the utterance the turn ended on was sent (from the script, not the VAD). */
        private long endOfSpeechBefore(long detectedEnd) {
            long best = 0;
            for (int[] u : utterances) {
                long at = sentAt(u[1]);
                if (at != 0 && at <= detectedEnd + 400_000_000L) {
                    best = at;
                }
            }
            return best == 0 ? detectedEnd : best;
        }

        private Optional<Long> onsetOfCurrentUtterance(long now) {
            Long best = null;
            for (int[] u : utterances) {
                long at = sentAt(u[0]);
                if (at != 0 && at <= now) {
                    best = at;
                }
            }
            return Optional.ofNullable(best);
        }

        private long sentAt(int sample) {
            int f = sample / FRAME;
            return f < sentNanos.length() && sentNanos.get(f) != 0 ? sentNanos.get(f) + (sample % FRAME) * 125_000L : 0;
        }
    }

    private record Script(short[] audio, List<int[]> utterances) {
    }

    /** Four random scenario lines: 1 s lead, the second starts 2 s after the first ends (over the agent's reply). */
    private static Script script(List<short[]> lines, Random random) {
        double[] gaps = {1.0, 2.0, 4.5, 4.5};
        List<short[]> parts = new ArrayList<>();
        List<int[]> utterances = new ArrayList<>();
        int at = 0;
        for (double gap : gaps) {
            short[] silence = SpokenAudio.noise(LINE, gap, -60, random.nextLong());
            short[] words = lines.get(random.nextInt(lines.size()));
            parts.add(silence);
            at += silence.length;
            utterances.add(new int[] {at + SpokenAudio.firstLoud(words, LINE), at + SpokenAudio.lastLoud(words, LINE)});
            parts.add(words);
            at += words.length;
        }
        parts.add(SpokenAudio.noise(LINE, 4, -60, random.nextLong()));
        return new Script(SpokenAudio.concat(parts.toArray(short[][]::new)), utterances);
    }

    private static List<short[]> customerLines() throws IOException {
        try (InputStream in = TurnLatencyBenchmark.class.getResourceAsStream("/dev/ringback/speech/asr/scenario-customer-lines.tsv")) {
            List<short[]> lines = new ArrayList<>();
            for (String row : new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList()) {
                lines.add(SpokenAudio.say(row.split("\t")[1], LINE));
            }
            return lines;
        }
    }

    private static boolean voiced(short[] pcm) {
        double sum = 0;
        for (short s : pcm) {
            sum += (double) s * s;
        }
        return 20 * Math.log10(Math.sqrt(sum / pcm.length) / 32768) > -45;
    }

    private static double pct(List<Double> values, int p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static String loadAverage() {
        return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}
