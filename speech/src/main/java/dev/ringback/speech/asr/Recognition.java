package dev.ringback.speech.asr;

/** One utterance being recognised. Fed from one thread at a time; not thread-safe. */
public interface Recognition {

    /** Appends 16 kHz, 16-bit, mono samples. Never blocks for long (decoding may be incremental). */
    void accept(short[] pcm16k, int offset, int length);

    /** Best hypothesis so far (may be empty). */
    String partial();

    /**
     * How many of the accepted samples the decoder has reached, so a caller can tell whether
     * {@link #partial()} already covers the end of what it fed. Engines that decode inside
     * {@link #accept} have reached everything.
     */
    default long samplesDecoded() {
        return Long.MAX_VALUE;
    }

    /** Ends the utterance and returns what was heard ({@link Transcript#EMPTY} when nothing was). Always call it: it releases the engine's resources. */
    Transcript finish();
}
