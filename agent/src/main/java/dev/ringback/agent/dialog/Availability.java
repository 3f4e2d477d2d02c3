package dev.ringback.agent.dialog;

import dev.ringback.agent.business.ArrivalWindow;
import dev.ringback.agent.business.BusinessProfile;
import dev.ringback.agent.language.DayPart;
import dev.ringback.agent.language.When;
import dev.ringback.agent.store.BusinessStore;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** Answers "when could someone come?" for a request: the first free window, or why there is none. */
public final class Availability {
    /** A free arrival window on a date. */
    public record Slot(LocalDate date, ArrivalWindow window) {}

    /** Why a request has no free window (TURNED_DOWN: the free ones are all times the customer already said no to). */
    public enum Refusal { DAY_PASSED, BEYOND_HORIZON, CLOSED, NO_SUCH_TIME, TOO_LATE, FULL, TURNED_DOWN }

    /** The day looked at and either a free slot or the refusal. */
    public record Plan(LocalDate date, Optional<Slot> slot, Optional<Refusal> refusal) {}

    private final BusinessProfile business;
    private final BusinessStore store;
    private final LocalDateTime now;

    public Availability(BusinessProfile business, BusinessStore store, LocalDateTime now) {
        this.business = business;
        this.store = store;
        this.now = now;
    }

    /** turnedDown: slots the customer has said no to in this call; they are never offered. */
    public Plan plan(When when, Predicate<Slot> turnedDown) {
        LocalDate today = now.toLocalDate();
        LocalDate date = when.date().orElseGet(() -> earliestDayFor(when.part(), when.clock(), turnedDown));
        if (date.isBefore(today)) return refused(date, Refusal.DAY_PASSED);
        if (date.isAfter(today.plusDays(business.horizonDays()))) return refused(date, Refusal.BEYOND_HORIZON);
        List<ArrivalWindow> windows = business.windowsOn(date);
        if (windows.isEmpty()) return refused(date, Refusal.CLOSED);
        List<ArrivalWindow> wanted = matching(windows, when.part(), when.clock());
        if (wanted.isEmpty()) return refused(date, Refusal.NO_SUCH_TIME);
        List<ArrivalWindow> open = wanted.stream().filter(w -> business.stillBookable(date, w, now)).toList();
        if (open.isEmpty()) return refused(date, Refusal.TOO_LATE);
        Map<LocalTime, Integer> taken = store.bookedCounts(date);
        List<ArrivalWindow> free = open.stream().filter(w -> taken.getOrDefault(w.start(), 0) < business.jobsPerWindow()).toList();
        if (free.isEmpty()) return refused(date, Refusal.FULL);
        return free.stream().map(w -> new Slot(date, w)).filter(turnedDown.negate()).findFirst()
                .map(slot -> new Plan(date, Optional.of(slot), Optional.<Refusal>empty()))
                .orElseGet(() -> refused(date, Refusal.TURNED_DOWN));
    }

    /** The first day from today with a free window of that kind not turned down (today when there is none in the horizon). */
    public LocalDate earliestDayFor(DayPart part, Optional<LocalTime> clock, Predicate<Slot> turnedDown) {
        LocalDate today = now.toLocalDate();
        for (int i = 0; i <= business.horizonDays(); i++) {
            LocalDate d = today.plusDays(i);
            List<ArrivalWindow> candidates = matching(business.windowsOn(d), part, clock).stream()
                    .filter(w -> business.stillBookable(d, w, now)).toList();
            if (candidates.isEmpty()) continue;
            Map<LocalTime, Integer> taken = store.bookedCounts(d);
            if (candidates.stream().anyMatch(w -> taken.getOrDefault(w.start(), 0) < business.jobsPerWindow() && !turnedDown.test(new Slot(d, w)))) {
                return d;
            }
        }
        return today;
    }

    /** The windows a part of the day or a clock time asks for ("first thing" is the day's first window). */
    public static List<ArrivalWindow> matching(List<ArrivalWindow> windows, DayPart part, Optional<LocalTime> clock) {
        if (clock.isPresent()) {
            // the window that covers the time, else the next one to start; none when the day is over by then
            List<ArrivalWindow> containing = windows.stream().filter(w -> w.contains(clock.get())).toList();
            if (!containing.isEmpty()) return containing;
            return windows.stream().filter(w -> w.start().isAfter(clock.get())).limit(1).toList();
        }
        return switch (part) {
            case ANY -> windows;
            case MORNING -> windows.stream().filter(w -> w.start().isBefore(LocalTime.NOON)).toList();
            case AFTERNOON -> windows.stream().filter(w -> !w.start().isBefore(LocalTime.NOON)).toList();
            case FIRST_THING -> windows.isEmpty() ? windows : List.of(windows.get(0));
            case LATE, EVENING -> windows.isEmpty() ? windows : List.of(windows.get(windows.size() - 1));
        };
    }

    private static Plan refused(LocalDate date, Refusal refusal) {
        return new Plan(date, Optional.empty(), Optional.of(refusal));
    }
}
