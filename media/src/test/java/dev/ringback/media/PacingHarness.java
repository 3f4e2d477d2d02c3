package dev.ringback.media;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Benchmark, not a test: how many bidirectional G.711 streams one engine carries on this machine. Ramps the number
 * of sessions (each one stream: it sends 50 packets/s and receives 50 packets/s from its partner; sessions are
 * paired on 127.0.0.1, so N streams are N/2 loopback calls), lets each level settle, then measures for a window:
 *
 * <ul>
 *   <li>send-interval error: |interval - 20 ms| between consecutive packets of a session, stamped as each is handed
 *       to the socket ({@link RtpSession#sendTiming()}, 50 µs buckets). A level is carried when its p99 stays under
 *       2 ms with no loss;</li>
 *   <li>the same at the far end: |inter-arrival time - 20 ms| of every audio packet, taken at the receiving session
 *       ({@code System.nanoTime()} when its event loop read the datagram). It adds the receiving loop's read delay
 *       (here the receiver shares the 2 cores), so it is an upper bound on the send-side figure;</li>
 *   <li>CPU per stream: process CPU time over the window / wall time / streams (of one core);</li>
 *   <li>loss and lateness as the jitter buffers counted them, GC time, load average;</li>
 *   <li>the machine's share: during the same window a bare thread in this JVM sleeps to 20 ms deadlines and
 *       records how late it wakes ("bare p99"). When that is high too, the machine (other processes), not the
 *       engine, is holding the threads back.</li>
 * </ul>
 *
 * <p>Usage: {@code PacingHarness [levels=100,250,500,1000,1500] [seconds=10] [ioThreads=cores] [mux]}
 * ({@code mux}: RTCP-mux sessions, one socket each instead of two).
 */
public final class PacingHarness {
    private static final double CARRIED_P99_MILLIS = 2.0;
    /** Settling time before each window, {@code -Dbench.settle-ms}: the JIT is still compiling for a while. */
    private static final long SETTLE_MILLIS = Long.getLong("bench.settle-ms", 5000);
    private static final long STALL_SLICE_NANOS = 50_000_000L;

    private final int seconds;
    private final List<Stream> streams = new ArrayList<>();
    private final short[] clip = TestAudio.tone(440, 1.0, 8000);
    private volatile boolean measuring;
    private volatile boolean running = true;
    /** Wake-up lateness (ms) of the bare thread in the current window; written by that thread while measuring. */
    private final double[] bareLateness;
    private volatile int bareCount;

    private PacingHarness(int seconds) {
        this.seconds = seconds;
        this.bareLateness = new double[seconds * 50 + 50];
    }

    /** Sleeps to 20 ms deadlines like the pacing clock, without any work: what the machine allows a thread. */
    private void bareThread() {
        long start = System.nanoTime();
        for (long n = 1; running; n++) {
            long deadline = start + n * PacingClock.PERIOD_NANOS;
            long wait;
            while ((wait = deadline - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            double late = (System.nanoTime() - deadline) / 1e6;
            int i = bareCount;
            if (measuring && i < bareLateness.length) {
                bareLateness[i] = late;
                bareCount = i + 1;
            }
            if (late > 100) {
                start = System.nanoTime() - n * PacingClock.PERIOD_NANOS; // a long stall: start over, no burst
            }
        }
    }

    /** One session and the packet arrival times it saw in the current window. */
    private final class Stream {
        final RtpSession session;
        final long[] arrivals = new long[seconds * 50 + 200];
        int count;

        Stream(RtpSession session) {
            this.session = session;
            session.onAudio((pcm, arrivalNanos) -> {
                // silence fill (all zeros) is time passing, not a packet; the tone's frames are never all zeros
                if (measuring && count < arrivals.length && !isZero(pcm)) {
                    arrivals[count++] = arrivalNanos;
                }
            });
        }

        /**
         * Keeps the tone flowing: the next clip is queued on the event loop as the last one's final frame goes.
         * The first clip is cut at a random length so that sessions do not all finish a clip in the same tick
         * (calls' utterances do not end in step; in-step clip ends were a burst of work every second).
         */
        void startPlaying(java.util.Random random) {
            short[] first = Arrays.copyOf(clip, 1 + random.nextInt(clip.length));
            play(first);
        }

        private void play(short[] audio) {
            session.play(audio).done().thenAccept(result -> {
                if (running && !result.interrupted()) {
                    play(clip);
                }
            });
        }
    }

    public static void main(String[] args) throws Exception {
        int[] levels = Arrays.stream((args.length > 0 ? args[0] : "100,250,500,1000,1500").split(","))
                .mapToInt(Integer::parseInt).map(n -> n + (n & 1)).sorted().toArray();
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int ioThreads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
        boolean mux = args.length > 3 && args[3].equals("mux");
        new PacingHarness(seconds).run(levels, ioThreads, mux);
    }

    private void run(int[] levels, int ioThreads, boolean mux) throws Exception {
        int most = levels[levels.length - 1];
        System.out.printf("%d cores, %d io threads, epoll=%b, rtcp-mux=%b, %d s windows after %d ms settling, %s%n",
                Runtime.getRuntime().availableProcessors(), ioThreads, io.netty.channel.epoll.Epoll.isAvailable(), mux,
                seconds, SETTLE_MILLIS, System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        System.out.println(baseline(3));
        System.out.println();
        System.out.println("                ---- sent, ms -----   ---------- arrived, ms ---------");
        System.out.println("streams calls     p50     p99   p99.9       p50     p99    p99.9     max   lost   late  cpu/stream  us/packet"
                + "  process cpu  gc ms  load(1m)  bare p99  carried");
        int carried = 0;
        Thread bare = new Thread(this::bareThread, "bare-20ms");
        bare.setDaemon(true);
        bare.setPriority(Thread.MAX_PRIORITY); // as the event loops
        bare.start();
        java.util.Random random = new java.util.Random(1);
        try (RtpEngine engine = new RtpEngine(TestNet.freeRange(most), ioThreads)) {
            for (int level : levels) {
                while (streams.size() < level) {
                    Stream a = new Stream(engine.open(mux));
                    Stream b = new Stream(engine.open(mux));
                    a.session.start(new InetSocketAddress(TestNet.HOST, b.session.localPort()), Codec.PCMU);
                    b.session.start(new InetSocketAddress(TestNet.HOST, a.session.localPort()), Codec.PCMU);
                    a.startPlaying(random);
                    b.startPlaying(random);
                    streams.add(a);
                    streams.add(b);
                }
                Thread.sleep(SETTLE_MILLIS);
                boolean ok = measure(level, engine.openSessions());
                if (ok) {
                    carried = level;
                }
            }
            running = false;
        }
        System.out.printf("%ncarried (send-interval error p99 < %.0f ms, no loss): %d streams%n", CARRIED_P99_MILLIS,
                carried);
    }

    private boolean measure(int level, int open) throws Exception {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long lostBefore = 0;
        long lateBefore = 0;
        for (Stream s : streams) {
            lostBefore += s.session.stats().packetsLost();
            lateBefore += s.session.stats().packetsLate();
            s.count = 0; // event loop writes it only while measuring
        }
        SendTiming sentBefore = sendTiming();
        bareCount = 0;
        long gcBefore = gcMillis();
        long cpuBefore = os.getProcessCpuTime();
        long wallBefore = System.nanoTime();
        measuring = true;
        Thread.sleep(seconds * 1000L);
        measuring = false;
        long wall = System.nanoTime() - wallBefore;
        long cpu = os.getProcessCpuTime() - cpuBefore;
        long gc = gcMillis() - gcBefore;
        SendTiming sent = sendTiming().minus(sentBefore);
        Thread.sleep(50); // let the loops see the flag before reading what they wrote

        long lost = -lostBefore;
        long late = -lateBefore;
        long intervals = 0;
        for (Stream s : streams) {
            lost += s.session.stats().packetsLost();
            late += s.session.stats().packetsLate();
            intervals += Math.max(0, s.count - 1);
        }
        double[] bare = Arrays.copyOf(bareLateness, bareCount);
        Arrays.sort(bare);
        double[] errors = new double[(int) intervals];
        int n = 0;
        for (Stream s : streams) {
            for (int i = 1; i < s.count; i++) {
                errors[n++] = Math.abs((s.arrivals[i] - s.arrivals[i - 1]) / 1e6 - 20.0);
            }
        }
        Arrays.sort(errors);
        double p99 = pct(errors, 99);
        double cpuShare = (double) cpu / wall; // cores busy
        long packets = 2L * n; // each interval is one packet received, and one sent by the partner
        double sendP99 = sent.percentileMillis(99);
        boolean ok = sendP99 < CARRIED_P99_MILLIS && lost == 0 && sent.intervals() > 0 && open == level;
        System.out.printf("%7d %5d %7.2f %7.2f %7.2f   %7.3f %7.3f %8.3f %7.2f %6d %6d %10.4f%% %10.1f %11.1f%% %6d %9s"
                + " %9.3f  %s%n", level, level / 2, sent.percentileMillis(50), sendP99, sent.percentileMillis(99.9),
                pct(errors, 50), p99, pct(errors, 99.9), n == 0 ? 0 : errors[n - 1], lost, late,
                100 * cpuShare / level, packets == 0 ? 0 : cpu / 1e3 / packets, 100 * cpuShare, gc, loadAverage(),
                pct(bare, 99), ok ? "yes" : "NO");
        // fewer packets than 50/s per stream: the pacing clock skipped ticks it was too late for
        double due = (double) level * wall / PacingClock.PERIOD_NANOS;
        System.out.printf("        inter-arrival ms: <5 %.1f%%, 5-15 %.1f%%, 15-25 %.1f%%, 25-35 %.1f%%, >35 %.1f%%;"
                + " %.1f%% of the packets due arrived%s%n        %s%n",
                share(s -> s < 5), share(s -> s >= 5 && s < 15), share(s -> s >= 15 && s < 25),
                share(s -> s >= 25 && s < 35), share(s -> s >= 35), 100 * n / due,
                open == level ? "" : "; only " + open + " sessions open", stalls(wallBefore));
        return ok;
    }

    /**
     * Whether the errors over 2 ms are spread out (the engine's steady work) or come in stalls that hit many
     * streams at once (a GC pause, a loop thread preempted): counts them per 50 ms slice of the window.
     */
    private String stalls(long windowStart) {
        int[] slices = new int[seconds * 20 + 20];
        long over = 0;
        for (Stream s : streams) {
            for (int i = 1; i < s.count; i++) {
                if (Math.abs((s.arrivals[i] - s.arrivals[i - 1]) / 1e6 - 20.0) >= CARRIED_P99_MILLIS) {
                    over++;
                    int slice = (int) ((s.arrivals[i] - windowStart) / STALL_SLICE_NANOS);
                    slices[Math.max(0, Math.min(slices.length - 1, slice))]++;
                }
            }
        }
        long inStalls = 0;
        int stallSlices = 0;
        for (int n : slices) {
            if (n >= streams.size() / 10) {
                inStalls += n;
                stallSlices++;
            }
        }
        return String.format("%d intervals off by >= 2 ms, %.0f%% of them in %d stalls (50 ms slices where >= %d "
                + "streams were hit)", over, over == 0 ? 0 : 100.0 * inStalls / over, stallSlices, streams.size() / 10);
    }

    /** All sessions' send timing so far, summed. */
    private SendTiming sendTiming() {
        SendTiming sum = SendTiming.empty();
        for (Stream s : streams) {
            sum = sum.plus(s.session.sendTiming());
        }
        return sum;
    }

    /** Percentage of this window's inter-arrival times (ms) that {@code bucket} accepts. */
    private double share(java.util.function.DoublePredicate bucket) {
        long all = 0;
        long in = 0;
        for (Stream s : streams) {
            for (int i = 1; i < s.count; i++) {
                all++;
                in += bucket.test((s.arrivals[i] - s.arrivals[i - 1]) / 1e6) ? 1 : 0;
            }
        }
        return all == 0 ? 0 : 100.0 * in / all;
    }

    /** The floor set by the machine: how late a bare thread wakes for 20 ms deadlines right now. */
    private static String baseline(int seconds) {
        int ticks = seconds * 50;
        double[] lateMs = new double[ticks];
        long start = System.nanoTime();
        for (int n = 1; n <= ticks; n++) {
            long deadline = start + n * 20_000_000L;
            long wait;
            while ((wait = deadline - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            lateMs[n - 1] = (System.nanoTime() - deadline) / 1e6;
        }
        Arrays.sort(lateMs);
        return String.format("baseline: a bare thread wakes for 20 ms deadlines p50 %.3f ms, p99 %.3f ms, max %.3f ms "
                + "late (load average %s)", pct(lateMs, 50), pct(lateMs, 99), lateMs[ticks - 1], loadAverage());
    }

    private static boolean isZero(short[] pcm) {
        for (short s : pcm) {
            if (s != 0) {
                return false;
            }
        }
        return true;
    }

    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static double pct(double[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1)];
    }
}
