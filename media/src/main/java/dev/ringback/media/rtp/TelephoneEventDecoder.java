package dev.ringback.media.rtp;

/**
 * Turns RFC 4733 telephone-event packets into one digit per key press. All packets of one event share
 * the RTP timestamp (the end packet is usually sent three times), so an event is new only when its
 * timestamp is later than the last one seen; a straggler of an earlier event is ignored.
 * Not thread-safe: one session's event loop owns it.
 */
public final class TelephoneEventDecoder {
    private static final String DIGITS = "0123456789*#ABCD";
    private boolean anySeen;
    private long lastTimestamp;

    /** The digit if this packet starts a new DTMF event, else -1 (continuation, repeat, other event, or malformed). */
    public int newDigit(byte[] payload, long timestamp) {
        if (payload.length < 4) {
            return -1;
        }
        if (anySeen && (int) (timestamp - lastTimestamp) <= 0) {
            return -1;
        }
        anySeen = true;
        lastTimestamp = timestamp;
        int event = payload[0] & 0xFF;
        return event < DIGITS.length() ? DIGITS.charAt(event) : -1;
    }
}
