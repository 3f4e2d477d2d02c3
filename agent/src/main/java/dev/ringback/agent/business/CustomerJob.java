package dev.ringback.agent.business;

import java.time.LocalDate;
import java.util.Optional;

/** A job of a customer as the store knows it: booked (date + window), open, cancelled or done. */
public record CustomerJob(String id, String customerPhone, String service, String description, Status status,
                          Optional<LocalDate> date, Optional<ArrivalWindow> window, Optional<LocalDate> doneOn) {
    public enum Status { OPEN, BOOKED, CANCELLED, DONE }

    public boolean isBooked() {
        return status == Status.BOOKED && date.isPresent() && window.isPresent();
    }
}
