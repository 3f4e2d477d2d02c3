package dev.ringback.media;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.concurrent.ThreadLocalRandom;

/** Loopback UDP helpers: free ports below 32768 chosen at run time, and an independent RTP writer/reader. */
final class TestNet {
    static final String HOST = "127.0.0.1";

    private TestNet() {
    }

    /** A port range whose {@code evenPorts} even ports (and the odd ones above them) were free just now. */
    static RtpConfig freeRange(int evenPorts) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = 10_000 + 2 * ThreadLocalRandom.current().nextInt(10_000);
            boolean allFree = true;
            for (int p = base; p < base + 2 * evenPorts && allFree; p++) {
                try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(HOST, p))) {
                    probe.getLocalPort();
                } catch (SocketException e) {
                    allFree = false;
                }
            }
            if (allFree) {
                return new RtpConfig(HOST, base, base + 2 * evenPorts - 1);
            }
        }
        throw new IllegalStateException("no free port range found below 32768");
    }

    /** An even UDP port below 32768 that (with the three above it) was free just now. */
    static int freePort() {
        RtpConfig range = freeRange(2);
        return range.portMin();
    }

    static DatagramSocket socketBelow32768() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = 10_000 + ThreadLocalRandom.current().nextInt(22_000);
            try {
                DatagramSocket socket = new DatagramSocket(new InetSocketAddress(HOST, port));
                socket.setSoTimeout(2000);
                return socket;
            } catch (SocketException e) {
                // taken: try another
            }
        }
        throw new IllegalStateException("no free UDP port below 32768");
    }

    static byte[] rtp(boolean marker, int pt, int seq, long ts, long ssrc, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(12 + payload.length);
        b.put((byte) 0x80).put((byte) ((marker ? 0x80 : 0) | pt)).putShort((short) seq)
                .putInt((int) ts).putInt((int) ssrc).put(payload);
        return b.array();
    }

    static void send(DatagramSocket from, byte[] data, int toPort) throws IOException {
        from.send(new DatagramPacket(data, data.length, new InetSocketAddress(HOST, toPort)));
    }

    /** An RTP packet as seen on the wire by the test. */
    record Captured(long arrivalNanos, int version, boolean marker, int pt, int seq, long ts, long ssrc, byte[] payload) {
        static Captured read(DatagramSocket socket) throws IOException {
            byte[] buf = new byte[2048];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            socket.receive(p);
            long now = System.nanoTime();
            ByteBuffer b = ByteBuffer.wrap(buf, 0, p.getLength());
            int b0 = b.get() & 0xFF;
            int b1 = b.get() & 0xFF;
            int seq = b.getShort() & 0xFFFF;
            long ts = b.getInt() & 0xFFFF_FFFFL;
            long ssrc = b.getInt() & 0xFFFF_FFFFL;
            byte[] payload = new byte[b.remaining()];
            b.get(payload);
            return new Captured(now, b0 >> 6, (b1 & 0x80) != 0, b1 & 0x7F, seq, ts, ssrc, payload);
        }

        boolean isSilence(byte silenceCode) {
            for (byte x : payload) {
                if (x != silenceCode) {
                    return false;
                }
            }
            return true;
        }
    }
}
