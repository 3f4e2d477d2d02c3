package dev.ringback.speech.asr;

/**
 * A speech recogniser engine (PocketSphinx, Vosk or Sphinx4). The engine holds the shared models; each call
 * opens a {@link RecognitionChannel} and one {@link Recognition} per utterance on it. Implementations must be
 * safe to use from several calls at once (one Recognition per call at a time).
 */
public interface SpeechRecognizer extends AutoCloseable {

    /** Engine name for logs and the start-up banner, e.g. "pocketsphinx", "vosk" or "sphinx4". */
    String name();

    /** Starts recognising one utterance on a channel of its own; never blocks. */
    Recognition start(Expectation expectation);

    /** A channel for one call's utterances (engines without per-line state start each utterance afresh). */
    default RecognitionChannel newChannel() {
        return this::start;
    }

    @Override
    void close();
}
