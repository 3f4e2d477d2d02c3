package dev.ringback.speech.asr;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.ringback.speech.asr.TelephoneSpeech.Voice;

/**
 * Word error rate and speed of a recogniser on the scenario customer lines (and held-out
 * in-domain sentences) spoken by flite rms, flite slt and espeak-ng through the telephone path.
 *
 * <p>Run from the reactor root (after {@code mvn -B -q -o -pl speech test-compile}):
 * <pre>
 * mvn -B -q -o -pl speech dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -Xmx512m -cp speech/target/test-classes:speech/target/classes:$(cat speech/target/cp.txt) \
 *      dev.ringback.speech.asr.AsrBenchmark [sphinx4|sphinx4-general|vosk] [vosk model dir]
 * </pre>
 * {@code sphinx4} is the default configuration (one decoder, domain corpus; {@code -Dasr.search=...} overrides the
 * search, {@code -Dasr.benchmark.quick=true} runs only the scenario lines in flite's rms voice,
 * {@code -Dasr.benchmark.voices=slt,en-us} picks voices, {@code -Dasr.benchmark.nolatency=true} skips the real-time pass), {@code sphinx4-general}
 * adds the 2,000 commonest English words; {@code vosk} needs an installed model. Speed is measured feeding audio as fast as it is
 * accepted (real-time factor = wall time from first chunk to final text / audio length, and CPU
 * time of the decoding threads / audio length, which is what matters on a shared machine); the
 * latency after finish() is measured separately feeding the flite rms lines at real-time pace.
 */
public final class AsrBenchmark {

    private AsrBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String engine = args.length > 0 ? args[0] : "sphinx4";
        long started = System.nanoTime();
        SpeechRecognizer recognizer = switch (engine) {
            case "sphinx4" -> Sphinx4Recognizer.create(sphinx4Settings());
            case "sphinx4-general" -> Sphinx4Recognizer.create(sphinx4Settings().withGeneralWords(true));
            case "vosk" -> AsrEngines.create("vosk", Optional.of(Path.of(args.length > 1 ? args[1] : "models/vosk-model-small-en-us-0.15")));
            default -> throw new IllegalArgumentException("engine: sphinx4, sphinx4-general or vosk");
        };
        long startupMs = (System.nanoTime() - started) / 1_000_000;
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long heapMb = (rt.totalMemory() - rt.freeMemory()) >> 20;
        System.out.printf(Locale.ROOT, "engine %s: start-up %d ms, heap after start-up %d MB%n", engine, startupMs, heapMb);

