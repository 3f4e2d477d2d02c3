package dev.ringback.media;

import java.util.Arrays;

/**
 * How evenly a session's packets left: for each packet sent right after another (not after a hold), the error
 * |interval − 20 ms|, counted in {@value #BUCKET_MICROS} µs buckets up to 25 ms, the last bucket holding everything
 * larger. Stamped as each packet is handed to the socket, so it is the send-interval error itself, without the far
 * end's receive delay. A snapshot: {@link #minus} gives the counts of a window.
 */
public record SendTiming(long[] counts) {
    static final int BUCKET_MICROS = 50;
    static final int BUCKETS = 25_000 / BUCKET_MICROS + 1;

    public SendTiming {
        if (counts.length != BUCKETS) {
            throw new IllegalArgumentException("expected " + BUCKETS + " buckets, got " + counts.length);
        }
        counts = counts.clone();
    }

    static SendTiming empty() {
        return new SendTiming(new long[BUCKETS]);
    }

    /** The bucket for one interval between two sends. */
    static int bucket(long intervalNanos) {
        long errorMicros = Math.abs(intervalNanos - PacingClock.PERIOD_NANOS) / 1_000;
        return (int) Math.min(BUCKETS - 1, errorMicros / BUCKET_MICROS);
    }

    @Override
    public long[] counts() {
        return counts.clone();
    }

    public long intervals() {
        return Arrays.stream(counts).sum();
    }

    /** The error that {@code percent} % of the intervals stay within, in ms (a bucket's upper edge; 0 if none). */
    public double percentileMillis(double percent) {
        long total = intervals();
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(percent / 100 * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return (i + 1) * BUCKET_MICROS / 1000.0;
            }
        }
        return BUCKETS * BUCKET_MICROS / 1000.0;
    }

    public SendTiming plus(SendTiming other) {
        long[] sum = counts.clone();
        for (int i = 0; i < BUCKETS; i++) {
            sum[i] += other.counts[i];
        }
        return new SendTiming(sum);
    }

    public SendTiming minus(SendTiming earlier) {
        long[] difference = counts.clone();
        for (int i = 0; i < BUCKETS; i++) {
            difference[i] -= earlier.counts[i];
        }
        return new SendTiming(difference);
    }
}
