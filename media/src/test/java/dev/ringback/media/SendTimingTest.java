package dev.ringback.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SendTimingTest {
    private static final long MS = 1_000_000L;

    @Test
    void anIntervalIsBucketedByItsDistanceFromTwentyMillisecondsEitherWay() {
        assertEquals(0, SendTiming.bucket(20 * MS));
        assertEquals(0, SendTiming.bucket(20 * MS + 49_000));
        assertEquals(1, SendTiming.bucket(20 * MS + 50_000));
        assertEquals(SendTiming.bucket(23 * MS), SendTiming.bucket(17 * MS), "early and late alike");
        assertEquals(60, SendTiming.bucket(23 * MS));
        assertEquals(SendTiming.BUCKETS - 1, SendTiming.bucket(200 * MS), "everything past 25 ms in the last");
    }

    @Test
    void percentilesAreTheUpperEdgeOfTheBucketThatReachesTheRank() {
        long[] counts = new long[SendTiming.BUCKETS];
        counts[SendTiming.bucket(20 * MS)] = 98; // within 50 µs
        counts[SendTiming.bucket(21 * MS)] = 1; // 1 ms off
        counts[SendTiming.bucket(25 * MS)] = 1; // 5 ms off
        SendTiming timing = new SendTiming(counts);

        assertEquals(100, timing.intervals());
        assertEquals(0.05, timing.percentileMillis(50), 1e-9);
        assertEquals(1.05, timing.percentileMillis(99), 1e-9);
        assertEquals(5.05, timing.percentileMillis(99.9), 1e-9);
        assertEquals(0, SendTiming.empty().percentileMillis(99));
    }

    @Test
    void aWindowIsTheLaterSnapshotMinusTheEarlierAndSessionsAddUp() {
        long[] early = new long[SendTiming.BUCKETS];
        early[0] = 10;
        long[] late = new long[SendTiming.BUCKETS];
        late[0] = 15;
        late[3] = 2;
        SendTiming window = new SendTiming(late).minus(new SendTiming(early));
        assertEquals(7, window.intervals());
        assertEquals(24, window.plus(new SendTiming(late)).intervals());
        early[0] = 1000; // the snapshot keeps its own copy
        assertEquals(7, window.intervals());
        assertThrows(IllegalArgumentException.class, () -> new SendTiming(new long[3]));
    }
}
