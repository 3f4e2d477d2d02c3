package dev.ringback.agent.dialog;

import dev.ringback.agent.Heard;
import dev.ringback.agent.language.Normalizer;
import dev.ringback.agent.language.Utterance;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The reading of one customer turn that the dialog acts on, and how far the recogniser stood behind it.
 *
 * @param confidence 0..1 for the whole turn (1 for typed text)
 * @param runnerUp   the recogniser's best reading made no sense here and this one, from its N-best, did
 * @param words      the recognised words with their confidences, when the recogniser gave them for this reading
 */
record Reading(String text, Utterance utterance, double confidence, boolean runnerUp, List<Heard.Word> words) {
    /**
     * Below this the recogniser is guessing: a word posterior under one half means another word was as likely.
     * A guess may steer a question, never commit anything.
     */
    static final double UNSURE_BELOW = 0.5;

    Reading {
        words = List.copyOf(words);
    }

    /** Not to be acted on where acting commits something (a booking, a cancellation, a transfer). */
    boolean unsure() {
        return runnerUp || confidence < UNSURE_BELOW;
    }

    /** The least confidence among the recognised words of that phrase; the turn's when words were not given. */
    double confidenceOf(String phrase) {
        if (runnerUp) return 0;
        if (words.isEmpty()) return confidence;
        Set<String> wanted = Arrays.stream(Normalizer.normalize(phrase).split(" ")).collect(Collectors.toSet());
        return words.stream().filter(w -> wanted.contains(Normalizer.normalize(w.text()))).mapToDouble(Heard.Word::confidence)
                .min().orElse(confidence);
    }
}
