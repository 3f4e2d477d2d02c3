package dev.ringback.speech.vad;

/**
 * Hysteresis for {@link VoiceActivityDetector}.
 *
 * @param onsetThreshold  probability at or above which a chunk counts as speech (Silero default 0.5)
 * @param offsetThreshold probability below which a chunk counts as silence while in speech (0.35)
 * @param minOnsetMs      how long speech must last before it is reported (filters clicks)
 * @param hangoverMs      how long silence must last before speech is reported over
 */
public record VadConfig(float onsetThreshold, float offsetThreshold, int minOnsetMs, int hangoverMs) {

    public static final VadConfig DEFAULT = new VadConfig(0.5f, 0.35f, 60, 500);

    public VadConfig {
        if (!(offsetThreshold > 0 && offsetThreshold <= onsetThreshold && onsetThreshold < 1)) {
            throw new IllegalArgumentException("need 0 < offsetThreshold <= onsetThreshold < 1, got "
                    + offsetThreshold + " / " + onsetThreshold);
        }
        if (minOnsetMs < 0 || hangoverMs < 0) {
            throw new IllegalArgumentException("minOnsetMs and hangoverMs must be >= 0");
        }
    }

    public VadConfig withHangoverMs(int ms) {
        return new VadConfig(onsetThreshold, offsetThreshold, minOnsetMs, ms);
    }

    public VadConfig withMinOnsetMs(int ms) {
        return new VadConfig(onsetThreshold, offsetThreshold, ms, hangoverMs);
    }

    /** Whole chunks needed to cover {@code ms} (at least one). */
    static int chunks(int ms) {
        int chunkMs = SileroVad.CHUNK_SAMPLES * 1000 / SileroVad.SAMPLE_RATE;
        return Math.max(1, (ms + chunkMs - 1) / chunkMs);
    }
}
