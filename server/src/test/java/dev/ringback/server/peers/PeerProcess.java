package dev.ringback.server.peers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A peer process (Kamailio, baresip) with its output in a log file; close() stops it, children included. */
public final class PeerProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final String description;

    private PeerProcess(Process process, Path log, String description) {
        this.process = process;
        this.log = log;
        this.description = description;
    }

    static PeerProcess start(Path workDir, String name, List<String> command) throws IOException {
        Files.createDirectories(workDir);
        Path log = workDir.resolve(name + ".log");
        Process p = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new PeerProcess(p, log, String.join(" ", command));
    }

    /** Waits until the peer has bound UDP {@code port} on 127.0.0.1 (or fails if it died or took too long). */
    PeerProcess awaitUdpBound(int port, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (udpFree(port)) {
            if (!process.isAlive()) throw new IllegalStateException(description + " exited early:\n" + output());
            if (System.nanoTime() > deadline) throw new IllegalStateException(description + " did not bind " + port + ":\n" + output());
            Thread.sleep(20);
        }
        return this;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** SIGTERM first (Kamailio stops its children on it), then force. */
    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) return;
        process.destroy();
        if (!process.waitFor(3, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(3, TimeUnit.SECONDS);
        }
    }

    /** A test resource as text with {@code @NAME@} placeholders replaced. */
    static String template(String resource, Map<String, String> values) {
        try (InputStream in = PeerProcess.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IllegalArgumentException("missing test resource " + resource);
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (var e : values.entrySet()) text = text.replace("@" + e.getKey() + "@", e.getValue());
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean udpFree(int port) {
        try (var s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            return true;
        } catch (SocketException e) {
            return false;
        }
    }
}
