package dev.ringback.media;

/**
 * Receives DTMF digits sent as RFC 4733 telephone-events ('0'-'9', '*', '#', 'A'-'D'), once per key press,
 * as soon as the first packet of the event arrives. Called on the session's event loop: must not block.
 */
@FunctionalInterface
public interface DtmfListener {
    void onDigit(char digit, long arrivalNanos);
}
