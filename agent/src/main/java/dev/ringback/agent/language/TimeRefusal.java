package dev.ringback.agent.language;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds a time the customer rules out in normalised text: "not today", "cant do thursday", "not in the
 * morning", "friday doesnt work". Only the time words next to the negation count, so "not urgent" or
 * "not in a hurry" rule nothing out.
 */
final class TimeRefusal {
    /** The time words ruled out, and the text without the refusal (what the customer wants instead, if anything). */
    record Found(String timeWords, String rest) {}

    private static final Pattern BEFORE_TIME = Pattern.compile("\\b(not|cant do|cant make|cannot do|cannot make|cant|cannot|anything but|except)( it)? ");
    private static final Pattern AFTER_TIME = Pattern.compile(" (doesnt work|dont work|wont work|doesnt suit|wont suit|is no good|no good|is bad|isnt good|is not good|is out)\\b");
    private static final Set<String> TIME_WORDS = Set.of("today", "tonight", "tomorrow", "day", "after", "monday", "tuesday", "wednesday",
            "thursday", "friday", "saturday", "sunday", "mondays", "tuesdays", "wednesdays", "thursdays", "fridays", "saturdays",
            "sundays", "morning", "mornings", "afternoon", "afternoons", "arvo", "evening", "first", "thing", "early", "late", "the",
            "this", "next", "on", "in", "at", "around", "lunch", "lunchtime", "midday", "noon", "am", "pm", "oclock", "half", "past",
            "quarter", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirty",
            "fifteen", "forty", "of", "january", "february", "march", "april", "may", "june", "july", "august", "september",
            "october", "november", "december", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
            "st", "nd", "rd", "th");
    private static final Set<String> NOT_A_TIME_ALONE = Set.of("the", "this", "next", "on", "in", "at", "around", "of", "after", "day",
            "first", "one", "st", "nd", "rd", "th");
    private static final Set<String> DAYS = Set.of("today", "tonight", "tomorrow", "monday", "tuesday", "wednesday", "thursday", "friday",
            "saturday", "sunday", "mondays", "tuesdays", "wednesdays", "thursdays", "fridays", "saturdays", "sundays");
    private static final Set<String> PARTS = Set.of("morning", "mornings", "afternoon", "afternoons", "arvo", "evening", "first", "early",
            "late", "lunch", "lunchtime", "midday", "noon");
    /** Words that start a second time expression once a part of the day has been said. */
    private static final Set<String> OPENERS = Set.of("the", "this", "next", "on", "in");
    private static final int MAX_WORDS = 5;

    private TimeRefusal() {}

    static Optional<Found> find(String normalized) {
        String t = " " + normalized + " ";
        Matcher m = BEFORE_TIME.matcher(t);
        while (m.find()) {
            List<String> after = Arrays.asList(t.substring(m.end()).trim().split(" "));
            String words = String.join(" ", after.subList(0, oneExpression(after)));
            if (namesATime(words)) return Optional.of(new Found(words, tidy(t.substring(0, m.start()) + " " + t.substring(m.end() + words.length()))));
        }
        m = AFTER_TIME.matcher(t);
        while (m.find()) {
            List<String> before = Arrays.asList(t.substring(0, m.start()).trim().split(" "));
            int n = 0;
            while (n < before.size() && n < MAX_WORDS && isTimeWord(before.get(before.size() - 1 - n))) n++;
            String words = String.join(" ", before.subList(before.size() - n, before.size()));
            if (namesATime(words)) return Optional.of(new Found(words, tidy(t.substring(0, m.start() - words.length()) + " " + t.substring(m.end()))));
        }
        return Optional.empty();
    }

    private static String tidy(String text) {
        return text.trim().replaceAll("\\s+", " ");
    }

    /** How many of the words make one time expression: "thursday morning", not "today thursday" or "the morning the afternoon". */
    private static int oneExpression(List<String> words) {
        boolean day = false;
        boolean part = false;
        int n = 0;
        while (n < words.size() && n < MAX_WORDS && isTimeWord(words.get(n))) {
            String w = words.get(n);
            if (DAYS.contains(w)) {
                if (day) break;
                day = true;
            } else if (PARTS.contains(w)) {
                if (part) break;
                part = true;
            } else if (part && OPENERS.contains(w)) {
                break;
            }
            n++;
        }
        return n;
    }

    private static boolean isTimeWord(String w) {
        return TIME_WORDS.contains(w) || w.matches("\\d{1,2}(:\\d{2})?");
    }

    private static boolean namesATime(String words) {
        if (words.isBlank()) return false;
        for (String w : words.split(" ")) if (!NOT_A_TIME_ALONE.contains(w)) return true;
        return false;
    }
}
