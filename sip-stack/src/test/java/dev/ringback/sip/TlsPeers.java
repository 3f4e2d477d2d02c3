package dev.ringback.sip;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** baresip as a TLS peer, with certificates a test made ({@link TestCertificates}). */
final class TlsPeers {
    private TlsPeers() {
    }

    /** A baresip callee with TLS on {@link Peers.Baresip#sipPort()} + 1, showing {@code certificate}; plays {@code seconds} of silence. */
    static Peers.Baresip baresipCallee(Path certificate, Path trustedPem, int seconds) throws Exception {
        return baresip(certificate, trustedPem, seconds, List.of());
    }

    /** The same softphone, which at once dials {@code uri} (e.g. {@code sip:ringback@127.0.0.1:5061;transport=tls}). */
    static Peers.Baresip baresipCaller(Path certificate, Path trustedPem, int seconds, String uri) throws Exception {
        return baresip(certificate, trustedPem, seconds, List.of("-e", "/dial " + uri));
    }

    private static Peers.Baresip baresip(Path certificate, Path trustedPem, int seconds, List<String> extra) throws Exception {
        int sipPort = TestPorts.freeUdpPorts(2); // baresip takes UDP/TCP on the first and TLS on the next
        int controlPort = TestPorts.freeUdpPort();
        int rtpFirst = TestPorts.freeUdpPorts(10);
        Path dir = Path.of("peers", "baresip-tls-" + sipPort + "-" + System.nanoTime()).toAbsolutePath();
        Files.createDirectories(dir);
        Path prompt = dir.resolve("silence.wav");
        Process sox = new ProcessBuilder("sox", "-n", "-r", "8000", "-c", "1", "-b", "16", prompt.toString(), "trim", "0", Integer.toString(seconds))
                .redirectErrorStream(true).start();
        if (sox.waitFor() != 0) throw new IllegalStateException("sox could not write " + prompt);
        for (String file : List.of("config", "accounts")) {
            String text;
            try (InputStream in = TlsPeers.class.getClassLoader().getResourceAsStream("baresip-tls/" + file)) {
                if (in == null) throw new IOException("missing test resource baresip-tls/" + file);
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            text = text.replace("@SIP_PORT@", Integer.toString(sipPort)).replace("@TLS_PORT@", Integer.toString(sipPort + 1))
                    .replace("@CTRL_PORT@", Integer.toString(controlPort))
                    .replace("@RTP_FIRST@", Integer.toString(rtpFirst)).replace("@RTP_LAST@", Integer.toString(rtpFirst + 9))
                    .replace("@PROMPT_WAV@", prompt.toString())
                    .replace("@CERT_PEM@", certificate.toString()).replace("@CA_PEM@", trustedPem.toString());
            Files.writeString(dir.resolve(file), text);
        }
        List<String> command = new java.util.ArrayList<>(List.of("baresip", "-f", dir.toString()));
        command.addAll(extra);
        PeerProcess process = PeerProcess.start(dir, "baresip", command)
                .awaitBound(sipPort + 1, true, Peers.START_TIMEOUT)
                .awaitBound(controlPort, true, Peers.START_TIMEOUT);
        return new Peers.Baresip(process, sipPort + 1, controlPort);
    }
}
