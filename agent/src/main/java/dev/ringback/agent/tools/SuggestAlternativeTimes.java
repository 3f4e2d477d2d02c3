package dev.ringback.agent.tools;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Finds free arrival windows nearest to a date (read-only), optionally only windows starting at or after /
 * before a time of day (the customer's "morning" or "afternoon").
 */
public record SuggestAlternativeTimes(LocalDate around, Optional<LocalTime> startsAtOrAfter, Optional<LocalTime> startsBefore,
                                      int maxOptions) implements ToolCall {
    public static final String NAME = "suggest_alternative_times";

    public SuggestAlternativeTimes {
        Checks.present(NAME, "around", around);
        startsAtOrAfter = startsAtOrAfter == null ? Optional.empty() : startsAtOrAfter;
        startsBefore = startsBefore == null ? Optional.empty() : startsBefore;
        if (maxOptions < 1 || maxOptions > 5) {
            throw new ToolArgumentException(NAME, ToolArgumentException.Problem.BAD_FORMAT, "max_options must be 1..5");
        }
    }

    @Override public String tool() {
        return NAME;
    }

    @Override public Map<String, Object> args() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("around", around.toString());
        startsAtOrAfter.ifPresent(t -> args.put("starts_at_or_after", t.toString()));
        startsBefore.ifPresent(t -> args.put("starts_before", t.toString()));
        args.put("max_options", maxOptions);
        return args;
    }

    @Override public boolean readOnly() {
        return true;
    }
}
