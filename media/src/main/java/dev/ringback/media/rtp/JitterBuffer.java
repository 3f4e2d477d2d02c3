package dev.ringback.media.rtp;

import dev.ringback.media.stage.DropReason;
import dev.ringback.media.stage.StageCounters;
import java.util.Arrays;
import java.util.TreeMap;

/**
 * Puts received RTP payloads back in sequence order. A packet in order is released at once (no added
 * latency); a gap holds later packets until the missing one arrives, {@code reorderDepth} packets are
 * waiting, or the oldest waited {@code maxWaitNanos} — then the gap is declared lost. Duplicates and packets
 * whose slot has already been played are dropped, and counted in its {@link #counters()} ({@code jitter-buffer}: in
 * per push, out per packet released in order). Not thread-safe: one session's event loop owns it.
 */
public final class JitterBuffer {
    /** Receives what comes out, in sequence order. */
    public interface Sink {
        void onPayload(byte[] payload, long arrivalNanos);

        /** One packet's worth of audio is missing and must be concealed. */
        void onLost(long nowNanos);
    }

    /**
     * A jump this large (2 s) either way is a sender restart, not loss or lateness: resynchronise instead of
     * concealing 2 s or dropping everything as late.
     */
    private static final int MAX_JUMP = 100;
    private static final int HISTORY = 64;

    private record Entry(byte[] payload, long arrivalNanos) {
    }

    private final int reorderDepth;
    private final long maxWaitNanos;
    private final Sink sink;
    private final TreeMap<Long, Entry> held = new TreeMap<>();
    private final long[] released = new long[HISTORY];
    private boolean started;
    private long ssrc;
    private long next;
    private final StageCounters counters = new StageCounters("jitter-buffer");
    private volatile long lost;

    public JitterBuffer(int reorderDepth, long maxWaitNanos, Sink sink) {
        this.reorderDepth = reorderDepth;
        this.maxWaitNanos = maxWaitNanos;
        this.sink = sink;
        Arrays.fill(released, Long.MIN_VALUE);
    }

    /**
     * @param payload null for a packet that takes a sequence number but carries no audio (telephone-event)
     * @return whether the buffer kept {@code payload} to release later (else it was played or dropped before this
     *         returned, and the caller may reuse the array)
     */
    public boolean push(int sequence, long packetSsrc, byte[] payload, long arrivalNanos) {
        long stamp = counters.enter();
        if (started && packetSsrc != ssrc) {
            releaseAllHeld(arrivalNanos);
            started = false;
        }
        if (!started) {
            started = true;
            ssrc = packetSsrc;
            next = sequence;
        }
        long extended = next + (short) (sequence - (int) (next & 0xFFFF));
        long ahead = extended - next;
        if (ahead > MAX_JUMP || ahead < -MAX_JUMP) {
            releaseAllHeld(arrivalNanos);
            next = extended;
            ahead = 0;
        }
        if (ahead == 0 && held.isEmpty()) { // the usual case: in order, nothing waiting
            released[(int) (next & (HISTORY - 1))] = next;
            next++;
            if (payload != null) {
                sink.onPayload(payload, arrivalNanos);
            }
            counters.pass(stamp);
            return false;
        }
        if (ahead < 0) {
            boolean duplicate = released[(int) (extended & (HISTORY - 1))] == extended;
            counters.drop(duplicate ? DropReason.DUPLICATE : DropReason.LATE, stamp);
            return false;
        }
        if (held.putIfAbsent(extended, new Entry(payload, arrivalNanos)) != null) {
            counters.drop(DropReason.DUPLICATE, stamp);
            return false;
        }
        releaseInOrder();
        if (held.size() > reorderDepth) {
            concealGapAndRelease(arrivalNanos);
        }
        counters.hold(stamp); // counted out as it is released, maybe just now
        return held.containsKey(extended);
    }

    /** Called every tick: gives up on a gap whose later packets have waited too long. */
    public void poll(long nowNanos) {
        if (!held.isEmpty() && oldestArrival() + maxWaitNanos <= nowNanos) {
            concealGapAndRelease(nowNanos);
        }
    }

    public boolean holding() {
        return !held.isEmpty();
    }

    public long lost() {
        return lost;
    }

    public long late() {
        return counters.dropped(DropReason.LATE);
    }

    public long duplicates() {
        return counters.dropped(DropReason.DUPLICATE);
    }

    public StageCounters counters() {
        return counters;
    }

    private long oldestArrival() {
        long oldest = Long.MAX_VALUE;
        for (Entry e : held.values()) {
            oldest = Math.min(oldest, e.arrivalNanos);
        }
        return oldest;
    }

    private void releaseAllHeld(long nowNanos) {
        while (!held.isEmpty()) {
            concealGapAndRelease(nowNanos);
        }
    }

    private void concealGapAndRelease(long nowNanos) {
        long firstHeld = held.firstKey();
        while (next < firstHeld) {
            lost++;
            next++;
            sink.onLost(nowNanos);
        }
        releaseInOrder();
    }

    private void releaseInOrder() {
        Entry e;
        while ((e = held.remove(next)) != null) {
            released[(int) (next & (HISTORY - 1))] = next;
            next++;
            counters.release();
            if (e.payload != null) {
                sink.onPayload(e.payload, e.arrivalNanos);
            }
        }
    }
}
