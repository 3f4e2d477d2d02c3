package dev.ringback.sip;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A CallListener that keeps every event, in order, and lets a test wait for one kind. */
final class EventRecorder implements CallListener {
    private final LinkedBlockingQueue<CallEvent> pending = new LinkedBlockingQueue<>();
    private final List<CallEvent> all = new ArrayList<>();

    @Override
    public void onEvent(CallEvent event) {
        synchronized (all) {
            all.add(event);
        }
        pending.add(event);
    }

    /** The next event of type {@code type}, skipping others (they stay in {@link #events()}). */
    <T extends CallEvent> T await(Class<T> type, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            CallEvent event = left > 0 ? pending.poll(left, TimeUnit.NANOSECONDS) : null;
            if (event == null) return fail("no " + type.getSimpleName() + " within " + timeout + "; events so far: " + events());
            if (type.isInstance(event)) return type.cast(event);
        }
    }

    List<CallEvent> events() {
        synchronized (all) {
            return List.copyOf(all);
        }
    }

    /** Events of one kind seen so far. */
    long count(Class<? extends CallEvent> type) {
        return events().stream().filter(type::isInstance).count();
    }

    /** Exactly one terminal event so far, and nothing after it. */
    void assertSingleTerminalLast() {
        List<CallEvent> events = events();
        long terminal = events.stream().filter(e -> e instanceof CallEvent.Ended || e instanceof CallEvent.Failed).count();
        if (terminal != 1) fail("expected exactly one Ended/Failed, got " + events);
        CallEvent last = events.get(events.size() - 1);
        if (!(last instanceof CallEvent.Ended || last instanceof CallEvent.Failed)) fail("terminal event is not last: " + events);
        for (Class<?> kind : List.of(CallEvent.Ringing.class, CallEvent.EarlyMedia.class, CallEvent.Answered.class)) {
            if (events.stream().filter(kind::isInstance).count() > 1) fail("duplicate " + kind.getSimpleName() + ": " + events);
        }
    }
}
