package dev.ringback.agent.language;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Brings typed text and recogniser output to one form: lower case, no punctuation or apostrophes, digits and
 * am/pm split, words a recogniser commonly splits joined again ("to morrow"), and near-misses of the words the
 * dialog depends on corrected ("thirsday", "cancer" -> "cancel").
 */
public final class Normalizer {
    private static final Map<String, String> SPLIT_WORDS = Map.ofEntries(
            Map.entry("to morrow", "tomorrow"), Map.entry("tomorrows", "tomorrow"), Map.entry("to day", "today"),
            Map.entry("fry day", "friday"), Map.entry("choose day", "tuesday"), Map.entry("tues day", "tuesday"),
            Map.entry("whens day", "wednesday"), Map.entry("wednes day", "wednesday"), Map.entry("thurs day", "thursday"),
            Map.entry("satur day", "saturday"), Map.entry("mon day", "monday"), Map.entry("sun day", "sunday"),
            Map.entry("re schedule", "reschedule"), Map.entry("after noon", "afternoon"), Map.entry("a m", "am"),
            Map.entry("p m", "pm"), Map.entry("o clock", "oclock"), Map.entry("any time", "anytime"), Map.entry("ok", "okay"),
            Map.entry("o k", "okay"), Map.entry("e mail", "email"), Map.entry("in voice", "invoice"));

    /** Words worth correcting: long enough that one wrong letter is a mishearing, not another word. */
    private static final List<String> VOCABULARY = List.of(
            "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "tomorrow", "tonight",
            "morning", "afternoon", "evening", "cancel", "reschedule", "appointment", "emergency", "urgent", "invoice",
            "message", "person", "human", "plumber", "toilet", "cistern", "january", "february", "december",
            "november", "october", "september", "august", "quarter", "oclock");

    /** Real words a step away from the vocabulary that must stay what they are. */
    private static final Set<String> KEEP = Set.of("mourner", "persons", "humane", "humans", "messages", "toilets", "plumbers",
            "cancels", "cancelled", "canceled", "mornings", "evenings", "quarters", "messaged", "mondays", "fridays", "sundays");

    private static final Pattern DIGIT_AMPM = Pattern.compile("\\b(\\d{1,2})(am|pm)\\b");
    private static final Pattern DOT_TIME = Pattern.compile("\\b(\\d{1,2})\\.(\\d{2})\\b");

    private Normalizer() {}

    public static String normalize(String heard) {
        String t = heard.toLowerCase(Locale.ROOT).replace('\u2019', '\'');
        t = DOT_TIME.matcher(t).replaceAll("$1:$2");
        t = t.replace("a.m.", " am ").replace("p.m.", " pm ").replace("&", " and ");
        t = t.replace("'", "");
        t = t.replaceAll("[^a-z0-9:]+", " ").replaceAll("(?<![0-9]):|:(?![0-9])", " ");
        t = DIGIT_AMPM.matcher(t).replaceAll("$1 $2");
        t = t.replaceAll("\\b(\\d{1,2})(st|nd|rd|th)\\b", "$1 $2");
        t = " " + t.trim().replaceAll("\\s+", " ") + " ";
        for (Map.Entry<String, String> e : SPLIT_WORDS.entrySet()) {
            t = t.replace(" " + e.getKey() + " ", " " + e.getValue() + " ");
        }
        List<String> words = new ArrayList<>();
        for (String w : t.trim().split(" ")) {
            if (!w.isEmpty()) words.add(correct(w));
        }
        return String.join(" ", words);
    }

    private static String correct(String word) {
        if (word.length() < 5 || KEEP.contains(word) || VOCABULARY.contains(word)) return word;
        if (word.equals("cancer") || word.equals("council")) return "cancel";
        for (String v : VOCABULARY) {
            int allowed = v.length() >= 8 ? 2 : 1;
            if (Math.abs(v.length() - word.length()) <= allowed && v.charAt(0) == word.charAt(0) && distance(word, v, allowed) <= allowed) {
                return v;
            }
        }
        return word;
    }

    /** Levenshtein distance, giving up early beyond the limit. */
    static int distance(String a, String b, int limit) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            int rowMin = cur[0];
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
                rowMin = Math.min(rowMin, cur[j]);
            }
            if (rowMin > limit) return limit + 1;
            int[] swap = prev;
            prev = cur;
            cur = swap;
        }
        return prev[b.length()];
    }
}
