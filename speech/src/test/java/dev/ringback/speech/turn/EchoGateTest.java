package dev.ringback.speech.turn;

import dev.ringback.speech.testaudio.SpokenAudio;
import dev.ringback.speech.vad.SileroVad;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A customer's phone that plays the agent's voice back (attenuated, delayed, through G.711): the
 * agent (flite's slt voice) must not interrupt itself, while the customer (flite's rms voice)
 * talking over the echo still does.
 */
class EchoGateTest {

    private static final Logger log = LoggerFactory.getLogger(EchoGateTest.class);
    private static final int LINE = 8000;
    private static final long FRAME_NANOS = 20_000_000L;
    private static final TurnConfig ROOMY = TurnConfig.DEFAULT.withQueueFrames(2000);

    private static SileroVad vad;
    private static SpeechWorkers workers;
    private static short[] agent;

    @BeforeAll
    static void setUp() {
        vad = SileroVad.load(Path.of(System.getProperty("ringback.root"), "models", "silero-vad", "silero_vad_v5.onnx"));
        workers = new SpeechWorkers(2, 64);
        agent = SpokenAudio.concat(
                FliteVoice.slt("Hi, this is the assistant for Acme Plumbing, calling back about your text message."),
                SpokenAudio.silence(LINE, 0.3),
                FliteVoice.slt("I can book a visit on Tuesday morning between eight and ten, or Thursday afternoon."),
                SpokenAudio.silence(LINE, 0.3),
                FliteVoice.slt("Which of those would suit you better?"));
    }

    @AfterAll
    static void tearDown() {
        workers.close();
        vad.close();
    }

    @ParameterizedTest(name = "echo at {0} dB, {1} ms late")
    @CsvSource({"-12, 200", "-12, 20", "-20, 120", "-16, 60"})
    void theAgentsOwnEchoIsNotABargeIn(double echoDb, int delayMs) throws InterruptedException {
        short[] line = echoOf(agent, echoDb, delayMs);
        List<TurnEvent> withGate = run(ROOMY, line, 2);
        assertTrue(withGate.isEmpty(), "echo taken for the customer: " + withGate);

        List<TurnEvent> withoutGate = run(ROOMY.withEchoSearchMs(0), line, 2);
        assertTrue(withoutGate.stream().anyMatch(e -> e instanceof SpeechStarted),
                "without the gate this echo does interrupt the agent (else the test proves nothing)");
    }

    @ParameterizedTest(name = "echo at {0} dB, {1} ms late")
    @CsvSource({"-12, 200", "-20, 20"})
    void theCustomerTalkingOverTheEchoStillBargesIn(double echoDb, int delayMs) throws InterruptedException {
        short[] customer = SpokenAudio.say("Sorry, wait, can we do Friday instead?", LINE);
        int at = LINE * 3;
        short[] line = echoOf(agent, echoDb, delayMs);
        for (int i = 0; i < customer.length && at + i < line.length; i++) {
            line[at + i] = (short) Math.max(-32768, Math.min(32767, line[at + i] + customer[i] / 2)); // -6 dB: a quiet caller
        }
        int onset = at + SpokenAudio.firstLoud(customer, LINE);
        long base = System.nanoTime();
        List<TurnEvent> events = run(ROOMY, line, base, 5);
        SpeechStarted started = assertInstanceOf(SpeechStarted.class, events.isEmpty() ? null : events.get(0), "events " + events);
        long onsetNanos = base + onset * (1_000_000_000L / LINE);
        long offMs = (started.atNanos() - onsetNanos) / 1_000_000;
        log.info("barge-in over {} dB echo: speech start placed {} ms from the customer's first word", echoDb, offMs);
        assertTrue(Math.abs(offMs) <= 200, "speech start " + offMs + " ms from the customer's onset");
    }

    private static List<TurnEvent> run(TurnConfig config, short[] line, int waitSeconds) throws InterruptedException {
        return run(config, line, System.nanoTime(), waitSeconds);
    }

    /** Plays the agent's audio out and the line in, frame by frame, with the agent speaking throughout. */
    private static List<TurnEvent> run(TurnConfig config, short[] line, long base, int waitSeconds) throws InterruptedException {
        var events = new LinkedBlockingQueue<TurnEvent>();
        try (var detector = new TurnDetector(vad, new CapturingRecognizerForTest(), workers, config, events::add)) {
            detector.setAgentSpeaking(true);
            for (int i = 0; (i + 1) * 160 <= line.length; i++) {
                long t = base + i * FRAME_NANOS;
                if ((i + 1) * 160 <= agent.length) {
                    detector.agentAudio(slice(agent, i * 160), t);
                }
                detector.accept(slice(line, i * 160), t + FRAME_NANOS / 2);
            }
            List<TurnEvent> got = new ArrayList<>();
            TurnEvent e = events.poll(waitSeconds, TimeUnit.SECONDS);
            while (e != null) {
                got.add(e);
                e = events.poll(300, TimeUnit.MILLISECONDS);
            }
            log.info("gate {} ms: {} frames suppressed, {}, events {}", config.echoSearchMs(), detector.echoSuppressedFrames(),
                    detector.echoState(), got);
            return got;
        }
    }

    /** What an echoing phone sends back: the agent delayed and attenuated, through G.711 µ-law, over a faint noise floor. */
    private static short[] echoOf(short[] sent, double db, int delayMs) {
        int delay = LINE / 1000 * delayMs;
        double gain = Math.pow(10, db / 20);
        short[] noise = SpokenAudio.noise(LINE, (sent.length + delay) / (double) LINE + 1, -65, 3);
        short[] line = new short[sent.length + delay + LINE];
        for (int i = 0; i < line.length; i++) {
            double echo = i >= delay && i - delay < sent.length ? sent[i - delay] * gain : 0;
            line[i] = MuLaw.roundTrip((int) Math.round(echo + noise[i]));
        }
        return line;
    }

    private static short[] slice(short[] pcm, int from) {
        short[] frame = new short[160];
        System.arraycopy(pcm, from, frame, 0, 160);
        return frame;
    }

    /** flite's slt voice (a different speaker from the customer's rms) at 8 kHz. */
    private static final class FliteVoice {
        static short[] slt(String text) {
            return SpokenAudio.say(text, LINE, "slt");
        }
    }

    /** G.711 µ-law companding (encode then decode), as the telephone line does to the echo. */
    private static final class MuLaw {
        private static final int BIAS = 0x84;
        private static final int CLIP = 32635;

        static short roundTrip(int sample) {
            int sign = sample < 0 ? 0x80 : 0;
            int magnitude = Math.min(Math.abs(sample), CLIP) + BIAS;
            int exponent = 7;
            for (int mask = 0x4000; (magnitude & mask) == 0 && exponent > 0; mask >>= 1) {
                exponent--;
            }
            int mantissa = (magnitude >> (exponent + 3)) & 0x0f;
            int decoded = (((mantissa << 3) + BIAS) << exponent) - BIAS;
            return (short) (sign != 0 ? -decoded : decoded);
        }
    }
}
