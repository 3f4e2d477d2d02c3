package dev.ringback.sip;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark, not a test (not run by surefire): one SipUserAgent against a SIPp UAS (uas_bench.xml, no RTP) on 127.0.0.1.
 * <ol>
 *   <li>call set-up rate: complete INVITE→200→ACK→BYE→200 cycles per second with {@code inFlight} calls at a time;</li>
 *   <li>concurrent dialogs: calls are added in steps of {@code step} and held; the figure is the most held while every
 *       transaction so far succeeded (stops at the first failure, a step slower than 10 s, or {@code maxDialogs}).</li>
 * </ol>
 * Usage: {@code SipCallSetupBenchmark [seconds=15] [inFlight=16] [step=100] [maxDialogs=3000]}; needs sipp on the PATH.
 */
public final class SipCallSetupBenchmark {
    private static final Duration STEP_LIMIT = Duration.ofSeconds(10);

    private SipCallSetupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int inFlight = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int step = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        int maxDialogs = args.length > 3 ? Integer.parseInt(args[3]) : 3000;

        int sippPort = TestPorts.freeUdpPort();
        Path dir = Files.createTempDirectory("sip-bench");
        try (var in = SipCallSetupBenchmark.class.getClassLoader().getResourceAsStream("sipp/uas_bench.xml")) {
            Files.copy(in, dir.resolve("uas_bench.xml"));
        }
        PeerProcess sipp = PeerProcess.start(dir, "sipp", List.of("sipp", "-sf", "uas_bench.xml", "-i", "127.0.0.1", "-p", Integer.toString(sippPort),
                "-mp", Integer.toString(TestPorts.freeUdpPorts(4)), "-nostdin", "-max_socket", "60000", "-trace_err"))
                .awaitBound(sippPort, false, Duration.ofSeconds(5));
        SipConfig config = SipConfig.builder().trunk("127.0.0.1", sippPort).from("ringback", "Ringback Bench")
                .inviteTimeout(Duration.ofSeconds(5)).ringTimeout(Duration.ofSeconds(30)).build();
        try (SipUserAgent agent = SipUserAgent.start(config)) {
            setupRate(agent, Duration.ofSeconds(2), inFlight, false); // warm-up: JIT, the stack's pools
            setupRate(agent, Duration.ofSeconds(seconds), inFlight, true);
            concurrentDialogs(agent, step, maxDialogs);
        } finally {
            sipp.close();
        }
        System.out.println("done");
        System.exit(0); // JAIN-SIP leaves non-daemon timer threads behind after stop()
    }

    /** Calls with at most {@code inFlight} in progress; each is hung up as soon as it is answered. */
    private static void setupRate(SipUserAgent agent, Duration duration, int inFlight, boolean report) throws Exception {
        Semaphore slots = new Semaphore(inFlight);
        AtomicLong completed = new AtomicLong();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> setupNanos = new ConcurrentLinkedQueue<>();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        while (System.nanoTime() < end) {
            if (!slots.tryAcquire(100, TimeUnit.MILLISECONDS)) continue;
            long dialled = System.nanoTime();
            SipCall[] call = new SipCall[1];
            call[0] = agent.dial("+61412000111", new MediaOffer("127.0.0.1", 20000), event -> {
                if (event instanceof CallEvent.Answered) {
                    setupNanos.add(System.nanoTime() - dialled);
                    call[0].hangUp(); // runs on the event thread after dial() returned: call[0] is set
                } else if (event instanceof CallEvent.Ended) {
                    completed.incrementAndGet();
                    slots.release();
                } else if (event instanceof CallEvent.Failed failed) {
                    failures.add(failed.outcome() + " " + failed.sipStatus() + " " + failed.reason());
                    slots.release();
                }
            });
        }
        slots.acquire(inFlight); // let the last calls finish
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (!report) return;
        List<Long> sorted = new ArrayList<>(setupNanos);
        sorted.sort(null);
        System.out.printf("call set-up: %d complete INVITE-200-ACK-BYE cycles in %.1f s = %.0f calls/s (%d in flight), %d failed%n",
                completed.get(), elapsed, completed.get() / elapsed, inFlight, failures.size());
        if (!sorted.isEmpty()) {
            System.out.printf("  INVITE->200 latency: median %.1f ms, p99 %.1f ms%n", sorted.get(sorted.size() / 2) / 1e6,
                    sorted.get((int) (sorted.size() * 0.99)) / 1e6);
        }
        failures.stream().limit(5).forEach(f -> System.out.println("  failure: " + f));
    }

    /** Adds calls in steps and holds them; reports the most held with no failure. */
    private static void concurrentDialogs(SipUserAgent agent, int step, int maxDialogs) throws Exception {
        List<SipCall> held = new ArrayList<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        int best = 0;
        String stop = "reached the cap of " + maxDialogs;
        while (held.size() < maxDialogs) {
            List<CompletableFuture<Void>> answered = new ArrayList<>();
            long stepStart = System.nanoTime();
            for (int i = 0; i < step; i++) {
                CompletableFuture<Void> up = new CompletableFuture<>();
                answered.add(up);
                held.add(agent.dial("+61412000111", new MediaOffer("127.0.0.1", 20000), event -> {
                    if (event instanceof CallEvent.Answered) up.complete(null);
                    if (event instanceof CallEvent.Failed failed) {
                        failures.add(failed.outcome() + " " + failed.sipStatus() + " " + failed.reason());
                        up.complete(null);
                    }
                    if (event instanceof CallEvent.Ended ended && !up.isDone()) {
                        failures.add("ended before answer: " + ended.reason());
                        up.complete(null);
                    }
                }));
            }
            try {
                CompletableFuture.allOf(answered.toArray(CompletableFuture[]::new)).get(STEP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                stop = "a step of " + step + " calls took over " + STEP_LIMIT.toSeconds() + " s";
                break;
            }
            if (!failures.isEmpty()) {
                stop = "failures: " + failures.stream().limit(3).toList();
                break;
            }
            Thread.sleep(200); // a little time held: re-transmissions and in-dialog state settle
            if (!failures.isEmpty()) {
                stop = "failures while holding: " + failures.stream().limit(3).toList();
                break;
            }
            best = held.size();
            System.out.printf("  holding %d dialogs (last step %.0f ms), %s%n", best, (System.nanoTime() - stepStart) / 1e6, agent.occupancy());
        }
        System.out.printf("concurrent dialogs held with no failed transaction: %d (stopped: %s)%n", best, stop);
        held.forEach(SipCall::hangUp);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                SipUserAgent.Occupancy now = agent.occupancy();
                if (now.calls() == 0) {
                    System.out.println("  after hanging up: " + now);
                    return;
                }
            } catch (java.util.concurrent.TimeoutException busy) {
                // the event thread is still sending thousands of BYEs
            }
            Thread.sleep(500);
        }
        System.out.println("  calls still ending after 60 s");
    }
}
