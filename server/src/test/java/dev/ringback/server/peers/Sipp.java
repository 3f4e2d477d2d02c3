package dev.ringback.server.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A SIPp process running one scenario on loopback; killed on close whatever state it is in. */
public final class Sipp implements AutoCloseable {
    private final Process process;
    private final Path log;
    public final int sipPort;
    public final int mediaPort;

    private Sipp(Process process, Path log, int sipPort, int mediaPort) {
        this.process = process;
        this.log = log;
        this.sipPort = sipPort;
        this.mediaPort = mediaPort;
    }

    /** Starts {@code sipp -sf scenario} as a UAS (no remote host) in {@code workDir}. */
    public static Sipp uas(Path scenario, Path workDir, int timeoutSeconds, String... extra) throws IOException {
        int sip = FreePorts.udpAndTcp();
        int media = FreePorts.evenRange(4);
        List<String> cmd = new ArrayList<>(List.of("sipp", "-sf", scenario.toAbsolutePath().toString(),
                "-i", "127.0.0.1", "-p", String.valueOf(sip), "-mp", String.valueOf(media),
                "-m", "1", "-nostdin", "-timeout", timeoutSeconds + "s", "-timeout_error",
                "-trace_err", "-error_file", workDir.toAbsolutePath().resolve("sipp-errors.log").toString()));
        cmd.addAll(List.of(extra));
        Files.createDirectories(workDir);
        Path log = workDir.resolve("sipp-" + sip + ".out");
        Process p = new ProcessBuilder(cmd).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Sipp(p, log, sip, media);
    }

    /** Waits for SIPp to finish: 0 = every call as scripted, 1 = a call failed, 97 = timeout. */
    public int awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(cannot read SIPp output: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
