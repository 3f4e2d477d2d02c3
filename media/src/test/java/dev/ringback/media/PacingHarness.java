package dev.ringback.media;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Benchmark, not a test: opens N sessions in pairs on 127.0.0.1, lets every session send paced audio to its
 * partner for a while, and reports how far the packet inter-arrival times stray from 20 ms (measured at the
 * receiving session, so it is an upper bound on the send-interval error).
 *
 * <p>Usage: {@code PacingHarness [sessions=100] [seconds=10] [ioThreads=cores]}
 */
public final class PacingHarness {
    private PacingHarness() {
    }

    public static void main(String[] args) throws Exception {
        int sessions = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int ioThreads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
        sessions += sessions & 1;
        int framesPerSession = seconds * 50;
        reportBaseline(seconds);
        List<long[]> arrivals = new ArrayList<>();
        List<RtpSession> open = new ArrayList<>();
        try (RtpEngine engine = new RtpEngine(TestNet.freeRange(sessions), ioThreads)) {
            for (int i = 0; i < sessions; i++) {
                RtpSession session = engine.open();
                long[] times = new long[framesPerSession + 100];
                int[] count = {0};
                session.onAudio((pcm, arrivalNanos) -> {
                    // silence fill (all zeros) is not a packet arrival; the tone never is all zeros
                    if (count[0] < times.length && TestAudio.rms(pcm) > 0) {
                        times[count[0]++] = arrivalNanos;
                    }
                });
                arrivals.add(times);
                open.add(session);
            }
            short[] speech = TestAudio.tone(440, seconds + 1, 8000);
            for (int i = 0; i < sessions; i += 2) {
                RtpSession a = open.get(i);
                RtpSession b = open.get(i + 1);
                a.start(new InetSocketAddress(TestNet.HOST, b.localPort()), Codec.PCMU);
                b.start(new InetSocketAddress(TestNet.HOST, a.localPort()), Codec.PCMU);
                a.play(speech);
                b.play(speech);
            }
            Thread.sleep(seconds * 1000L + 500);
            long lost = 0;
            long late = 0;
            for (RtpSession s : open) {
                lost += s.stats().packetsLost();
                late += s.stats().packetsLate();
            }
            report(sessions, seconds, ioThreads, arrivals, lost, late);
        }
    }

    /** The floor set by the machine: how late a bare thread wakes for 20 ms deadlines (what the load allows). */
    private static void reportBaseline(int seconds) {
        int ticks = seconds * 50;
        double[] lateMs = new double[ticks];
        long start = System.nanoTime();
        for (int n = 1; n <= ticks; n++) {
            long deadline = start + n * 20_000_000L;
            long wait;
            while ((wait = deadline - System.nanoTime()) > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            lateMs[n - 1] = (System.nanoTime() - deadline) / 1e6;
        }
        Arrays.sort(lateMs);
        System.out.printf("baseline bare-thread wake-up lateness ms: p50=%.3f p99=%.3f max=%.3f (load average %s)%n",
                pct(lateMs, 50), pct(lateMs, 99), lateMs[ticks - 1], loadAverage());
    }

    private static String loadAverage() {
        return String.format("%.2f", java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage());
    }

    private static void report(int sessions, int seconds, int ioThreads, List<long[]> arrivals, long lost, long late) {
        List<Double> errorsMs = new ArrayList<>();
        for (long[] times : arrivals) {
            // skip the first second: JIT warm-up and session start-up are not steady state
            for (int i = 51; i < times.length && times[i] != 0; i++) {
                errorsMs.add(Math.abs((times[i] - times[i - 1]) / 1e6 - 20.0));
            }
        }
        double[] sorted = errorsMs.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        System.out.printf("sessions=%d (%d calls) seconds=%d ioThreads=%d epoll=%b intervals=%d load=%s%n", sessions,
                sessions / 2, seconds, ioThreads, io.netty.channel.epoll.Epoll.isAvailable(), sorted.length,
                loadAverage());
        System.out.printf("inter-arrival |error| ms: p50=%.3f p90=%.3f p99=%.3f p99.9=%.3f max=%.3f; lost=%d late=%d%n",
                pct(sorted, 50), pct(sorted, 90), pct(sorted, 99), pct(sorted, 99.9),
                sorted.length == 0 ? 0 : sorted[sorted.length - 1], lost, late);
    }

    private static double pct(double[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1)];
    }
}
