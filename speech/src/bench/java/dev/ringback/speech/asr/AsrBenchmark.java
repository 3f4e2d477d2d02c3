package dev.ringback.speech.asr;

import dev.ringback.speech.asr.TelephoneSpeech.Voice;
import dev.ringback.speech.asr.pocketsphinx.PocketSphinxRecognizer;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Word error rate and CPU cost of the recognisers, side by side in one run, on sentences spoken by synthetic
 * voices through the telephone path (8 kHz µ-law and back up to 16 kHz).
 *
 * <p>Sets (test resources): {@code dev} (held-in: tune settings on it), {@code held-out}, {@code held-out-new} and
 * {@code held-out-fresh} (in-domain, not in the corpus), {@code out-of-corpus} (words and phrasings the corpus never saw) and
 * {@code scenario} (the scenario files' customer lines). Each line is recognised listening for the answer the
 * agent had just asked for (its expectation); {@code --expectations off} listens with the default search.
 * <pre>
 * mvn -B -o -pl speech -Pbench test-compile exec:exec@asr -Dasr.args="ARGS"
 *   ARGS: [--engines pocketsphinx,sphinx4] [--sets dev,held-out,held-out-new,held-out-fresh,out-of-corpus,scenario]
 *         [--voices rms,slt,awb,kal,en-us,espeak:VOICE] [--threads 2] [--expectations on|off] [--verbose]
 * </pre>
 * PocketSphinx settings to try go in {@code -Dasr.jvm="-Xmx1g -Dps.lw=10 -Dps.ew=5 -Dps.general=true -Dps.options=..."}.
 * CPU per audio second is the CPU time of the threads that decode (the callers for PocketSphinx, the
 * recogniser's own for Sphinx4) over the audio length: on a shared machine wall time says more about the
 * neighbours than about the decoder.
 */
public final class AsrBenchmark {

    private record Line(String set, Expectation.Kind kind, String text) {}

    private record Result(String engine, String set, Voice voice, Expectation.Kind kind, int errors, int words, String ref, String heard) {}

    private AsrBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = options(args);
        List<String> engines = List.of(opts.getOrDefault("engines", "pocketsphinx,sphinx4").split(","));
        List<String> sets = List.of(opts.getOrDefault("sets", "dev,held-out,held-out-new,held-out-fresh,out-of-corpus,scenario").split(","));
        List<Voice> voices = Arrays.stream(opts.getOrDefault("voices", "rms,slt,awb,kal,en-us").split(","))
                .map(v -> v.equals("en-us") || v.startsWith("espeak") ? new Voice("espeak-ng", v.replace("espeak:", "")) : new Voice("flite", v))
                .toList();
        int threads = Integer.parseInt(opts.getOrDefault("threads", "2"));
        boolean expectations = !"off".equals(opts.get("expectations"));
        boolean verbose = opts.containsKey("verbose");

        TelephoneSpeech speech = new TelephoneSpeech(Path.of(System.getProperty("java.io.tmpdir"), "asr-benchmark-audio"));
        List<Line> lines = new ArrayList<>();
        for (String set : sets) lines.addAll(load(set));
        // synthesise first, so the decoding timings hold decoding only
        for (Voice v : voices) for (Line l : lines) speech.say(v, l.text());
        System.out.printf(Locale.ROOT, "ASR benchmark: %d lines x %d voices, %d threads, expectations %s; %d cores, load %.2f%n",
                lines.size(), voices.size(), threads, expectations ? "on" : "off", Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

        for (String engine : engines) {
            long t0 = System.nanoTime();
            try (SpeechRecognizer recognizer = start(engine, threads)) {
                long startMs = (System.nanoTime() - t0) / 1_000_000;
                List<Result> results = new ArrayList<>();
                double[] audioSeconds = {0};
                long cpu = run(recognizer, speech, voices, lines, threads, expectations, results, audioSeconds, engine);
                report(engine, startMs, results, sets, voices, cpu / 1e9 / audioSeconds[0], verbose);
            }
        }
    }

    private static SpeechRecognizer start(String engine, int threads) {
        return switch (engine) {
            case "pocketsphinx" -> {
                PocketSphinxRecognizer.Settings s = PocketSphinxRecognizer.Settings.defaults(threads);
                if (System.getProperty("ps.lw") != null) s = s.withLanguageWeight(Double.parseDouble(System.getProperty("ps.lw")));
                if (System.getProperty("ps.ew") != null || System.getProperty("ps.general") != null) {
                    s = s.withSearches(Double.parseDouble(System.getProperty("ps.ew", String.valueOf(s.searches().expectationWeight()))),
                            Boolean.parseBoolean(System.getProperty("ps.general", String.valueOf(s.searches().generalWords()))));
                }
                String extra = System.getProperty("ps.options", "").strip();
                if (!extra.isEmpty()) s = s.withOptions(List.of(extra.split("\\s+")));
                yield PocketSphinxRecognizer.create(s);
            }
            case "sphinx4" -> Sphinx4Recognizer.create(Sphinx4Recognizer.Settings.defaults().withDecoders(threads));
            default -> throw new IllegalArgumentException("engines: pocketsphinx, sphinx4");
        };
    }

    /** Decodes every line in every voice on {@code threads} threads; returns the decoding CPU time. */
    private static long run(SpeechRecognizer recognizer, TelephoneSpeech speech, List<Voice> voices, List<Line> lines, int threads,
                            boolean expectations, List<Result> results, double[] audioSeconds, String engine) throws Exception {
        record Job(Voice voice, Line line) {}
        ConcurrentLinkedQueue<Job> jobs = new ConcurrentLinkedQueue<>();
        for (Voice v : voices) for (Line l : lines) jobs.add(new Job(v, l));
        AtomicLong callerCpu = new AtomicLong();
        AtomicLong audioSamples = new AtomicLong();
        long ownBefore = recognizerThreadsCpu();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                ThreadMXBean mx = ManagementFactory.getThreadMXBean();
                Job job;
                while ((job = jobs.poll()) != null) {
                    try {
                        short[] audio = speech.say(job.voice(), job.line().text());
                        long c0 = mx.getCurrentThreadCpuTime();
                        Expectation e = expectations ? Expectation.of(job.line().kind()) : Expectation.OPEN;
                        Recognition r = recognizer.start(e);
                        TelephoneSpeech.feed(r, audio);
                        String heard = r.finish().text();
                        callerCpu.addAndGet(mx.getCurrentThreadCpuTime() - c0);
                        audioSamples.addAndGet(audio.length);
                        List<String> ref = Words.of(job.line().text());
                        int errors = editDistance(ref, Words.of(heard));
                        synchronized (results) {
                            results.add(new Result(engine, job.line().set(), job.voice(), job.line().kind(), errors, ref.size(),
                                    Words.normalize(job.line().text()), heard));
                        }
                    } catch (Exception ex) {
                        throw new IllegalStateException(ex);
                    }
                }
            }, "bench-" + i);
            t.start();
            workers.add(t);
        }
        for (Thread t : workers) t.join();
        audioSeconds[0] = audioSamples.get() / 16_000.0;
        return callerCpu.get() + (recognizerThreadsCpu() - ownBefore);
    }

    private static void report(String engine, long startMs, List<Result> results, List<String> sets, List<Voice> voices, double cpuPerAudioSecond,
                               boolean verbose) {
        System.out.printf(Locale.ROOT, "%n== %s (start-up %d ms): CPU per audio second %.3f%n", engine, startMs, cpuPerAudioSecond);
        StringBuilder header = new StringBuilder(String.format("%-15s", "WER %"));
        for (Voice v : voices) header.append(String.format("%9s", v.name()));
        header.append(String.format("%9s", "all"));
        System.out.println(header);
        for (String set : sets) {
            StringBuilder row = new StringBuilder(String.format("%-15s", set));
            for (Voice v : voices) row.append(cell(results.stream().filter(r -> r.set().equals(set) && r.voice().equals(v)).toList()));
            row.append(cell(results.stream().filter(r -> r.set().equals(set)).toList()));
            System.out.println(row);
        }
        StringBuilder all = new StringBuilder(String.format("%-15s", "all sets"));
        for (Voice v : voices) all.append(cell(results.stream().filter(r -> r.voice().equals(v)).toList()));
        all.append(cell(results));
        System.out.println(all);
        System.out.println("by expectation (all sets, all voices):");
        for (Expectation.Kind k : Expectation.Kind.values()) {
            List<Result> of = results.stream().filter(r -> r.kind() == k).toList();
            if (!of.isEmpty()) System.out.printf(Locale.ROOT, "  %-14s %s (%d lines)%n", k, cell(of).strip(), of.size());
        }
        if (verbose) {
            results.stream().filter(r -> r.errors() > 0)
                    .forEach(r -> System.out.printf("  %-13s %-4s %-14s \"%s\" -> \"%s\"%n", r.set(), r.voice().name(), r.kind(), r.ref(), r.heard()));
        }
    }

    private static String cell(List<Result> rs) {
        int e = rs.stream().mapToInt(Result::errors).sum(), w = rs.stream().mapToInt(Result::words).sum();
        return w == 0 ? String.format("%9s", "-") : String.format(Locale.ROOT, "%9.1f", 100.0 * e / w);
    }

    private static List<Line> load(String set) throws Exception {
        List<Line> lines = new ArrayList<>();
        if (set.equals("scenario")) {
            for (TelephoneSpeech.Line l : TelephoneSpeech.scenarioLines()) lines.add(new Line(set, l.expectation(), l.text()));
            return lines;
        }
        for (String row : TelephoneSpeech.resourceLines("sets/" + set + ".tsv")) {
            String[] cols = row.split("\t");
            lines.add(new Line(set, Expectation.Kind.valueOf(cols[0]), cols[1]));
        }
        return lines;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) throw new IllegalArgumentException("unexpected argument " + args[i]);
            String key = args[i].substring(2);
            if (i + 1 < args.length && !args[i + 1].startsWith("--")) o.put(key, args[++i]);
            else o.put(key, "");
        }
        return o;
    }

    /** CPU time of the recogniser's own threads ("asr-..."). */
    private static long recognizerThreadsCpu() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("asr-")) total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
        }
        return total;
    }

    public static int editDistance(List<String> ref, List<String> hyp) {
        int[] prev = new int[hyp.size() + 1];
        int[] cur = new int[hyp.size() + 1];
        for (int j = 0; j <= hyp.size(); j++) prev[j] = j;
        for (int i = 1; i <= ref.size(); i++) {
            cur[0] = i;
            for (int j = 1; j <= hyp.size(); j++) {
                int sub = prev[j - 1] + (ref.get(i - 1).equals(hyp.get(j - 1)) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[hyp.size()];
    }
}
