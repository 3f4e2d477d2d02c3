package dev.ringback.speech.turn;

import dev.ringback.speech.asr.Expectation;

import java.util.List;
import java.util.Set;

/**
 * Whether words heard so far could be a whole answer to what the agent asked, so a short pause may end the turn.
 * Not complete: a phrase that stops on a word that needs a continuation ("on", "and", "the", "um") — the customer
 * is probably still thinking — and a turn of nothing but greetings, fillers and acknowledgements ("hi yes", "oh hello",
 * "um so") unless the agent asked a yes/no question and it holds a plain yes or no: "Hi, yes. Could someone come out
 * ..." pauses after "yes", and ending the turn there answered a fragment while the customer was still talking.
 */
final class CompleteAnswer {

    private static final Set<String> NEEDS_MORE = Set.of(
            "a", "an", "the", "and", "or", "but", "so", "because", "if", "then", "than", "that", "which", "who",
            "to", "of", "for", "on", "at", "in", "with", "from", "by", "about", "after", "before", "between", "until",
            "my", "your", "our", "their", "his", "her", "its", "this", "these", "those",
            "is", "are", "was", "were", "be", "am", "can", "could", "would", "will", "should", "might", "do", "does",
            "i", "we", "you", "he", "she", "they", "it's", "i'm", "we're", "it", "there",
            "um", "uh", "er", "erm", "hmm", "like", "maybe", "half", "quarter", "past", "around", "just", "really", "very",
            "that's", "there's", "what's", "here's", "he's", "she's", "they're", "you're", "i've", "we've", "they've", "i'll", "we'll",
            "you'll", "it'll", "i'd", "we'd", "let's", "who's", "where's", "how's", "gonna", "wanna", "when", "where", "how", "what", "why",
            "need", "want", "got", "get", "been", "being", "not");

    private static final Set<String> GREETINGS = Set.of("hi", "hello", "hey", "hiya", "g'day", "morning", "afternoon", "evening", "good");
    private static final Set<String> PREAMBLE = Set.of("yes", "yeah", "yep", "yup", "yea", "okay", "ok", "oh", "ah", "um", "uh", "er", "erm",
            "hmm", "so", "well", "right", "sorry", "look", "speaking", "it's", "me", "this", "is", "there", "thanks", "for", "calling", "ringing",
            "back", "actually");
    private static final Set<String> PLAIN_ANSWERS = Set.of("yes", "yeah", "yep", "yup", "yea", "no", "nope", "nah", "okay", "ok", "sure",
            "correct", "right");

    private CompleteAnswer() {
    }

    /** How complete the words heard so far are as an answer. */
    enum Completeness { INCOMPLETE, PLAIN_ANSWER, COMPLETE }

    static boolean looksComplete(String words, Expectation.Kind expected) {
        return judge(words, expected) != Completeness.INCOMPLETE;
    }

    /**
     * {@code PLAIN_ANSWER} for a yes or no with nothing of substance after it (the customer may well go on),
     * {@code COMPLETE} for an answer with content, else {@code INCOMPLETE}.
     */
    static Completeness judge(String words, Expectation.Kind expected) {
        String text = words.strip();
        if (text.isEmpty()) {
            return Completeness.INCOMPLETE;
        }
        List<String> tokens = List.of(text.split("\\s+"));
        if (NEEDS_MORE.contains(tokens.get(tokens.size() - 1))) {
            return Completeness.INCOMPLETE;
        }
        boolean greeted = tokens.stream().anyMatch(GREETINGS::contains);
        boolean onlyPreamble = tokens.stream().allMatch(t -> GREETINGS.contains(t) || PREAMBLE.contains(t) || PLAIN_ANSWERS.contains(t));
        if (!onlyPreamble) {
            return Completeness.COMPLETE;
        }
        boolean yesOrNoAsked = expected == Expectation.Kind.YES_NO || expected == Expectation.Kind.ANYTHING_ELSE;
        return yesOrNoAsked && !greeted && tokens.stream().anyMatch(PLAIN_ANSWERS::contains) ? Completeness.PLAIN_ANSWER : Completeness.INCOMPLETE;
    }
}
