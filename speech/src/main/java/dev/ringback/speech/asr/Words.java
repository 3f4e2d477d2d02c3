package dev.ringback.speech.asr;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Turns text into the word form recognisers produce: lower case, no punctuation, apostrophes kept inside words. */
public final class Words {

    private Words() {
    }

    /** Splits text into lower-case words; digits and letters are kept, other characters separate words. */
    public static List<String> of(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        String lower = text.toLowerCase(Locale.ROOT).replace('\u2019', '\'');
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            boolean innerApostrophe = c == '\'' && word.length() > 0
                    && i + 1 < lower.length() && Character.isLetter(lower.charAt(i + 1));
            if (Character.isLetterOrDigit(c) || innerApostrophe) {
                word.append(c);
            } else if (word.length() > 0) {
                words.add(word.toString());
                word.setLength(0);
            }
        }
        if (word.length() > 0) {
            words.add(word.toString());
        }
        return words;
    }

    /** The normalised form of a text: its words joined by single spaces. */
    public static String normalize(String text) {
        return String.join(" ", of(text));
    }
}
