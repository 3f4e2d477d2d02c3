package dev.ringback.media.stage;

import java.util.Map;

/**
 * A snapshot of one media stage's counters.
 *
 * @param stage       the stage's name, e.g. {@code rtp-latch}
 * @param in          packets (or, for the sender, ticks) that entered the stage
 * @param out         packets the stage passed on
 * @param drops       packets thrown away, by reason; reasons that never happened are absent
 * @param timed       entries whose time in the stage was measured (one in {@value StageCounters#TIMING_SAMPLE}, the
 *                    first included): timing every packet would cost more than most stages' work
 * @param timedNanos  the time those entries spent in the stage: its own work, not the stages after it, except that
 *                    the jitter buffer's includes the decoding and the audio listeners it releases packets to
 */
public record StageStats(String stage, long in, long out, Map<DropReason, Long> drops, long timed, long timedNanos) {
    public StageStats {
        drops = Map.copyOf(drops);
    }

    public long dropped() {
        long sum = 0;
        for (long n : drops.values()) {
            sum += n;
        }
        return sum;
    }

    public long dropped(DropReason reason) {
        return drops.getOrDefault(reason, 0L);
    }

    /** Mean time in the stage per entry, from the timed ones; 0 before the first. */
    public double nanosPerPacket() {
        return timed == 0 ? 0 : (double) timedNanos / timed;
    }

    @Override
    public String toString() {
        return stage + "[in " + in + ", out " + out + (drops.isEmpty() ? "" : ", dropped " + drops)
                + String.format(", %.0f ns]", nanosPerPacket());
    }
}
