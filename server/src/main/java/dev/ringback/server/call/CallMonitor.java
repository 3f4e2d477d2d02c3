package dev.ringback.server.call;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Fans live call activity out to watchers (operator views, the demo's console). */
public final class CallMonitor {
    private static final Logger log = LoggerFactory.getLogger(CallMonitor.class);
    private final List<Consumer<CallActivity>> watchers = new CopyOnWriteArrayList<>();

    public AutoCloseable watch(Consumer<CallActivity> watcher) {
        watchers.add(watcher);
        return () -> watchers.remove(watcher);
    }

    void publish(CallActivity activity) {
        log.debug("{}", activity);
        for (var w : watchers) {
            try {
                w.accept(activity);
            } catch (RuntimeException e) {
                log.warn("call watcher failed on {}", activity, e);
            }
        }
    }
}
