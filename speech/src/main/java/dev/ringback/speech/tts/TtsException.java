package dev.ringback.speech.tts;

/** Synthesis failed (engine error or the calling thread was interrupted). */
public final class TtsException extends RuntimeException {
    public TtsException(String message, Throwable cause) {
        super(message, cause);
    }
}
