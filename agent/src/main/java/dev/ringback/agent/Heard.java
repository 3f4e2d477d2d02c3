package dev.ringback.agent;

import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One customer turn as the recogniser heard it: the best text, how sure it was (when it can tell), the
 * best text word by word with each word's confidence, and the runners-up. Typed text is {@link #typed}: sure.
 *
 * @param text         best hypothesis
 * @param confidence   0..1 for the whole turn, empty when the recogniser gives none
 * @param words        the best hypothesis's words with their confidences (empty when the recogniser gives none)
 * @param alternatives other readings, best first, without the best one
 */
public record Heard(String text, OptionalDouble confidence, List<Word> words, List<String> alternatives) {

    /** A recognised word and the probability that it was said. */
    public record Word(String text, double confidence) {
        public Word {
            Objects.requireNonNull(text, "text");
        }
    }

    public Heard {
        text = text == null ? "" : text.strip();
        Objects.requireNonNull(confidence, "confidence");
        words = List.copyOf(words);
        alternatives = List.copyOf(alternatives);
    }

    /** What the customer typed or what a test says: no doubt about the words. */
    public static Heard typed(String text) {
        return new Heard(text, OptionalDouble.empty(), List.of(), List.of());
    }
}
