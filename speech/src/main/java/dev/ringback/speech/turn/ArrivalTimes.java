package dev.ringback.speech.turn;

/** When each recent frame arrived, so VAD sample positions map back to System.nanoTime(). */
final class ArrivalTimes {

    private final long[] firstSample;
    private final long[] arrivalNanos;
    private long count;

    ArrivalTimes(int frames) {
        this.firstSample = new long[frames];
        this.arrivalNanos = new long[frames];
    }

    void add(long frameFirstSample, long nanos) {
        int i = (int) (count++ % firstSample.length);
        firstSample[i] = frameFirstSample;
        arrivalNanos[i] = nanos;
    }

    /** Arrival of the frame holding {@code sample}; the oldest frame still known if it is older. */
    long arrivalOf(long sample) {
        long oldest = Math.max(0, count - firstSample.length);
        for (long k = count - 1; k >= oldest; k--) {
            int i = (int) (k % firstSample.length);
            if (firstSample[i] <= sample) {
                return arrivalNanos[i];
            }
        }
        return count == 0 ? System.nanoTime() : arrivalNanos[(int) (oldest % firstSample.length)];
    }
}
