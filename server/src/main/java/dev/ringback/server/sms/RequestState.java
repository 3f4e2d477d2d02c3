package dev.ringback.server.sms;

import java.util.Locale;

/** Life of a callback request. Every request ends in one of the terminal states. */
public enum RequestState {
    PENDING(false), DIALLING(false), RINGING(false), ANSWERED(false),
    COMPLETED(true), BUSY(true), NO_ANSWER(true), FAILED(true),
    /** The workflow was off (or the call could not be made): the owner got a message instead. */
    OWNER_MESSAGED(true),
    /** The toll-fraud guard would not dial the number (country code, rate): the owner got a message instead. */
    REFUSED(true);

    private final boolean terminal;

    RequestState(boolean terminal) {
        this.terminal = terminal;
    }

    public boolean terminal() {
        return terminal;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
