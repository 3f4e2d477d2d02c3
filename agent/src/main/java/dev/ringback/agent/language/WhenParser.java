package dev.ringback.agent.language;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Dates and times in normalised text, relative to the moment the SMS arrived (business-local). */
public final class WhenParser {
    static final List<String> NUMBER_WORDS = List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
            "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
            "twenty");
    static final List<String> ORDINAL_WORDS = List.of("", "first", "second", "third", "fourth", "fifth", "sixth", "seventh",
            "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
            "seventeenth", "eighteenth", "nineteenth", "twentieth");

    private static final String HOUR = "(\\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)";
    private static final String WEEKDAY = "(monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?";
    private static final String MONTH = "(january|february|march|april|may|june|july|august|september|october|november|december)";
    private static final String ORDINAL = "(\\d{1,2}(?: (?:st|nd|rd|th))?|" + "(?:twenty |thirty )?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)"
            + "|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth)";

    private static final Pattern DAY_AFTER_TOMORROW = Pattern.compile("\\bday after tomorrow\\b");
    private static final Pattern TOMORROW = Pattern.compile("\\btomorrow\\b");
    private static final Pattern TODAY = Pattern.compile("\\b(today|tonight|this (morning|afternoon|arvo|evening)|later on today|later today|as soon as possible|asap|right away)\\b");
    private static final Pattern WEEKDAY_P = Pattern.compile("\\b(next |this |on )?" + WEEKDAY + "\\b");
    private static final Pattern NEXT_WEEK = Pattern.compile("\\bnext week\\b");
    private static final Pattern MONTH_DAY = Pattern.compile("\\b" + MONTH + " (the )?" + ORDINAL + "\\b");
    private static final Pattern DAY_MONTH = Pattern.compile("\\b(the )?" + ORDINAL + " (of )?" + MONTH + "\\b");
    private static final Pattern THE_ORDINAL = Pattern.compile("\\b(on )?the " + ORDINAL + "\\b(?! (one|option|time|thing|week))");

    private static final Pattern CLOCK_COLON = Pattern.compile("\\b(\\d{1,2}):(\\d{2})( (am|pm))?\\b");
    private static final Pattern CLOCK_AMPM = Pattern.compile("\\b" + HOUR + " (thirty |fifteen |forty five )?(am|pm)\\b");
    private static final Pattern CLOCK_OCLOCK = Pattern.compile("\\b" + HOUR + " oclock\\b");
    private static final Pattern CLOCK_AFTER_WORD = Pattern.compile("\\b(at|around|about|by|after|from|before|say|round) " + HOUR
            + "( thirty| fifteen| forty five)?\\b(?! (minutes|mins|hours|days|weeks|of|people|jobs|point|stage|more|bit))");
    private static final Pattern HALF_PAST = Pattern.compile("\\bhalf past " + HOUR + "\\b");
    private static final Pattern QUARTER_PAST = Pattern.compile("\\bquarter past " + HOUR + "\\b");
    private static final Pattern QUARTER_TO = Pattern.compile("\\bquarter to " + HOUR + "\\b");
    private static final Pattern NOON = Pattern.compile("\\b(noon|midday|lunchtime|lunch time|lunch)\\b");

    private static final Pattern IN_MINUTES = Pattern.compile("\\bin (\\d{1,3}|five|ten|fifteen|twenty|thirty|forty|forty five) (minutes|mins)\\b");
    private static final Pattern IN_HALF_HOUR = Pattern.compile("\\bin (half an hour|a half hour|thirty minutes)\\b");
    private static final Pattern IN_HOURS = Pattern.compile("\\bin (an|one|a couple of|two|2|three|3|a few) hours?\\b");

    private static final Pattern FIRST_THING = Pattern.compile("\\b(first thing|earliest|as early as|early morning|early)\\b");
    private static final Pattern LATE = Pattern.compile("\\b(late afternoon|late in the day|end of the day|after work|later in the afternoon)\\b");
    private static final Pattern MORNING = Pattern.compile("\\b(morning|mornings|before lunch|before noon)\\b");
    private static final Pattern AFTERNOON = Pattern.compile("\\b(afternoon|afternoons|arvo|after lunch)\\b");
    private static final Pattern EVENING = Pattern.compile("\\b(evening|tonight)\\b");
    private static final Pattern GREETING = Pattern.compile("\\bgood (morning|afternoon|evening)\\b");

    private final LocalDateTime now;

    public WhenParser(LocalDateTime now) {
        this.now = now;
    }

    public When parse(String normalized) {
        String t = " " + GREETING.matcher(normalized).replaceAll(" ") + " ";
        Optional<LocalDate> date = date(t);
        DayPart part = part(t);
        Optional<LocalTime> clock = clock(t, part);
        Optional<Duration> fromNow = fromNow(t);
        if (clock.isPresent() && part == DayPart.ANY) {
            part = clock.get().isBefore(LocalTime.NOON) ? DayPart.MORNING : DayPart.AFTERNOON;
        }
        return new When(date, part, clock, fromNow);
    }

    private Optional<LocalDate> date(String t) {
        LocalDate today = now.toLocalDate();
        if (DAY_AFTER_TOMORROW.matcher(t).find()) return Optional.of(today.plusDays(2));
        if (TOMORROW.matcher(t).find()) return Optional.of(today.plusDays(1));
        if (TODAY.matcher(t).find()) return Optional.of(today);
        Matcher m = MONTH_DAY.matcher(t);
        if (m.find()) return dayOfMonth(ordinal(m.group(3)), Optional.of(Month.valueOf(m.group(1).toUpperCase(Locale.ROOT))));
        m = DAY_MONTH.matcher(t);
        if (m.find()) return dayOfMonth(ordinal(m.group(2)), Optional.of(Month.valueOf(m.group(4).toUpperCase(Locale.ROOT))));
        m = WEEKDAY_P.matcher(t);
        if (m.find()) {
            DayOfWeek day = DayOfWeek.valueOf(m.group(2).toUpperCase(Locale.ROOT));
            int ahead = (day.getValue() - today.getDayOfWeek().getValue() + 7) % 7;
            boolean thisOne = "this ".equals(m.group(1));
            if (ahead == 0 && !thisOne) ahead = 7; // "Tuesday" said on a Tuesday means next week's
            return Optional.of(today.plusDays(ahead));
        }
        if (NEXT_WEEK.matcher(t).find()) {
            int ahead = 8 - today.getDayOfWeek().getValue();
            return Optional.of(today.plusDays(ahead));
        }
        m = THE_ORDINAL.matcher(t);
        if (m.find()) return dayOfMonth(ordinal(m.group(2)), Optional.empty());
        return Optional.empty();
    }

    private Optional<LocalDate> dayOfMonth(int day, Optional<Month> month) {
        if (day < 1 || day > 31) return Optional.empty();
        LocalDate today = now.toLocalDate();
        for (int i = 0; i < 13; i++) {
            LocalDate first = today.withDayOfMonth(1).plusMonths(i);
            if (month.isPresent() && first.getMonth() != month.get()) continue;
            if (day > first.lengthOfMonth()) continue;
            LocalDate candidate = first.withDayOfMonth(day);
            if (!candidate.isBefore(today)) return Optional.of(candidate);
        }
        return Optional.empty();
    }

    private static int ordinal(String text) {
        String t = text.replaceAll(" (st|nd|rd|th)$", "").trim();
        if (t.matches("\\d+")) return Integer.parseInt(t);
        int base = 0;
        if (t.startsWith("twenty ")) {
            base = 20;
            t = t.substring(7);
        } else if (t.startsWith("thirty ")) {
            base = 30;
            t = t.substring(7);
        }
        if (t.equals("thirtieth")) return 30;
        int i = ORDINAL_WORDS.indexOf(t);
        return i < 0 ? -1 : base + i;
    }

    private static DayPart part(String t) {
        if (FIRST_THING.matcher(t).find()) return DayPart.FIRST_THING;
        if (LATE.matcher(t).find()) return DayPart.LATE;
        if (EVENING.matcher(t).find()) return DayPart.EVENING;
        boolean morning = MORNING.matcher(t).find();
        boolean afternoon = AFTERNOON.matcher(t).find();
        if (morning && !afternoon) return DayPart.MORNING;
        if (afternoon && !morning) return DayPart.AFTERNOON;
        return DayPart.ANY;
    }

    private static Optional<LocalTime> clock(String t, DayPart part) {
        Matcher m = CLOCK_COLON.matcher(t);
        if (m.find()) return at(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Optional.ofNullable(m.group(4)), part);
        m = HALF_PAST.matcher(t);
        if (m.find()) return at(hour(m.group(1)), 30, Optional.empty(), part);
        m = QUARTER_PAST.matcher(t);
        if (m.find()) return at(hour(m.group(1)), 15, Optional.empty(), part);
        m = QUARTER_TO.matcher(t);
        if (m.find()) return at(hour(m.group(1)) - 1, 45, Optional.empty(), part);
        m = CLOCK_AMPM.matcher(t);
        if (m.find()) return at(hour(m.group(1)), minutes(m.group(2)), Optional.of(m.group(3)), part);
        m = CLOCK_OCLOCK.matcher(t);
        if (m.find()) return at(hour(m.group(1)), 0, Optional.empty(), part);
        m = CLOCK_AFTER_WORD.matcher(t);
        if (m.find()) return at(hour(m.group(2)), minutes(m.group(3)), Optional.empty(), part);
        if (NOON.matcher(t).find()) return Optional.of(LocalTime.NOON);
        return Optional.empty();
    }

    private static int hour(String text) {
        return text.matches("\\d+") ? Integer.parseInt(text) : NUMBER_WORDS.indexOf(text);
    }

    private static int minutes(String text) {
        if (text == null) return 0;
        return switch (text.trim()) {
            case "thirty" -> 30;
            case "fifteen" -> 15;
            case "forty five" -> 45;
            default -> 0;
        };
    }

    /** 24-hour clocks stay; otherwise am/pm, the part of day, or the working-day guess (1-6 is afternoon). */
    private static Optional<LocalTime> at(int hour, int minute, Optional<String> ampm, DayPart part) {
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return Optional.empty();
        if (hour == 0 && ampm.isEmpty()) return Optional.empty();
        int h = hour;
        if (hour <= 12) {
            if (ampm.isPresent()) {
                h = ampm.get().equals("pm") ? (hour % 12) + 12 : hour % 12;
            } else if (part == DayPart.AFTERNOON || part == DayPart.EVENING || part == DayPart.LATE) {
                h = hour < 12 ? hour + 12 : 12;
            } else if (part == DayPart.MORNING || part == DayPart.FIRST_THING) {
                h = hour % 12;
            } else if (hour <= 6) {
                h = hour + 12;
            }
        }
        return Optional.of(LocalTime.of(h, minute));
    }

    private static Optional<Duration> fromNow(String t) {
        Matcher m = IN_HALF_HOUR.matcher(t);
        if (m.find()) return Optional.of(Duration.ofMinutes(30));
        m = IN_MINUTES.matcher(t);
        if (m.find()) {
            String n = m.group(1);
            int minutes = n.matches("\\d+") ? Integer.parseInt(n) : switch (n) {
                case "five" -> 5;
                case "ten" -> 10;
                case "fifteen" -> 15;
                case "twenty" -> 20;
                case "thirty" -> 30;
                case "forty" -> 40;
                default -> 45;
            };
            return Optional.of(Duration.ofMinutes(minutes));
        }
        m = IN_HOURS.matcher(t);
        if (m.find()) {
            int hours = switch (m.group(1)) {
                case "an", "one" -> 1;
                case "three", "3", "a few" -> 3;
                default -> 2;
            };
            return Optional.of(Duration.ofHours(hours));
        }
        return Optional.empty();
    }
}
