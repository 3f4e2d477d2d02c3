package dev.ringback.server.peers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What really crossed the loopback interface: dumpcap (root) writes a classic pcap file, which this
 * reads back as UDP datagrams with their capture times.
 */
public final class WireCapture implements AutoCloseable {
    public record Datagram(long epochMicros, int srcPort, int dstPort, byte[] payload) {
        public String text() {
            return new String(payload, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    private final Process dumpcap;
    private final Path file;

    private WireCapture(Process dumpcap, Path file) {
        this.dumpcap = dumpcap;
        this.file = file;
    }

    /** Starts capturing UDP on lo with a BPF filter; returns once dumpcap says it is capturing. */
    public static WireCapture start(Path file, String filter) throws IOException, InterruptedException {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        Process p = new ProcessBuilder("dumpcap", "-i", "lo", "-P", "-f", filter, "-w", file.toString())
                .redirectErrorStream(true).start();
        var ready = new CompletableFuture<Boolean>();
        Thread reader = new Thread(() -> {
            try (var in = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.contains("Capturing on")) ready.complete(true);
                }
            } catch (IOException ignored) {
                // the process ended
            }
            ready.complete(false);
        }, "dumpcap-output");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!ready.get(10, TimeUnit.SECONDS)) throw new IOException("dumpcap did not start capturing (root needed)");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            p.destroyForcibly();
            throw new IOException("dumpcap did not start: " + e);
        }
        return new WireCapture(p, file);
    }

    /** Stops dumpcap (it flushes on SIGTERM) and reads every UDP datagram captured. */
    public List<Datagram> stop() throws IOException, InterruptedException {
        Thread.sleep(300);   // let the last packets reach the capture buffer
        dumpcap.destroy();
        dumpcap.waitFor(10, TimeUnit.SECONDS);
        return read(file);
    }

    static List<Datagram> read(Path pcap) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(pcap));
        int magic = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        boolean nanos;
        if (magic == 0xa1b2c3d4) nanos = false;
        else if (magic == 0xa1b23c4d) nanos = true;
        else {
            b.order(ByteOrder.BIG_ENDIAN);
            magic = b.getInt(0);
            if (magic == 0xa1b2c3d4) nanos = false;
            else if (magic == 0xa1b23c4d) nanos = true;
            else throw new IOException("not a pcap file: " + pcap);
        }
        int linkType = b.getInt(20);
        int linkHeader = switch (linkType) {
            case 1 -> 14;     // Ethernet (Linux lo)
            case 113 -> 16;   // Linux cooked
            case 0 -> 4;      // BSD loopback
            default -> throw new IOException("unsupported pcap link type " + linkType);
        };
        List<Datagram> out = new ArrayList<>();
        int at = 24;
        while (at + 16 <= b.limit()) {
            long sec = Integer.toUnsignedLong(b.getInt(at));
            long frac = Integer.toUnsignedLong(b.getInt(at + 4));
            int captured = b.getInt(at + 8);
            int frame = at + 16;
            at = frame + captured;
            if (at > b.limit()) break;
            int ip = frame + linkHeader;
            if ((b.get(ip) >> 4) != 4) continue;                 // IPv4 only: tests use 127.0.0.1
            int ihl = (b.get(ip) & 0x0f) * 4;
            if (b.get(ip + 9) != 17) continue;                   // UDP
            int udp = ip + ihl;
            // network byte order, whatever the file's order is
            int src = u16(b, udp);
            int dst = u16(b, udp + 2);
            int len = u16(b, udp + 4) - 8;
            len = Math.min(len, frame + captured - (udp + 8));
            byte[] payload = new byte[Math.max(0, len)];
            b.get(udp + 8, payload);
            out.add(new Datagram(sec * 1_000_000 + (nanos ? frac / 1000 : frac), src, dst, payload));
        }
        return out;
    }

    private static int u16(ByteBuffer b, int at) {
        return ((b.get(at) & 0xff) << 8) | (b.get(at + 1) & 0xff);
    }

    @Override
    public void close() {
        dumpcap.destroyForcibly();
    }
}
