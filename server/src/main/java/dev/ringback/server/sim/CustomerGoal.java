package dev.ringback.server.sim;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Objects;
import java.util.Optional;

/**
 * The time the simulated customer will take (in the terms of a scenario's booking arguments) and what it says to
 * any other proposed time.
 */
public record CustomerGoal(Optional<LocalDate> date, Optional<LocalTime> windowStartsBefore, Optional<LocalTime> windowStartsAtOrAfter,
                           String refuseOffer) {
    public CustomerGoal {
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(windowStartsBefore, "windowStartsBefore");
        Objects.requireNonNull(windowStartsAtOrAfter, "windowStartsAtOrAfter");
        Objects.requireNonNull(refuseOffer, "refuseOffer");
    }

    /** The {@code customer_goal} of a scenario file, if it has one. */
    public static Optional<CustomerGoal> fromScenarioFile(java.nio.file.Path yaml) {
        try {
            var root = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(yaml.toFile());
            var goal = root.path("customer_goal");
            if (goal.isMissingNode() || goal.isNull()) return Optional.empty();
            var accepts = goal.path("accepts");
            return Optional.of(new CustomerGoal(
                    accepts.hasNonNull("date") ? Optional.of(LocalDate.parse(accepts.get("date").asText())) : Optional.empty(),
                    accepts.hasNonNull("window_starts_before") ? Optional.of(LocalTime.parse(accepts.get("window_starts_before").asText())) : Optional.empty(),
                    accepts.hasNonNull("window_starts_at_or_after") ? Optional.of(LocalTime.parse(accepts.get("window_starts_at_or_after").asText())) : Optional.empty(),
                    goal.path("refuse_offer").asText("No, that doesn't suit me.")));
        } catch (java.io.IOException | java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(yaml + ": customer_goal: " + e.getMessage(), e);
        }
    }

    public boolean accepts(OfferedTime offer) {
        return date.map(offer.date()::equals).orElse(true)
                && windowStartsBefore.map(offer.windowStart()::isBefore).orElse(true)
                && windowStartsAtOrAfter.map(t -> !offer.windowStart().isBefore(t)).orElse(true);
    }
}
