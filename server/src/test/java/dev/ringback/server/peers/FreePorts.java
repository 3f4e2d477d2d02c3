package dev.ringback.server.peers;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/** Free loopback ports below 32768, chosen at random so test runs can overlap. */
public final class FreePorts {
    private FreePorts() {}

    /**
     * Ports already handed out in this JVM: a probed port stays free until its user binds it, so without this two
     * picks in one test (a SIP port and an RTP block) can land on each other.
     */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    /** A port free for both UDP and TCP. */
    public static int udpAndTcp() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20000, 32000);
            if (!HANDED_OUT.contains(port) && free(port) && claim(port, 1)) return port;
        }
        throw new IllegalStateException("no free port found in 20000-32000");
    }

    /** The first of {@code count} consecutive free ports, starting even (RTP ranges). */
    public static int evenRange(int count) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(10000, 16000) * 2;
            boolean ok = true;
            for (int p = base; p < base + count && ok; p++) ok = !HANDED_OUT.contains(p) && free(p);
            if (ok && claim(base, count)) return base;
        }
        throw new IllegalStateException("no free port range found");
    }

    private static synchronized boolean claim(int first, int count) {
        for (int p = first; p < first + count; p++) if (HANDED_OUT.contains(p)) return false;
        for (int p = first; p < first + count; p++) HANDED_OUT.add(p);
        return true;
    }

    static boolean free(int port) {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (var udp = new DatagramSocket(new InetSocketAddress(lo, port));
             var tcp = new ServerSocket()) {
            tcp.bind(new InetSocketAddress(lo, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
