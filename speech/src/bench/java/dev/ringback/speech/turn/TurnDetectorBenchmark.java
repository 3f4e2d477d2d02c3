package dev.ringback.speech.turn;

import dev.ringback.speech.testaudio.SpokenAudio;
import dev.ringback.speech.vad.SileroVad;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * CPU cost of turn detection per call (8k to 16k, Silero VAD; the recogniser only records). Not a
 * test, runs on request: {@code mvn -B -o -pl speech test -Dtest=TurnDetectorBenchmark -Dringback.bench=true}
 */
@EnabledIfSystemProperty(named = "ringback.bench", matches = "true")
class TurnDetectorBenchmark {

    @Test
    void oneMinuteOfCallAudio() throws InterruptedException {
        short[] speech = SpokenAudio.say("Hi, could you send someone to fix the boiler on Tuesday morning?", 8_000);
        short[] call = new short[8_000 * 60];
        for (int at = 0; at + speech.length < call.length; at += speech.length + 8_000 * 2) {
            System.arraycopy(speech, 0, call, at, speech.length);
        }
        try (SileroVad vad = SileroVad.load(Path.of(System.getProperty("ringback.root"), "models", "silero-vad", "silero_vad_v5.onnx"));
             SpeechWorkers workers = new SpeechWorkers(1, 16)) {
            for (int round = 0; round < 3; round++) {
                int[] turns = {0};
                var detector = new TurnDetector(vad, new CapturingRecognizerForTest(), workers,
                        TurnConfig.DEFAULT.withQueueFrames(4000), e -> turns[0] += e instanceof UserTurn ? 1 : 0);
                long t0 = System.nanoTime();
                for (int at = 0; at + 160 <= call.length; at += 160) {
                    short[] frame = new short[160];
                    System.arraycopy(call, at, frame, 0, 160);
                    detector.accept(frame, t0 + at * 125_000L);
                }
                var done = new CountDownLatch(1);
                workers.tryExecute(done::countDown); // one worker: runs after the call's queued work
                done.await();
                long ms = (System.nanoTime() - t0) / 1_000_000;
                System.out.printf("BENCH turn detector: %d ms for 60 s of call audio (%.1f %% of one core per call), %d turns%n",
                        ms, ms / 600.0, turns[0]);
                detector.close();
            }
        }
    }
}
