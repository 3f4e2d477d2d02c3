package dev.ringback.agent.dialog;

import dev.ringback.agent.language.When;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Optional;

/** Turns "at three", "in an hour", "tomorrow morning" into a call-back moment after now (business-local). */
public final class CallbackTimes {
    private CallbackTimes() {}

    public static Optional<LocalDateTime> resolve(When when, LocalDateTime now) {
        if (when.fromNow().isPresent()) {
            LocalDateTime at = now.plus(when.fromNow().get());
            int round = (5 - at.getMinute() % 5) % 5;
            return Optional.of(at.plusMinutes(round));
        }
        if (when.clock().isPresent()) {
            LocalDate d = when.date().orElse(now.toLocalDate());
            LocalDateTime at = LocalDateTime.of(d, when.clock().get());
            // "at three" said after three means tomorrow
            if (!at.isAfter(now) && when.date().isEmpty()) at = at.plusDays(1);
            return at.isAfter(now) ? Optional.of(at) : Optional.empty();
        }
        if (when.date().isPresent() && when.hasTimeOfDay()) {
            LocalTime t = switch (when.part()) {
                case FIRST_THING -> LocalTime.of(8, 0);
                case AFTERNOON -> LocalTime.of(14, 0);
                case LATE -> LocalTime.of(16, 0);
                case EVENING -> LocalTime.of(18, 0);
                case MORNING, ANY -> LocalTime.of(9, 0);
            };
            LocalDateTime at = LocalDateTime.of(when.date().get(), t);
            return at.isAfter(now) ? Optional.of(at) : Optional.empty();
        }
        return Optional.empty();
    }
}
