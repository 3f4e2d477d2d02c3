package dev.ringback.speech.asr;

import java.util.List;

/**
 * A speech recogniser engine (Sphinx4 or Vosk). The engine holds the shared model; each call
 * opens its own {@link Recognition} per utterance. Implementations must be safe to use from
 * several calls at once (one Recognition per call at a time).
 */
public interface SpeechRecognizer extends AutoCloseable {

    /** Engine name for logs and the start-up banner, e.g. "sphinx4" or "vosk". */
    String name();

    /**
     * Starts recognising one utterance.
     *
     * @param phraseHints phrases the dialog expects next (may be empty); engines use them to bias
     *                    recognition (grammar, phrase list or language-model boost)
     */
    Recognition start(List<String> phraseHints);

    @Override
    void close();
}
