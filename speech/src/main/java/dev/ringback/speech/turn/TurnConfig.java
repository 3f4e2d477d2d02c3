package dev.ringback.speech.turn;

import dev.ringback.speech.vad.VadConfig;

import java.util.Objects;

/**
 * Per-call turn-taking settings.
 *
 * @param vad                   hysteresis while the agent is silent; its hangover ends a turn whose words do not yet
 *                              form a complete answer
 * @param bargeInOnsetMs        onset length required while the agent is speaking (longer: short back-channel sounds
 *                              should not interrupt the agent)
 * @param preRollMs             audio before the detected onset handed to the recogniser (soft word starts)
 * @param maxTurnMs             a turn is cut (UserTurn emitted) after this much continuous speech, so endless noise or a
 *                              monologue cannot keep the dialog waiting
 * @param queueFrames           20 ms frames buffered between the event loop and the worker; more are dropped
 * @param quickHangoverMs       silence that ends a turn early when the recogniser's words so far already form a complete
 *                              answer (0: always wait for the full hangover)
 * @param plainAnswerHangoverMs silence that ends a turn early when its words are a plain "yes" or "no" alone: people
 *                              pause after one before going on ("Yep, that's fine": 210-310 ms in the synthetic voices)
 * @param echoSearchMs          longest delay of the agent's echo from the far end that the echo gate looks for
 *                              (0: no echo gate)
 */
public record TurnConfig(VadConfig vad, int bargeInOnsetMs, int preRollMs, int maxTurnMs, int queueFrames,
                         int quickHangoverMs, int plainAnswerHangoverMs, int echoSearchMs) {

    /** Full hangover 600 ms, quick end of turn after 250 ms (500 ms after a lone yes/no), echo looked for up to 250 ms back. */
    public static final TurnConfig DEFAULT = new TurnConfig(VadConfig.DEFAULT.withHangoverMs(600), 160, 300, 30_000, 250, 250, 500, 250);

    public TurnConfig {
        Objects.requireNonNull(vad, "vad");
        if (bargeInOnsetMs < 0 || preRollMs < 0 || preRollMs > 2000 || maxTurnMs < 1000 || queueFrames < 1) {
            throw new IllegalArgumentException(
                    "need bargeInOnsetMs >= 0, 0 <= preRollMs <= 2000, maxTurnMs >= 1000, queueFrames >= 1");
        }
        if (quickHangoverMs < 0 || plainAnswerHangoverMs < quickHangoverMs || echoSearchMs < 0 || echoSearchMs > 1000) {
            throw new IllegalArgumentException("need quickHangoverMs >= 0, plainAnswerHangoverMs >= quickHangoverMs and 0 <= echoSearchMs <= 1000");
        }
    }

    public TurnConfig withBargeInOnsetMs(int ms) {
        return new TurnConfig(vad, ms, preRollMs, maxTurnMs, queueFrames, quickHangoverMs, plainAnswerHangoverMs, echoSearchMs);
    }

    public TurnConfig withMaxTurnMs(int ms) {
        return new TurnConfig(vad, bargeInOnsetMs, preRollMs, ms, queueFrames, quickHangoverMs, plainAnswerHangoverMs, echoSearchMs);
    }

    public TurnConfig withQueueFrames(int frames) {
        return new TurnConfig(vad, bargeInOnsetMs, preRollMs, maxTurnMs, frames, quickHangoverMs, plainAnswerHangoverMs, echoSearchMs);
    }

    /** The quick end of turn; a plain answer waits at least as long. */
    public TurnConfig withQuickHangoverMs(int ms) {
        return new TurnConfig(vad, bargeInOnsetMs, preRollMs, maxTurnMs, queueFrames, ms, Math.max(ms, plainAnswerHangoverMs), echoSearchMs);
    }

    public TurnConfig withEchoSearchMs(int ms) {
        return new TurnConfig(vad, bargeInOnsetMs, preRollMs, maxTurnMs, queueFrames, quickHangoverMs, plainAnswerHangoverMs, ms);
    }

    public TurnConfig withHangoverMs(int ms) {
        return new TurnConfig(vad.withHangoverMs(ms), bargeInOnsetMs, preRollMs, maxTurnMs, queueFrames, quickHangoverMs, plainAnswerHangoverMs,
                echoSearchMs);
    }
}
