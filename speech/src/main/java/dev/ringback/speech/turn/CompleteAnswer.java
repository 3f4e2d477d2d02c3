package dev.ringback.speech.turn;

import java.util.Set;

/**
 * Whether words heard so far could be a whole answer, so a short pause may end the turn. A phrase
 * that stops on a word that needs a continuation ("on", "and", "the", "um") is not complete: the
 * customer is probably still thinking, and the full hangover applies.
 */
final class CompleteAnswer {

    private static final Set<String> NEEDS_MORE = Set.of(
            "a", "an", "the", "and", "or", "but", "so", "because", "if", "then", "than", "that", "which", "who",
            "to", "of", "for", "on", "at", "in", "with", "from", "by", "about", "after", "before", "between", "until",
            "my", "your", "our", "their", "his", "her", "its", "this", "these", "those",
            "is", "are", "was", "were", "be", "am", "can", "could", "would", "will", "should", "might", "do", "does",
            "i", "we", "you", "he", "she", "they", "it's", "i'm", "we're", "it", "there",
            "um", "uh", "er", "erm", "hmm", "like", "maybe", "half", "quarter", "past", "around", "just", "really", "very");

    private CompleteAnswer() {
    }

    static boolean looksComplete(String words) {
        String text = words.strip();
        if (text.isEmpty()) {
            return false;
        }
        String last = text.substring(text.lastIndexOf(' ') + 1);
        return !NEEDS_MORE.contains(last);
    }
}
