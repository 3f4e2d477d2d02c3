package dev.ringback.speech.asr;

/** A speech recogniser cannot be started (missing model, native library that does not load, bad configuration). */
public final class AsrUnavailableException extends RuntimeException {

    public AsrUnavailableException(String message) {
        super(message);
    }

    public AsrUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
