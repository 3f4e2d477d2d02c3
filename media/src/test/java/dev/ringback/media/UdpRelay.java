package dev.ringback.media;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;

/**
 * A test network between two RTP endpoints on 127.0.0.1: each side talks to its own RTP/RTCP port pair on the
 * relay, which forwards to the other side from the other pair, dropping the A-to-B RTP packets the predicate
 * picks (by their count, from 0). Forwarding threads stop on close.
 */
final class UdpRelay implements AutoCloseable {
    private final DatagramSocket[] facingA = new DatagramSocket[2];
    private final DatagramSocket[] facingB = new DatagramSocket[2];
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong forwardedAtoB = new AtomicLong();
    private final AtomicLong droppedAtoB = new AtomicLong();

    UdpRelay(int aRtpPort, int bRtpPort, LongPredicate dropAtoB) throws SocketException {
        bindPair(facingA);
        bindPair(facingB);
        AtomicLong counter = new AtomicLong();
        forward(facingA[0], facingB[0], bRtpPort, n -> {
            boolean drop = dropAtoB.test(counter.getAndIncrement());
            (drop ? droppedAtoB : forwardedAtoB).incrementAndGet();
            return drop;
        });
        forward(facingA[1], facingB[1], bRtpPort + 1, n -> false);
        forward(facingB[0], facingA[0], aRtpPort, n -> false);
        forward(facingB[1], facingA[1], aRtpPort + 1, n -> false);
    }

    /** The RTP port A should send to. */
    int portForA() {
        return facingA[0].getLocalPort();
    }

    int portForB() {
        return facingB[0].getLocalPort();
    }

    long droppedAtoB() {
        return droppedAtoB.get();
    }

    private static void bindPair(DatagramSocket[] pair) throws SocketException {
        for (int attempt = 0; attempt < 20; attempt++) {
            int port = TestNet.freeRange(1).portMin();
            try {
                pair[0] = new DatagramSocket(new InetSocketAddress(TestNet.HOST, port));
                pair[1] = new DatagramSocket(new InetSocketAddress(TestNet.HOST, port + 1));
                return;
            } catch (SocketException e) {
                if (pair[0] != null) {
                    pair[0].close();
                }
            }
        }
        throw new SocketException("no free port pair for the relay");
    }

    private void forward(DatagramSocket from, DatagramSocket via, int toPort, LongPredicate drop) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[2048];
            InetSocketAddress to = new InetSocketAddress(TestNet.HOST, toPort);
            long n = 0;
            while (!from.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    from.receive(p);
                    if (!drop.test(n++)) {
                        via.send(new DatagramPacket(p.getData(), p.getLength(), to));
                    }
                } catch (IOException e) {
                    return; // closed
                }
            }
        }, "relay-" + from.getLocalPort());
        t.setDaemon(true);
        t.start();
        threads.add(t);
    }

    @Override
    public void close() throws InterruptedException {
        for (DatagramSocket s : List.of(facingA[0], facingA[1], facingB[0], facingB[1])) {
            s.close();
        }
        for (Thread t : threads) {
            t.join(1000);
        }
    }
}
