package dev.ringback.agent.dialog;

import dev.ringback.agent.business.CustomerJob;
import dev.ringback.agent.language.Signal;
import dev.ringback.agent.language.Utterance;
import dev.ringback.agent.language.UtteranceParser;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What the customer's SMS thread already asks for, so a "yes" to the opening (or an answer that only gives the
 * details, "the Friday one") carries it on without the customer having to say it again.
 *
 * @param said the customer's texts read as one turn
 * @param text the customer's texts as written
 */
record ThreadRequest(Utterance said, String text) {
    /** The request, read against the customer's jobs. */
    enum Kind { NEW_JOB, CHANGE_BOOKING, CANCEL, MESSAGE, PRICE, NONE }

    /** "something's come up", "can't make it": a booked visit that no longer suits, in words the parser does not read as a move. */
    private static final Pattern BOOKING_NO_LONGER_SUITS = Pattern.compile(
            "\\b(come up|came up|cant make|cannot make|wont be (home|there|around|in)|not going to be (home|there|around)|need to change|change (my|the|our) (booking|appointment|time))\\b");

    static ThreadRequest of(List<String> inboundTexts, UtteranceParser parser) {
        String text = String.join(" ", inboundTexts);
        return new ThreadRequest(parser.parse(text), text);
    }

    Kind kind(List<CustomerJob> jobs) {
        boolean cancellable = jobs.stream().anyMatch(j -> j.status() == CustomerJob.Status.BOOKED || j.status() == CustomerJob.Status.OPEN);
        boolean booked = jobs.stream().anyMatch(CustomerJob::isBooked);
        if (said.has(Signal.CANCEL) && cancellable) return Kind.CANCEL;
        if (booked && (said.has(Signal.RESCHEDULE) || BOOKING_NO_LONGER_SUITS.matcher(said.normalized()).find())) return Kind.CHANGE_BOOKING;
        if (said.has(Signal.PRICE)) return Kind.PRICE;
        if (said.has(Signal.MESSAGE)) return Kind.MESSAGE;
        if (said.has(Signal.BOOK) || !said.services().isEmpty()) return Kind.NEW_JOB;
        return Kind.NONE;
    }
}
