package dev.ringback.agent.scenario;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Objects;
import java.util.Optional;

/**
 * What the simulated customer holds the agent to over audio (a scenario's {@code customer_goal}): the visit
 * time they will take, and what they say to any other time offered.
 */
public record CustomerGoal(AcceptedTime accepts, String refuseOffer) {

    /**
     * The time the customer takes, in the terms of the booking arguments of {@code expect.tools}; an absent
     * part accepts anything.
     */
    public record AcceptedTime(Optional<LocalDate> date, Optional<LocalTime> windowStartsBefore,
                               Optional<LocalTime> windowStartsAtOrAfter) {
        public AcceptedTime {
            Objects.requireNonNull(date, "date");
            Objects.requireNonNull(windowStartsBefore, "windowStartsBefore");
            Objects.requireNonNull(windowStartsAtOrAfter, "windowStartsAtOrAfter");
            if (date.isEmpty() && windowStartsBefore.isEmpty() && windowStartsAtOrAfter.isEmpty()) {
                throw new IllegalArgumentException("accepts nothing in particular: give a date or a window start");
            }
            if (windowStartsBefore.isPresent() && windowStartsAtOrAfter.isPresent()
                    && !windowStartsAtOrAfter.get().isBefore(windowStartsBefore.get())) {
                throw new IllegalArgumentException("no window starts at or after " + windowStartsAtOrAfter.get()
                        + " and before " + windowStartsBefore.get());
            }
        }

        public boolean includes(LocalDate day, LocalTime windowStart) {
            return date.map(day::equals).orElse(true)
                    && windowStartsBefore.map(windowStart::isBefore).orElse(true)
                    && windowStartsAtOrAfter.map(t -> !windowStart.isBefore(t)).orElse(true);
        }
    }

    public CustomerGoal {
        Objects.requireNonNull(accepts, "accepts");
        Objects.requireNonNull(refuseOffer, "refuseOffer");
        if (refuseOffer.isBlank()) throw new IllegalArgumentException("refuse_offer is empty");
    }

    /** Whether the customer takes a visit offered on that day in the window starting then (how they judge an offer). */
    public boolean takes(LocalDate day, LocalTime windowStart) {
        return accepts.includes(day, windowStart);
    }
}
