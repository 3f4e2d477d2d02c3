package dev.ringback.agent.dialog;

import dev.ringback.agent.business.ArrivalWindow;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;

/** Dates and times the way a person says them on the phone: words, no digits or symbols, for TTS. */
public final class Spoken {
    private static final List<String> NUMBERS = List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
            "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen");
    private static final List<String> TENS = List.of("", "", "twenty", "thirty", "forty", "fifty");
    private static final List<String> ORDINALS = List.of("", "first", "second", "third", "fourth", "fifth", "sixth", "seventh",
            "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
            "seventeenth", "eighteenth", "nineteenth", "twentieth");

    private Spoken() {}

    public static String number(int n) {
        if (n < 20) return NUMBERS.get(n);
        if (n < 60) return TENS.get(n / 10) + (n % 10 == 0 ? "" : " " + NUMBERS.get(n % 10));
        return Integer.toString(n);
    }

    public static String ordinal(int n) {
        if (n <= 20) return ORDINALS.get(n);
        if (n == 30) return "thirtieth";
        return TENS.get(n / 10) + " " + ORDINALS.get(n % 10);
    }

    public static String dayName(DayOfWeek day) {
        return day.getDisplayName(TextStyle.FULL, Locale.ENGLISH);
    }

    /** "today", "tomorrow", "Thursday the third", or with the month when it is not this month. */
    public static String date(LocalDate date, LocalDate today) {
        if (date.equals(today)) return "today";
        if (date.equals(today.plusDays(1))) return "tomorrow";
        String d = dayName(date.getDayOfWeek()) + " the " + ordinal(date.getDayOfMonth());
        if (date.getMonth() != today.getMonth() && date.isAfter(today.plusDays(6))) {
            d += " of " + date.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
        }
        return d;
    }

    /** "nine", "nine thirty", "midday". */
    public static String clockWords(LocalTime t) {
        if (t.equals(LocalTime.NOON)) return "midday";
        int h = t.getHour() % 12 == 0 ? 12 : t.getHour() % 12;
        String minutes = t.getMinute() == 0 ? "" : t.getMinute() < 10 ? " oh " + number(t.getMinute()) : " " + number(t.getMinute());
        return number(h) + minutes;
    }

    public static String partOfDay(LocalTime t) {
        if (t.isBefore(LocalTime.NOON)) return "in the morning";
        if (t.isBefore(LocalTime.of(18, 0))) return "in the afternoon";
        return "in the evening";
    }

    /** "three in the afternoon", "midday". */
    public static String time(LocalTime t) {
        return t.equals(LocalTime.NOON) ? "midday" : clockWords(t) + " " + partOfDay(t);
    }

    /** "between nine and eleven in the morning", "between eleven in the morning and one in the afternoon". */
    public static String window(ArrivalWindow w) {
        String startPart = partOfDay(w.start());
        String endPart = w.end().equals(LocalTime.NOON) ? "" : partOfDay(w.end());
        if (startPart.equals(endPart)) return "between " + clockWords(w.start()) + " and " + clockWords(w.end()) + " " + endPart;
        return "between " + time(w.start()) + " and " + time(w.end());
    }

    /** "Thursday the third, between seven and nine in the morning". */
    public static String slot(LocalDate date, ArrivalWindow w, LocalDate today) {
        return date(date, today) + ", " + window(w);
    }

    public static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
