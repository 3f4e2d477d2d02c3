package dev.ringback.agent.scenario;

import java.nio.file.Path;

/** A scenario file that does not follow the format; the message names the file and the key. */
public final class InvalidScenarioException extends RuntimeException {
    public InvalidScenarioException(Path file, String key, String problem, Throwable cause) {
        super(file + ": " + key + ": " + problem, cause);
    }
}
