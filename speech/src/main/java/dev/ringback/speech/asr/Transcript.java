package dev.ringback.speech.asr;

import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The recogniser's reading of one utterance: the best text, how sure it is, and the runners-up, so the
 * dialog can pick the reading that makes sense in context and ask again instead of acting on a guess.
 *
 * @param text         best hypothesis, lower case, no punctuation ("" when nothing was heard)
 * @param confidence   0..1 for the whole utterance, when the engine can tell (empty otherwise)
 * @param words        the best hypothesis word by word, each with its own confidence (empty when the engine gives none)
 * @param alternatives distinct hypotheses best first, the best one included; empty when the engine gives none
 */
public record Transcript(String text, OptionalDouble confidence, List<Word> words, List<Hypothesis> alternatives) {

    /** One recognised word and the posterior probability that it was said (0..1). */
    public record Word(String text, double confidence) {
        public Word {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * One hypothesis of the N-best list.
     *
     * @param score the engine's path score in natural-log units, higher is better; only differences between
     *              hypotheses of one utterance mean anything
     */
    public record Hypothesis(String text, double score) {
        public Hypothesis {
            Objects.requireNonNull(text, "text");
        }
    }

    public static final Transcript EMPTY = of("");

    public Transcript {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(confidence, "confidence");
        words = List.copyOf(words);
        alternatives = List.copyOf(alternatives);
    }

    /** Text alone, from an engine that gives no confidence or alternatives. */
    public static Transcript of(String text) {
        return new Transcript(text, OptionalDouble.empty(), List.of(), List.of());
    }

    public boolean isEmpty() {
        return text.isEmpty();
    }
}
