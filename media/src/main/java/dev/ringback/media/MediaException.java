package dev.ringback.media;

/** A media resource could not be provided (no free RTP port, bind failure, engine closed). */
public class MediaException extends RuntimeException {
    public MediaException(String message) {
        super(message);
    }

    public MediaException(String message, Throwable cause) {
        super(message, cause);
    }
}
