package dev.ringback.speech.turn;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bounded thread pool all calls share for VAD and ASR work (one per server). Calls keep their
 * own order by never having more than one task queued here at a time (see {@link TurnDetector}).
 */
public final class SpeechWorkers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SpeechWorkers.class);

    private final ThreadPoolExecutor pool;
    /**
     * Threads that only wait for a recogniser's final result. Kept apart from {@link #pool} so a slow
     * decode never stops VAD from reading the next frames of any call.
     */
    private final ExecutorService finishers;
    private final AtomicLong rejected = new AtomicLong();

    /**
     * @param threads       worker threads (the cores: VAD and ASR are CPU-bound)
     * @param queueCapacity tasks waiting for a thread; at least the number of concurrent calls
     */
    public SpeechWorkers(int threads, int queueCapacity) {
        if (threads < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException("threads and queueCapacity must be >= 1");
        }
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queueCapacity), r -> {
            Thread t = new Thread(r, "speech-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        AtomicInteger f = new AtomicInteger();
        this.finishers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "asr-finish-" + f.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Where blocking waits for recognition results run. */
    Executor finishers() {
        return finishers;
    }

    /** One thread per core, room for 1024 waiting tasks. */
    public static SpeechWorkers sizedToCores() {
        return new SpeechWorkers(Runtime.getRuntime().availableProcessors(), 1024);
    }

    /** Queues a task without ever blocking; false (and counted) when the pool is saturated or closed. */
    boolean tryExecute(Runnable task) {
        try {
            pool.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            rejected.incrementAndGet();
            return false;
        }
    }

    /** Tasks refused because the queue was full. */
    public long rejectedTasks() {
        return rejected.get();
    }

    @Override
    public void close() {
        finishers.shutdown();
        pool.shutdown();
        try {
            if (!pool.awaitTermination(2, TimeUnit.SECONDS)) {
                log.warn("speech workers still busy after 2 s, interrupting");
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
