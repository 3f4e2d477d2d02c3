package dev.ringback.speech.turn;

/**
 * One finished customer utterance.
 *
 * @param text             recognised text, lower case; "" when the recogniser heard no words (noise, cough)
 * @param speechStartNanos System.nanoTime() arrival of the frame in which speech began
 * @param speechEndNanos   arrival of the last voiced frame
 * @param finalNanos       when the recogniser's final text was ready (System.nanoTime())
 */
public record UserTurn(String text, long speechStartNanos, long speechEndNanos, long finalNanos) implements TurnEvent {
    public UserTurn {
        java.util.Objects.requireNonNull(text, "text");
    }
}
