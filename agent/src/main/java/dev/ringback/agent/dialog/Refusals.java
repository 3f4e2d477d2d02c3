package dev.ringback.agent.dialog;

import dev.ringback.agent.business.BusinessProfile;
import dev.ringback.agent.language.DayPart;
import dev.ringback.agent.language.When;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The visit times the customer turned down in this call ("no", "not today", "not the morning"), so the agent
 * never offers or books them again. Asking for such a time outright later ("Thursday first thing after all")
 * takes the refusal back. One per call; not thread-safe.
 */
final class Refusals {
    private final BusinessProfile business;
    private final Set<Availability.Slot> slots = new LinkedHashSet<>();
    /** Whole days or parts of days: a date and/or a part of the day (with or without a clock time). */
    private final List<When> times = new ArrayList<>();

    Refusals(BusinessProfile business) {
        this.business = business;
    }

    void refuse(Availability.Slot slot) {
        slots.add(slot);
    }

    /** A time ruled out in words; a part of the day without a day is taken on the day being talked about, when there is one. */
    void refuse(When refused, Optional<LocalDate> dayTalkedAbout) {
        if (refused.isEmpty()) return;
        When w = refused.date().isEmpty() && dayTalkedAbout.isPresent() ? refused.withDate(dayTalkedAbout.get()) : refused;
        times.add(w);
    }

    boolean rulesOut(Availability.Slot slot) {
        return slots.contains(slot) || times.stream().anyMatch(t -> covers(t, slot));
    }

    boolean isEmpty() {
        return slots.isEmpty() && times.isEmpty();
    }

    /** The customer now asks for this outright: refusals it names at least as precisely are taken back. */
    void takeBackFor(When wanted, Optional<LocalDate> dayTalkedAbout) {
        if (wanted.isEmpty()) return;
        Optional<LocalDate> day = wanted.date().or(() -> dayTalkedAbout);
        if (day.isEmpty()) return;
        List<Availability.Slot> asked = Availability.matching(business.windowsOn(day.get()), wanted.part(), wanted.clock()).stream()
                .map(w -> new Availability.Slot(day.get(), w)).toList();
        boolean oneWindow = wanted.clock().isPresent() || wanted.part() == DayPart.FIRST_THING || wanted.part() == DayPart.LATE;
        if (oneWindow) asked.forEach(slots::remove);
        times.removeIf(t -> (t.date().isEmpty() || wanted.date().isPresent())
                && (!t.hasTimeOfDay() || wanted.hasTimeOfDay())
                && asked.stream().anyMatch(slot -> covers(t, slot)));
    }

    private boolean covers(When refused, Availability.Slot slot) {
        if (refused.date().isPresent() && !refused.date().get().equals(slot.date())) return false;
        return Availability.matching(business.windowsOn(slot.date()), refused.part(), refused.clock()).contains(slot.window());
    }
}
