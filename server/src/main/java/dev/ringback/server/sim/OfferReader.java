package dev.ringback.server.sim;

import dev.ringback.agent.language.Normalizer;
import dev.ringback.agent.language.When;
import dev.ringback.agent.language.WhenParser;

import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the visit times an agent sentence proposes, from its words alone (as a caller hears them), with the
 * agent's own date parser for the day: "I can have someone there Thursday the third, between nine and eleven in the
 * morning." proposes Thursday, 09:00. A sentence that reports a booking already made ("You're booked in for ...",
 * "Your visit is now ...") or a call back proposes no visit.
 */
public final class OfferReader {
    private static final List<String> HOURS = List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
            "ten", "eleven", "twelve");
    private static final String HOUR = "(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|midday|noon|\\d{1,2})";
    private static final String MINUTES = "(?: (thirty|fifteen|forty five|oh five|\\d{2}))?";
    private static final String PART = "(?: in the (morning|afternoon|evening))?";
    private static final Pattern WINDOW = Pattern.compile("\\bbetween " + HOUR + MINUTES + PART + " and " + HOUR + MINUTES + PART);
    private static final Pattern DONE = Pattern.compile("\\b(booked in|youre booked|is now|all booked|ive booked|weve booked|call you|ring you)\\b");

    private final WhenParser when;

    /** @param now the moment the dialog's clock starts from (the SMS time), so "tomorrow" means what the agent meant */
    public OfferReader(LocalDateTime now) {
        this.when = new WhenParser(now);
    }

    /** The times the sentence proposes (none, one, or two for "..., or ...?"). */
    public List<OfferedTime> offers(String sentence) {
        String text = Normalizer.normalize(sentence);
        if (DONE.matcher(text).find()) return List.of();
        List<OfferedTime> offers = new ArrayList<>();
        for (String part : text.split("\\bor\\b")) {
            Matcher window = WINDOW.matcher(part);
            if (!window.find()) continue;
            When w = when.parse(part.substring(0, window.start()));
            if (w.date().isEmpty()) continue;
            windowStart(window).ifPresent(start -> offers.add(new OfferedTime(w.date().get(), start)));
        }
        return offers;
    }

    private static Optional<LocalTime> windowStart(Matcher m) {
        int startHour = hour(m.group(1)), endHour = hour(m.group(4));
        if (startHour < 0 || endHour < 0) return Optional.empty();
        String startPart = m.group(3), endPart = m.group(6);
        int minutes = minutes(m.group(2));
        int h;
        if ("midday".equals(m.group(1)) || "noon".equals(m.group(1))) {
            h = 12;
        } else if (startPart != null) {
            h = toDayHour(startHour, startPart);
        } else if (endPart != null && !(endPart.equals("afternoon") && startHour > endHour && startHour < 12)) {
            h = toDayHour(startHour, endPart);
        } else {
            h = startHour >= 7 && startHour <= 12 ? startHour : startHour + 12; // working-day guess, as the agent speaks
        }
        return h > 23 ? Optional.empty() : Optional.of(LocalTime.of(h, minutes));
    }

    private static int toDayHour(int hour, String part) {
        if (part.equals("morning")) return hour % 12;
        return hour == 12 ? 12 : hour + 12;
    }

    private static int hour(String word) {
        if (word.equals("midday") || word.equals("noon")) return 12;
        if (word.matches("\\d+")) return Integer.parseInt(word);
        return HOURS.indexOf(word);
    }

    private static int minutes(String word) {
        if (word == null) return 0;
        return switch (word) {
            case "thirty" -> 30;
            case "fifteen" -> 15;
            case "forty five" -> 45;
            case "oh five" -> 5;
            default -> word.matches("\\d{2}") ? Integer.parseInt(word) : 0;
        };
    }
}
