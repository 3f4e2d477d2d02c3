package dev.ringback.media;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Sends queued DTMF digits as RFC 4733 telephone-events, one packet per 20 ms tick in place of audio: all
 * packets of an event carry its start timestamp and the duration so far, the first has the marker bit, and
 * the end packet (E bit) goes out three times so one loss does not stretch the tone. Three ticks of ordinary
 * audio separate consecutive digits. Digits are queued from any thread; {@link #next} runs on the event loop.
 */
final class DtmfSender {
    static final String DIGITS = "0123456789*#ABCD";
    private static final int END_REPEATS = 3;
    private static final int GAP_TICKS = 3;
    /** Power level of the tone, -dBm0 (RFC 4733 2.3.4); 10 is what most phones send. */
    private static final int VOLUME = 10;

    private record Event(int code, int durationSamples, CompletableFuture<Void> sent) {
    }

    /** One telephone-event packet to send this tick; {@code sent} completes once it is written, if not null. */
    record Packet(boolean marker, long timestamp, CompletableFuture<Void> sent) {
    }

    private final ConcurrentLinkedQueue<Event> pending = new ConcurrentLinkedQueue<>();
    // event loop only
    private Event current;
    private long eventTimestamp;
    private int elapsedSamples;
    private int endsSent;
    private int gapTicks;

    CompletableFuture<Void> add(char digit, int durationMillis) {
        int code = DIGITS.indexOf(Character.toUpperCase(digit));
        if (code < 0) {
            throw new IllegalArgumentException("not a DTMF digit: '" + digit + "' (expected one of " + DIGITS + ")");
        }
        if (durationMillis < 40 || durationMillis > 5000) {
            throw new IllegalArgumentException("DTMF duration " + durationMillis + " ms is outside [40, 5000]");
        }
        CompletableFuture<Void> sent = new CompletableFuture<>();
        pending.add(new Event(code, durationMillis * 8, sent));
        return sent;
    }

    /** Completes every queued digit exceptionally (session closed). */
    void cancel() {
        Event e;
        while ((e = pending.poll()) != null) {
            e.sent.cancel(false);
        }
        if (current != null) {
            current.sent.cancel(false);
        }
    }

    /**
     * The telephone-event for this tick, its 4-byte payload written to {@code payload}, or null to send audio.
     *
     * @param timestamp the RTP timestamp this tick's packet would carry
     */
    Packet next(long timestamp, byte[] payload) {
        if (current == null) {
            if (gapTicks > 0) {
                gapTicks--;
                return null;
            }
            current = pending.poll();
            if (current == null) {
                return null;
            }
            eventTimestamp = timestamp;
            elapsedSamples = 0;
            endsSent = 0;
        }
        boolean marker = elapsedSamples == 0;
        elapsedSamples = Math.min(elapsedSamples + RtpSession.SAMPLES_PER_FRAME, current.durationSamples);
        boolean end = elapsedSamples >= current.durationSamples;
        payload[0] = (byte) current.code;
        payload[1] = (byte) ((end ? 0x80 : 0) | VOLUME);
        payload[2] = (byte) (elapsedSamples >> 8);
        payload[3] = (byte) elapsedSamples;
        CompletableFuture<Void> sent = null;
        if (end && ++endsSent == END_REPEATS) {
            sent = current.sent;
            current = null;
            gapTicks = GAP_TICKS;
        }
        return new Packet(marker, eventTimestamp, sent);
    }
}
