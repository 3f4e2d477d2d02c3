package dev.ringback.speech.turn;

import dev.ringback.speech.asr.Expectation;
import dev.ringback.speech.asr.Recognition;
import dev.ringback.speech.asr.SpeechRecognizer;
import dev.ringback.speech.asr.Transcript;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * Test stand-in for the real ASR: records the audio and the expectation of
 * each utterance and answers "utterance N". Can be told to hang in start() to stall the worker.
 */
final class CapturingRecognizerForTest implements SpeechRecognizer {

    record Utterance(Expectation expectation, short[] audio) {
    }

    private final List<Utterance> finished = new CopyOnWriteArrayList<>();
    private final CountDownLatch released;
    private final String partial;

    CapturingRecognizerForTest() {
        this(new CountDownLatch(0));
    }

    /** start() waits for {@code released} (a stuck engine). */
    CapturingRecognizerForTest(CountDownLatch released) {
        this(released, "");
    }

    /** Reports {@code partial} as its hypothesis once it has heard any audio. */
    CapturingRecognizerForTest(String partial) {
        this(new CountDownLatch(0), partial);
    }

    private CapturingRecognizerForTest(CountDownLatch released, String partial) {
        this.released = released;
        this.partial = partial;
    }

    List<Utterance> finished() {
        return finished;
    }

    @Override
    public String name() {
        return "capturing-test";
    }

    @Override
    public Recognition start(Expectation expectation) {
        try {
            released.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ByteArrayOutputStream audio = new ByteArrayOutputStream();
        return new Recognition() {
            @Override
            public void accept(short[] pcm16k, int offset, int length) {
                for (int i = offset; i < offset + length; i++) {
                    audio.write(pcm16k[i] & 0xff);
                    audio.write(pcm16k[i] >> 8);
                }
            }

            @Override
            public String partial() {
                return audio.size() > 0 ? partial : "";
            }

            @Override
            public Transcript finish() {
                byte[] b = audio.toByteArray();
                short[] pcm = new short[b.length / 2];
                for (int i = 0; i < pcm.length; i++) {
                    pcm[i] = (short) ((b[2 * i] & 0xff) | (b[2 * i + 1] << 8));
                }
                finished.add(new Utterance(expectation, pcm));
                return Transcript.of("utterance " + finished.size());
            }
        };
    }

    @Override
    public void close() {
    }
}
