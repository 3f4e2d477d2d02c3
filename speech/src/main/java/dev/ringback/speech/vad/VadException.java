package dev.ringback.speech.vad;

/** The VAD model could not be loaded or run. */
public final class VadException extends RuntimeException {
    public VadException(String message, Throwable cause) {
        super(message, cause);
    }
}
