package dev.ringback.server.sms;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** At most {@code limit} webhooks per customer number in any sliding {@code windowNanos}; kept in memory only. */
public final class NumberRateLimiter {
    private static final int PRUNE_ABOVE = 10_000;

    private final int limit;
    private final long windowNanos;
    private final Map<String, Deque<Long>> recent = new ConcurrentHashMap<>();

    public NumberRateLimiter(int limit, Duration window) {
        this.limit = limit;
        this.windowNanos = window.toNanos();
    }

    /** Counts this webhook and says whether it is within the limit. */
    public boolean allow(String number, long nowNanos) {
        if (limit <= 0) return true;
        if (recent.size() > PRUNE_ABOVE) prune(nowNanos);
        boolean[] allowed = new boolean[1];
        recent.compute(number, (k, times) -> {
            Deque<Long> t = times == null ? new ArrayDeque<>() : times;
            while (!t.isEmpty() && nowNanos - t.peekFirst() >= windowNanos) t.pollFirst();
            allowed[0] = t.size() < limit;
            if (allowed[0]) t.addLast(nowNanos);
            return t;
        });
        return allowed[0];
    }

    private void prune(long nowNanos) {
        for (String number : recent.keySet()) {
            recent.computeIfPresent(number, (k, t) -> t.isEmpty() || nowNanos - t.peekLast() >= windowNanos ? null : t);
        }
    }
}
