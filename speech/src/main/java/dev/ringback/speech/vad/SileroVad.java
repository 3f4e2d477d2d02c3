package dev.ringback.speech.vad;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Silero VAD v5 model (16 kHz) in one shared onnxruntime session. The session is safe to run
 * from several threads at once; each call keeps its own recurrent state in a {@link VadStream}.
 */
public final class SileroVad implements AutoCloseable {

    public static final int SAMPLE_RATE = 16_000;
    /** New samples per model step (32 ms). */
    public static final int CHUNK_SAMPLES = 512;
    /** Samples of the previous chunk the model sees again in front of each new chunk. */
    static final int CONTEXT_SAMPLES = 64;

    private static final Logger log = LoggerFactory.getLogger(SileroVad.class);

    private final OrtEnvironment env;
    private final OrtSession session;
    private final OnnxTensor sampleRate;

    private SileroVad(OrtEnvironment env, OrtSession session, OnnxTensor sampleRate) {
        this.env = env;
        this.session = session;
        this.sampleRate = sampleRate;
    }

    /** Loads {@code silero_vad_v5.onnx}; one intra-op thread, since calls run in parallel on the speech workers. */
    public static SileroVad load(Path model) {
        if (!Files.isReadable(model)) {
            throw new VadException("Silero VAD model not readable: " + model, null);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            OrtSession session = env.createSession(model.toString(), options);
            OnnxTensor sr = OnnxTensor.createTensor(env, java.nio.LongBuffer.wrap(new long[] {SAMPLE_RATE}), new long[0]);
            log.info("Silero VAD loaded from {} (inputs {})", model.getFileName(), session.getInputNames());
            return new SileroVad(env, session, sr);
        } catch (OrtException e) {
            throw new VadException("cannot load Silero VAD model " + model, e);
        }
    }

    /** Fresh recurrent state for one audio stream (one call). */
    public VadStream newStream() {
        return new VadStream(this);
    }

    /** Runs one step; {@code input} holds context + chunk, {@code state} is replaced by the new state. */
    float run(float[] input, float[] state) {
        try (OnnxTensor in = OnnxTensor.createTensor(env, java.nio.FloatBuffer.wrap(input), new long[] {1, input.length});
             OnnxTensor st = OnnxTensor.createTensor(env, java.nio.FloatBuffer.wrap(state), new long[] {2, 1, 128});
             OrtSession.Result result = session.run(java.util.Map.of("input", in, "state", st, "sr", sampleRate))) {
            float probability = ((float[][]) result.get("output").orElseThrow().getValue())[0][0];
            ((OnnxTensor) result.get("stateN").orElseThrow()).getFloatBuffer().get(state);
            return probability;
        } catch (OrtException e) {
            throw new VadException("Silero VAD inference failed", e);
        }
    }

    @Override
    public void close() {
        try {
            sampleRate.close();
            session.close();
        } catch (OrtException e) {
            log.warn("closing Silero VAD session failed", e);
        }
    }
}
