package dev.ringback.server.peers;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Free loopback ports below 32768, chosen at random so test runs can overlap. */
public final class FreePorts {
    private FreePorts() {}

    /** A port free for both UDP and TCP. */
    public static int udpAndTcp() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20000, 32000);
            if (free(port)) return port;
        }
        throw new IllegalStateException("no free port found in 20000-32000");
    }

    /** The first of {@code count} consecutive free ports, starting even (RTP ranges). */
    public static int evenRange(int count) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(10000, 16000) * 2;
            boolean ok = true;
            for (int p = base; p < base + count && ok; p++) ok = free(p);
            if (ok) return base;
        }
        throw new IllegalStateException("no free port range found");
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
