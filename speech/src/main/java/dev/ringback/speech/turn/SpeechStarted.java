package dev.ringback.speech.turn;

/**
 * The customer started speaking (barge-in signal while the agent talks).
 *
 * @param atNanos System.nanoTime() arrival of the frame in which speech began
 */
public record SpeechStarted(long atNanos) implements TurnEvent {
}
