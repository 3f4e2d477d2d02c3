package dev.ringback.speech.vad;

import java.util.Optional;

/**
 * Turns per-chunk speech probabilities into speech start/end events with hysteresis: speech starts
 * after {@code minOnsetMs} of chunks at or above the onset threshold, and ends once the probability
 * has stayed under the offset threshold for {@code hangoverMs} (values in between neither end nor
 * extend the silence, as in Silero's reference code). One per call; not thread-safe.
 */
public final class VoiceActivityDetector {

    private final VadStream stream;
    private VadConfig config;
    private long position;          // 16 kHz samples consumed so far
    private boolean speaking;
    private int onsetRun;           // consecutive chunks >= onset threshold while silent
    private long onsetStart;        // first sample of that run
    private boolean inSilenceRun;   // while speaking: a silence run has begun
    private int silenceRun;         // chunks since that run began
    private long lastVoicedEnd;     // end of the last chunk >= offset threshold while speaking

    public VoiceActivityDetector(VadStream stream, VadConfig config) {
        this.stream = stream;
        this.config = config;
    }

    /** Changes thresholds or timings from the next chunk on (e.g. a longer onset while the agent talks). */
    public void setConfig(VadConfig config) {
        this.config = config;
    }

    /**
     * Feeds the next {@value SileroVad#CHUNK_SAMPLES} samples (16 kHz, scaled to [-1, 1]).
     *
     * @return the event this chunk completed, if any
     */
    public Optional<VadEvent> accept(float[] chunk) {
        float p = stream.accept(chunk);
        long chunkStart = position;
        position += chunk.length;
        return speaking ? whileSpeaking(p) : whileSilent(p, chunkStart);
    }

    private Optional<VadEvent> whileSilent(float p, long chunkStart) {
        if (p < config.onsetThreshold()) {
            onsetRun = 0;
            return Optional.empty();
        }
        if (onsetRun++ == 0) {
            onsetStart = chunkStart;
        }
        if (onsetRun < VadConfig.chunks(config.minOnsetMs())) {
            return Optional.empty();
        }
        speaking = true;
        onsetRun = 0;
        inSilenceRun = false;
        lastVoicedEnd = position;
        return Optional.of(new VadEvent.SpeechStart(onsetStart));
    }

    private Optional<VadEvent> whileSpeaking(float p) {
        if (p >= config.offsetThreshold()) {
            lastVoicedEnd = position;
        }
        if (p >= config.onsetThreshold()) {
            inSilenceRun = false;
            return Optional.empty();
        }
        if (p < config.offsetThreshold() && !inSilenceRun) {
            inSilenceRun = true;
            silenceRun = 0;
        }
        if (!inSilenceRun || ++silenceRun < VadConfig.chunks(config.hangoverMs())) {
            return Optional.empty();
        }
        speaking = false;
        inSilenceRun = false;
        return Optional.of(new VadEvent.SpeechEnd(lastVoicedEnd));
    }

    /**
     * Ends the current speech now (e.g. the turn has grown too long); speech that goes on must
     * pass the onset test again.
     *
     * @return the end event, or empty when no speech was in progress
     */
    public Optional<VadEvent> endSpeech() {
        if (!speaking) {
            return Optional.empty();
        }
        speaking = false;
        inSilenceRun = false;
        onsetRun = 0;
        return Optional.of(new VadEvent.SpeechEnd(lastVoicedEnd));
    }

    /** While speaking: how long the current run of silent chunks has lasted (0 when the last chunk was voiced). */
    public int trailingSilenceMs() {
        return speaking && inSilenceRun ? silenceRun * SileroVad.CHUNK_SAMPLES * 1000 / SileroVad.SAMPLE_RATE : 0;
    }

    /** End of the last voiced chunk of the current speech (16 kHz sample position). */
    public long lastVoicedEnd() {
        return lastVoicedEnd;
    }

    public boolean isSpeaking() {
        return speaking;
    }

    /** 16 kHz samples consumed so far. */
    public long position() {
        return position;
    }
}
