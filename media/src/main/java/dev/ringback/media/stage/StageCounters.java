package dev.ringback.media.stage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.EnumMap;
import java.util.Map;

/**
 * What one media stage counts: packets in and out, drops by reason, and the time it spent on a sample of its
 * packets. Written by the session's event loop only, read from any thread by {@link #snapshot()}: the fields are
 * written with opaque stores (no fence on the hot path, unlike volatile) and read with opaque loads, so a reader sees
 * every count whole, at most a packet or two behind.
 *
 * <p>A stage calls {@link #enter()} as a packet comes in and then exactly one of {@link #pass}, {@link #drop} or
 * {@link #hold} with what {@code enter} returned; a packet held ({@link #hold}) is counted out later with
 * {@link #release()}. What went out is derived ({@code in - dropped - held + released}), so a packet that passes
 * costs one store: most stages pass nearly everything.
 */
public final class StageCounters {
    /**
     * One entry in this many is timed (a power of two): {@code System.nanoTime()} twice per packet would cost more than
     * most stages' work.
     */
    public static final int TIMING_SAMPLE = 64;
    private static final long NOT_TIMED = Long.MIN_VALUE;
    private static final DropReason[] REASONS = DropReason.values();
    private static final VarHandle IN;
    private static final VarHandle HELD;
    private static final VarHandle RELEASED;
    private static final VarHandle TIMED;
    private static final VarHandle TIMED_NANOS;
    private static final VarHandle DROPS = MethodHandles.arrayElementVarHandle(long[].class);

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            IN = lookup.findVarHandle(StageCounters.class, "in", long.class);
            HELD = lookup.findVarHandle(StageCounters.class, "held", long.class);
            RELEASED = lookup.findVarHandle(StageCounters.class, "released", long.class);
            TIMED = lookup.findVarHandle(StageCounters.class, "timed", long.class);
            TIMED_NANOS = lookup.findVarHandle(StageCounters.class, "timedNanos", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String stage;
    private long in;
    private long held;
    private long released;
    private long timed;
    private long timedNanos;
    private final long[] drops = new long[REASONS.length];

    public StageCounters(String stage) {
        this.stage = stage;
    }

    public String stage() {
        return stage;
    }

    /** One packet in; returns the stamp to hand to {@link #pass}, {@link #drop} or {@link #hold}. */
    public long enter() {
        long n = in;
        IN.setOpaque(this, n + 1);
        return (n & (TIMING_SAMPLE - 1)) == 0 ? System.nanoTime() : NOT_TIMED;
    }

    /** The packet entered at {@code stamp} goes on to the next stage. */
    public void pass(long stamp) {
        time(stamp);
    }

    /** The packet entered at {@code stamp} is thrown away for {@code reason}. */
    public void drop(DropReason reason, long stamp) {
        int i = reason.ordinal();
        DROPS.setOpaque(drops, i, drops[i] + 1);
        time(stamp);
    }

    /** The packet entered at {@code stamp} stays in the stage for now (a jitter buffer waiting for a gap). */
    public void hold(long stamp) {
        HELD.setOpaque(this, held + 1);
        time(stamp);
    }

    /** A packet held before goes on now. */
    public void release() {
        RELEASED.setOpaque(this, released + 1);
    }

    private void time(long stamp) {
        if (stamp != NOT_TIMED) {
            TIMED_NANOS.setOpaque(this, timedNanos + (System.nanoTime() - stamp));
            TIMED.setOpaque(this, timed + 1);
        }
    }

    public long in() {
        return (long) IN.getOpaque(this);
    }

    /** Packets passed on: every one in that was neither dropped nor is still held. */
    public long out() {
        return in() - dropped() - (long) HELD.getOpaque(this) + (long) RELEASED.getOpaque(this);
    }

    public long dropped(DropReason reason) {
        return (long) DROPS.getOpaque(drops, reason.ordinal());
    }

    /** Every drop, whatever the reason. */
    public long dropped() {
        long sum = 0;
        for (int i = 0; i < drops.length; i++) {
            sum += (long) DROPS.getOpaque(drops, i);
        }
        return sum;
    }

    public StageStats snapshot() {
        long entered = in();
        Map<DropReason, Long> byReason = new EnumMap<>(DropReason.class);
        long dropped = 0;
        for (DropReason reason : REASONS) {
            long n = dropped(reason);
            if (n > 0) {
                byReason.put(reason, n);
                dropped += n;
            }
        }
        long out = entered - dropped - (long) HELD.getOpaque(this) + (long) RELEASED.getOpaque(this);
        return new StageStats(stage, entered, out, byReason, (long) TIMED.getOpaque(this),
                (long) TIMED_NANOS.getOpaque(this));
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
