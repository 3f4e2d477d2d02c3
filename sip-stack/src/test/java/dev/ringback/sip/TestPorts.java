package dev.ringback.sip;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/** Free 127.0.0.1 ports (free for UDP and TCP) below 32768, probed at run time so test runs can overlap. */
final class TestPorts {
    private TestPorts() {
    }

    /**
     * Ports already handed out in this JVM: a probed port stays free until its user binds it, so without this two
     * picks in one test (a SIP port and an RTP block) can land on each other.
     */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    /** The first of {@code count} consecutive free UDP ports (an even first port, as RTP likes). */
    static int freeUdpPorts(int count) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int first = ThreadLocalRandom.current().nextInt(10000, 32000) & ~1;
            boolean free = true;
            for (int port = first; port < first + count && free; port++) {
                free = !HANDED_OUT.contains(port) && isUdpFree(port) && isTcpFree(port);
            }
            if (free && claim(first, count)) return first;
        }
        throw new IllegalStateException("no free UDP port block found");
    }

    private static synchronized boolean claim(int first, int count) {
        for (int port = first; port < first + count; port++) if (HANDED_OUT.contains(port)) return false;
        for (int port = first; port < first + count; port++) HANDED_OUT.add(port);
        return true;
    }

    static int freeUdpPort() {
        return freeUdpPorts(1);
    }

    static boolean isTcpFree(int port) {
        try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static boolean isUdpFree(int port) {
        try (DatagramSocket socket = new DatagramSocket(null)) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
