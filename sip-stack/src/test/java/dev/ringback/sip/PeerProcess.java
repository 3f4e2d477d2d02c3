package dev.ringback.sip;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/** A real peer process (SIPp, Kamailio) with its output in a log file; close() kills it. */
final class PeerProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final String description;

    private PeerProcess(Process process, Path log, String description) {
        this.process = process;
        this.log = log;
        this.description = description;
    }

    static PeerProcess start(Path workDir, String name, List<String> command) {
        try {
            Files.createDirectories(workDir);
            Path log = workDir.resolve(name + ".log");
            Process process = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new PeerProcess(process, log, String.join(" ", command));
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + command, e);
        }
    }

    /** Waits until the peer has bound {@code port} (UDP, or TCP when {@code tcp}) on 127.0.0.1, or died. */
    PeerProcess awaitBound(int port, boolean tcp, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (tcp ? TestPorts.isTcpFree(port) : TestPorts.isUdpFree(port)) {
            if (!process.isAlive()) throw new IllegalStateException(description + " exited early:\n" + output());
            if (System.nanoTime() > deadline) throw new IllegalStateException(description + " did not bind " + port + ":\n" + output());
            Thread.sleep(20);
        }
        return this;
    }

    OptionalInt awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? OptionalInt.of(process.exitValue()) : OptionalInt.empty();
    }

    String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy(); // SIGTERM first: Kamailio cleans up its children on it
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(2, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
