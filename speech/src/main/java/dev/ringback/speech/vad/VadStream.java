package dev.ringback.speech.vad;

/**
 * Speech probability for one 16 kHz stream, 512 samples at a time. Holds the model's recurrent
 * state and the 64-sample context; one per call, used from one thread at a time.
 */
public final class VadStream {

    private final SileroVad model;
    private final float[] input = new float[SileroVad.CONTEXT_SAMPLES + SileroVad.CHUNK_SAMPLES];
    private final float[] state = new float[2 * 128];

    VadStream(SileroVad model) {
        this.model = model;
    }

    /**
     * @param chunk exactly {@value SileroVad#CHUNK_SAMPLES} samples scaled to [-1, 1]
     * @return probability (0..1) that the chunk holds speech
     */
    public float accept(float[] chunk) {
        if (chunk.length != SileroVad.CHUNK_SAMPLES) {
            throw new IllegalArgumentException("Silero VAD takes " + SileroVad.CHUNK_SAMPLES + " samples, got " + chunk.length);
        }
        System.arraycopy(chunk, 0, input, SileroVad.CONTEXT_SAMPLES, chunk.length);
        float probability = model.run(input, state);
        System.arraycopy(input, input.length - SileroVad.CONTEXT_SAMPLES, input, 0, SileroVad.CONTEXT_SAMPLES);
        return probability;
    }
}
