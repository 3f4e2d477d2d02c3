package dev.ringback.speech.turn;

import dev.ringback.speech.vad.VadConfig;

/**
 * Per-call turn-taking settings.
 *
 * @param vad             hysteresis while the agent is silent
 * @param bargeInOnsetMs  onset length required while the agent is speaking (longer: line echo and
 *                        short back-channel sounds should not interrupt the agent)
 * @param preRollMs       audio before the detected onset handed to the recogniser (soft word starts)
 * @param maxTurnMs       a turn is cut (UserTurn emitted) after this much continuous speech, so
 *                        endless noise or a monologue cannot keep the dialog waiting
 * @param queueFrames     20 ms frames buffered between the event loop and the worker; more are dropped
 */
public record TurnConfig(VadConfig vad, int bargeInOnsetMs, int preRollMs, int maxTurnMs, int queueFrames) {

    public static final TurnConfig DEFAULT = new TurnConfig(VadConfig.DEFAULT, 200, 300, 30_000, 250);

    public TurnConfig {
        java.util.Objects.requireNonNull(vad, "vad");
        if (bargeInOnsetMs < 0 || preRollMs < 0 || preRollMs > 2000 || maxTurnMs < 1000 || queueFrames < 1) {
            throw new IllegalArgumentException(
                    "need bargeInOnsetMs >= 0, 0 <= preRollMs <= 2000, maxTurnMs >= 1000, queueFrames >= 1");
        }
    }

    public TurnConfig withBargeInOnsetMs(int ms) {
        return new TurnConfig(vad, ms, preRollMs, maxTurnMs, queueFrames);
    }

    public TurnConfig withMaxTurnMs(int ms) {
        return new TurnConfig(vad, bargeInOnsetMs, preRollMs, ms, queueFrames);
    }

    public TurnConfig withQueueFrames(int frames) {
        return new TurnConfig(vad, bargeInOnsetMs, preRollMs, maxTurnMs, frames);
    }
}
