package dev.ringback.server.dispatch;

import dev.ringback.agent.business.BusinessProfile;
import dev.ringback.agent.store.BusinessStore;
import dev.ringback.agent.tools.ScheduleCallback;
import dev.ringback.agent.tools.ToolContext;
import dev.ringback.agent.tools.ToolRunner;
import dev.ringback.server.sms.CallbackRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * What the owner gets when Ringback could not call a customer: a message with the thread and the reason,
 * and (when attempts ran out) a callback scheduled through the agent's schedule_callback tool, which is
 * idempotent per request and attempt so a replay after a crash does not book it twice.
 */
public final class OwnerFollowUp {
    private static final Logger log = LoggerFactory.getLogger(OwnerFollowUp.class);
    private static final Duration STEP = Duration.ofMinutes(15);

    private final BusinessStore store;
    private final BusinessProfile business;
    private final Duration callbackAfter;

    public OwnerFollowUp(BusinessStore store, BusinessProfile business, Duration callbackAfter) {
        this.store = store;
        this.business = business;
        this.callbackAfter = callbackAfter;
    }

    /** A message only (workflow off, guard refusal). */
    public void message(CallbackRequest request, String about, String reason) {
        store.createMessageForOwner(request.customerPhone(), about,
                request.customerPhone() + " asked for a call (" + reason + "). Their texts: " + request.customerTexts(), reason);
    }

    /** Attempts ran out: a message plus a scheduled callback; returns the callback's local time when booked. */
    public Optional<LocalDateTime> gaveUp(CallbackRequest request, String reason) {
        Optional<LocalDateTime> at = scheduleCallback(request, reason);
        store.createMessageForOwner(request.customerPhone(), "callback not reached",
                "Could not reach " + request.customerPhone() + " after " + request.attempts() + " attempt(s): " + reason + ". "
                        + at.map(t -> "A callback is scheduled for " + t.format(DateTimeFormatter.ofPattern("EEE d MMM HH:mm")) + ". ")
                        .orElse("No callback could be scheduled. ")
                        + "Their texts: " + request.customerTexts(), reason);
        return at;
    }

    private Optional<LocalDateTime> scheduleCallback(CallbackRequest request, String reason) {
        LocalDateTime now = LocalDateTime.now(business.timezone()).truncatedTo(ChronoUnit.MINUTES);
        LocalDateTime at = firstOpenTime(now.plus(callbackAfter));
        var context = new ToolContext("request-" + request.id(), request.customerPhone(), now, business);
        try {
            new ToolRunner(store, context).run(request.attempts(),
                    new ScheduleCallback(request.customerPhone(), at, cut("Missed callback request: " + reason, 500)));
            return Optional.of(at);
        } catch (RuntimeException e) {
            log.warn("request {}: no callback scheduled for {}: {}", request.id(), at, e.getMessage());
            return Optional.empty();
        }
    }

    /** The first quarter hour at or after {@code from} when the business is open, within its booking horizon. */
    private LocalDateTime firstOpenTime(LocalDateTime from) {
        LocalDateTime t = from.truncatedTo(ChronoUnit.MINUTES);
        LocalDateTime limit = from.plusDays(Math.max(1, business.horizonDays()));
        for (; t.isBefore(limit); t = t.plus(STEP)) {
            if (business.isOpenAt(t)) return t;
        }
        return from;
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
