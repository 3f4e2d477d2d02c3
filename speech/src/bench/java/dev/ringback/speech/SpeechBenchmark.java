package dev.ringback.speech;

import dev.ringback.speech.audio.Resampler;
import dev.ringback.speech.testaudio.SpokenAudio;
import dev.ringback.speech.tts.MaryTextToSpeech;
import dev.ringback.speech.vad.SileroVad;
import dev.ringback.speech.vad.VadStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Speed figures for the speech path (not a test: asserts nothing, runs only on request):
 * {@code mvn -B -o -pl speech test -Dtest=SpeechBenchmark -Dringback.bench=true}
 */
@EnabledIfSystemProperty(named = "ringback.bench", matches = "true")
class SpeechBenchmark {

    @Test
    void resampler() {
        short[] noise48k = new short[48_000 * 60];
        Random random = new Random(1);
        for (int i = 0; i < noise48k.length; i++) {
            noise48k[i] = (short) (random.nextGaussian() * 3000);
        }
        short[] line = Resampler.convert(noise48k, 48_000, 8_000);
        for (int round = 0; round < 3; round++) {
            report("48k->8k", 60, time(() -> stream(new Resampler(48_000, 8_000), noise48k, 960)));
            report("8k->16k", 60, time(() -> stream(new Resampler(8_000, 16_000), line, 160)));
            report("16k->8k", 60, time(() -> stream(new Resampler(16_000, 8_000), new short[16_000 * 60], 320)));
        }
    }

    @Test
    void sileroVad() {
        short[] speech = SpokenAudio.say("Hi, could you send someone to fix the boiler on Tuesday morning?", 16_000);
        try (SileroVad vad = SileroVad.load(Path.of(System.getProperty("ringback.root"), "models", "silero-vad", "silero_vad_v5.onnx"))) {
            VadStream stream = vad.newStream();
            float[] chunk = new float[SileroVad.CHUNK_SAMPLES];
            for (int round = 0; round < 4; round++) {
                int chunks = 0;
                long t0 = System.nanoTime();
                for (int at = 0; at + chunk.length <= speech.length; at += chunk.length, chunks++) {
                    for (int i = 0; i < chunk.length; i++) {
                        chunk[i] = speech[at + i] / 32768f;
                    }
                    stream.accept(chunk);
                }
                long micros = (System.nanoTime() - t0) / 1000 / chunks;
                System.out.printf("BENCH silero-vad: %d µs per 32 ms chunk (%.1f %% of one core)%n", micros, micros / 320.0);
            }
        }
    }

    @Test
    void maryTts() {
        long t0 = System.nanoTime();
        try (MaryTextToSpeech tts = MaryTextToSpeech.start()) {
            System.out.printf("BENCH mary start+warm-up: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            List<String> sentences = List.of(
                    "Hi, this is the assistant for Acme Plumbing, calling back about your text.",
                    "Okay.",
                    "Could I have the address for the visit, please?",
                    "I can take a message and the manager will call you back this afternoon, is that okay?",
                    "Your plumber will arrive on Tuesday between eight and ten.");
            for (String sentence : sentences) {
                long start = System.nanoTime();
                long[] first = {0};
                int[] samples = {0};
                tts.stream(sentence, pcm -> {
                    if (first[0] == 0) {
                        first[0] = System.nanoTime();
                    }
                    samples[0] += pcm.length;
                });
                long end = System.nanoTime();
                System.out.printf("BENCH mary: first chunk %d ms, whole %d ms, audio %.2f s (%d words)%n",
                        (first[0] - start) / 1_000_000, (end - start) / 1_000_000, samples[0] / 8000.0,
                        sentence.split("\\s+").length);
            }
        }
    }

    private static void stream(Resampler r, short[] in, int chunk) {
        short[] piece = new short[chunk];
        for (int at = 0; at + chunk <= in.length; at += chunk) {
            System.arraycopy(in, at, piece, 0, chunk);
            r.process(piece);
        }
    }

    private static long time(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return System.nanoTime() - t0;
    }

    private static void report(String what, double audioSeconds, long nanos) {
        System.out.printf("BENCH resampler %s: %.1f ms for %.0f s of audio (%.0fx real time)%n",
                what, nanos / 1e6, audioSeconds, audioSeconds * 1e9 / nanos);
    }
}
