package dev.ringback.speech.turn;

import dev.ringback.speech.asr.Transcript;

import java.util.Objects;

/**
 * One finished customer utterance.
 *
 * @param heard            what the recogniser heard; empty when it heard no words (noise, cough)
 * @param speechStartNanos System.nanoTime() arrival of the frame in which speech began
 * @param speechEndNanos   arrival of the last voiced frame
 * @param finalNanos       when the recogniser's final text was ready (System.nanoTime())
 */
public record UserTurn(Transcript heard, long speechStartNanos, long speechEndNanos, long finalNanos) implements TurnEvent {
    public UserTurn {
        Objects.requireNonNull(heard, "heard");
    }

    /** The best hypothesis, lower case. */
    public String text() {
        return heard.text();
    }
}
