package dev.ringback.server.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real customer speech for tests: flite's rms voice, through sox into what a peer sends. */
public final class CustomerAudio {
    private CustomerAudio() {}

    /** Raw 8 kHz mu-law (what SIPp's rtp_stream sends as is). */
    public static Path ulaw(String text, Path dir, String name) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path wav = dir.resolve(name + ".wav");
        Path out = dir.resolve(name + ".ulaw");
        run(List.of("flite", "-voice", "rms", "-t", text, "-o", wav.toString()));
        run(List.of("sox", wav.toString(), "-r", "8000", "-c", "1", "-e", "mu-law", "-t", "raw", out.toString()));
        return out;
    }

    static void run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