        TelephoneSpeech speech = new TelephoneSpeech(Path.of(System.getProperty("java.io.tmpdir"), "asr-benchmark-audio"));
        Map<String, List<String>> sets = new LinkedHashMap<>();
        sets.put("scenario lines", TelephoneSpeech.scenarioLines().stream().map(TelephoneSpeech.Line::text).toList());
        sets.put("held-out lines", TelephoneSpeech.resourceLines("held-out-lines.txt"));
        try (recognizer) {
            boolean quick = Boolean.getBoolean("asr.benchmark.quick");
            List<Voice> voices = List.of(Voice.FLITE_RMS, Voice.FLITE_SLT, Voice.ESPEAK_EN_US).stream()
                    .filter(v -> quick ? v.equals(Voice.FLITE_RMS) : System.getProperty("asr.benchmark.voices", v.name()).contains(v.name()))
                    .toList();
            for (Voice voice : voices) {
                for (Map.Entry<String, List<String>> set : sets.entrySet()) {
                    // held-out lines only for the main voice: they test the language model, not the voice
                    if (set.getKey().equals("scenario lines") || voice.equals(Voice.FLITE_RMS) && !quick) {
                        run(recognizer, speech, voice, set.getKey(), set.getValue());
                    }
                }
            }
            if (!quick && !Boolean.getBoolean("asr.benchmark.nolatency")) {
                latency(recognizer, speech, sets.get("scenario lines"));
            }
        }
    }

    /**
     * One decoder; the search from {@code -Dasr.search=absoluteBeam,relativeBeam,wordBeam,languageWeight,wordInsertion,lookahead}
     * (e.g. {@code 5000,1e-60,200,8,0.1,true}, the configuration before tuning) when given, else the defaults.
     */
    private static Sphinx4Recognizer.Settings sphinx4Settings() {
        Sphinx4Recognizer.Settings settings = Sphinx4Recognizer.Settings.defaults().withDecoders(1);
        String search = System.getProperty("asr.search");
        if (search == null) {
            return settings;
        }
        String[] v = search.split(",");
        return settings.withSearch(new Sphinx4Recognizer.Search(Integer.parseInt(v[0]), Double.parseDouble(v[1]), Integer.parseInt(v[2]),
                Double.parseDouble(v[3]), Double.parseDouble(v[4]), Boolean.parseBoolean(v[5])));
    }

    private static void run(SpeechRecognizer recognizer, TelephoneSpeech speech, Voice voice, String setName, List<String> lines)
            throws Exception {
        int errors = 0;
        int words = 0;
        double audioSeconds = 0;
        long decodeNanos = 0;
        long cpuBefore = recognizerCpuNanos();
        List<String> wrong = new ArrayList<>();
        for (String line : lines) {
            short[] audio = speech.say(voice, line);
            long t0 = System.nanoTime();
            String heard = TelephoneSpeech.recognise(recognizer, audio, List.of());
            decodeNanos += System.nanoTime() - t0;
            audioSeconds += audio.length / 16_000.0;
            List<String> ref = Words.of(line);
            int e = editDistance(ref, Words.of(heard));
            errors += e;
            words += ref.size();
            if (e > 0) {
                wrong.add("    \"" + Words.normalize(line) + "\" -> \"" + heard + "\"");
            }
        }
        double cpuRtf = (recognizerCpuNanos() - cpuBefore) / 1e9 / audioSeconds;
        System.out.printf(Locale.ROOT, "%-16s %-15s WER %5.1f %% (%d/%d words), RTF wall %.2f, RTF cpu %.2f (%.1f s audio)%n",
                voice.label(), setName, 100.0 * errors / words, errors, words, decodeNanos / 1e9 / audioSeconds, cpuRtf, audioSeconds);
        if (Boolean.getBoolean("asr.benchmark.verbose")) {
            wrong.forEach(System.out::println);
        }
    }

    /** Feeds the flite rms lines at real-time pace and measures how long finish() takes. */
    private static void latency(SpeechRecognizer recognizer, TelephoneSpeech speech, List<String> lines) throws Exception {
        List<Long> micros = new ArrayList<>();
        for (String line : lines) {
            short[] audio = speech.say(Voice.FLITE_RMS, line);
            Recognition recognition = recognizer.start(List.of());
            long next = System.nanoTime();
            for (int at = 0; at < audio.length; at += 320) {
                recognition.accept(audio, at, Math.min(320, audio.length - at));
                next += 20_000_000L;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
            long t0 = System.nanoTime();
            recognition.finish();
            micros.add((System.nanoTime() - t0) / 1000);
        }
        micros.sort(null);
        double mean = micros.stream().mapToLong(Long::longValue).average().orElse(0) / 1000;
        System.out.printf(Locale.ROOT, "finish() latency, flite:rms at real-time pace: mean %.0f ms, median %d ms, max %d ms (%d lines)%n",
                mean, micros.get(micros.size() / 2) / 1000, micros.get(micros.size() - 1) / 1000, micros.size());
    }

    /**
     * CPU time used so far by the calling thread and the recogniser's own threads ("asr-..."):
     * on a shared machine wall-clock speed says more about the neighbours than about the decoder.
     */
    private static long recognizerCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = threads.getCurrentThreadCpuTime();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("asr-")) {
                total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }

    static int editDistance(List<String> ref, List<String> hyp) {
        int[] prev = new int[hyp.size() + 1];
        int[] cur = new int[hyp.size() + 1];
        for (int j = 0; j <= hyp.size(); j++) {
            prev[j] = j;
        }
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
