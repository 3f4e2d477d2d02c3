package dev.ringback.agent.business;

import java.nio.file.Path;

/** A business file that cannot be used; the message names the file and the key. */
public final class InvalidBusinessProfileException extends RuntimeException {
    private final String key;

    public InvalidBusinessProfileException(Path file, String key, String problem) {
        this(file, key, problem, null);
    }

    public InvalidBusinessProfileException(Path file, String key, String problem, Throwable cause) {
        super(file + ": " + key + ": " + problem, cause);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
