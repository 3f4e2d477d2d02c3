package dev.ringback.speech.asr;

/**
 * The utterances of one call. An engine may carry what it learnt about the caller's line from one
 * utterance to the next (PocketSphinx carries its cepstral mean), and starts every new call from the
 * same estimate, so a call's first words never depend on what another call sounded like.
 */
@FunctionalInterface
public interface RecognitionChannel {

    /** Starts recognising one utterance of this call; never blocks. */
    Recognition start(Expectation expectation);
}
