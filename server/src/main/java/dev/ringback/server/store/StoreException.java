package dev.ringback.server.store;

/** A database operation failed; the cause carries the SQL error. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
