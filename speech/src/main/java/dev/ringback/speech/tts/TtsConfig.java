package dev.ringback.speech.tts;

/**
 * MaryTTS settings.
 *
 * @param voice          MaryTTS voice name, e.g. "cmu-slt-hsmm"
 * @param maxConcurrent  sentences synthesised at once (one MaryTTS interface each); further callers wait
 * @param cacheSentences whole sentences kept (LRU) for fixed phrases; 0 disables the cache
 * @param targetRmsDbfs  active speech level on the line (-18 dBFS suits G.711)
 * @param peakDbfs       ceiling of the peak limiter
 */
public record TtsConfig(String voice, int maxConcurrent, int cacheSentences, double targetRmsDbfs, double peakDbfs) {

    public static final TtsConfig DEFAULT =
            new TtsConfig("cmu-slt-hsmm", Runtime.getRuntime().availableProcessors(), 64, -18, -1);

    public TtsConfig {
        if (voice == null || voice.isBlank()) {
            throw new IllegalArgumentException("voice must be named");
        }
        if (maxConcurrent < 1 || cacheSentences < 0) {
            throw new IllegalArgumentException("maxConcurrent must be >= 1 and cacheSentences >= 0");
        }
        if (peakDbfs > 0 || targetRmsDbfs >= peakDbfs) {
            throw new IllegalArgumentException("need targetRmsDbfs < peakDbfs <= 0, got " + targetRmsDbfs + " / " + peakDbfs);
        }
    }
}
