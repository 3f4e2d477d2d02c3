package dev.ringback.server.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * baresip as a phone (the on-call person's, or a customer's): auto-answers calls to its number, plays a WAV (and
 * hangs up at its end), and records what it heard to {@code dump-<time>-dec.wav} in its recordings directory.
 * With SRTP it takes only calls that offer SDES keys (mediaenc=srtp-mand).
 */
public final class BaresipPhone implements AutoCloseable {
    private final PeerProcess process;
    private final Path recordings;
    public final int sipPort;

    private BaresipPhone(PeerProcess process, Path recordings, int sipPort) {
        this.process = process;
        this.recordings = recordings;
        this.sipPort = sipPort;
    }

    /**
     * @param prompt 8 kHz 16-bit mono WAV the phone sends once answered
     * @param number the E.164 number in its account
     */
    public static BaresipPhone start(Path workDir, Path prompt, String number, boolean srtp) throws IOException, InterruptedException {
        return start(workDir, prompt, number, srtp, false);
    }

    /** @param rtcpMux the phone answers an offer's {@code a=rtcp-mux} and then sends and takes RTCP on its RTP port */
    public static BaresipPhone start(Path workDir, Path prompt, String number, boolean srtp, boolean rtcpMux)
            throws IOException, InterruptedException {
        int sip = FreePorts.udpAndTcp();
        int rtp = FreePorts.evenRange(10);
        Path dir = workDir.resolve("baresip-" + sip).toAbsolutePath();
        Path recordings = Files.createDirectories(dir.resolve("rec"));
        Map<String, String> values = Map.of("SIP_PORT", String.valueOf(sip), "RTP_FIRST", String.valueOf(rtp),
                "RTP_LAST", String.valueOf(rtp + 9), "PROMPT_WAV", prompt.toAbsolutePath().toString(),
                "REC_DIR", recordings.toString(), "NUMBER", number,
                "MEDIAENC", srtp ? ";mediaenc=srtp-mand" : "", "SRTP_MODULE", srtp ? "module\t\t\tsrtp.so" : "",
                "RTCP_MUX", rtcpMux ? "yes" : "no");
        for (String file : List.of("config", "accounts")) {
            Files.writeString(dir.resolve(file), PeerProcess.template("baresip/" + file, values));
        }
        PeerProcess p = PeerProcess.start(dir, "baresip", List.of("baresip", "-f", dir.toString()));
        try {
            p.awaitUdpBound(sip, Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
        return new BaresipPhone(p, recordings, sip);
    }

    /** What the phone heard (decoded), once baresip has written it. */
    public Optional<Path> heard() throws IOException {
        try (Stream<Path> files = Files.list(recordings)) {
            return files.filter(f -> f.getFileName().toString().endsWith("-dec.wav")).findFirst();
        }
    }

    public String output() {
        return process.output();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
