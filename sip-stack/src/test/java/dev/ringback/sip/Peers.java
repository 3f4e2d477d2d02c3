package dev.ringback.sip;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Starts SIPp scenarios and Kamailio from this module's test resources, each in its own directory under target/. */
final class Peers {
    static final Duration START_TIMEOUT = Duration.ofSeconds(5);

    private Peers() {
    }

    /** SIPp as the called party over UDP: listens on {@code sipPort}, RTP on {@code mediaPort}. */
    static PeerProcess sippUas(String scenario, int sipPort, int mediaPort) throws InterruptedException {
        return sippUas(scenario, sipPort, mediaPort, Transport.UDP);
    }

    /** SIPp as the called party over UDP or TCP (one socket, -t t1). */
    static PeerProcess sippUas(String scenario, int sipPort, int mediaPort, Transport transport) throws InterruptedException {
        if (transport == Transport.TLS) throw new IllegalArgumentException("no TLS peer in these tests");
        Path dir = workDir(scenario + "-" + sipPort);
        copyResource("sipp/" + scenario, dir.resolve(scenario));
        List<String> extra = transport == Transport.TCP ? List.of("-t", "t1") : List.of();
        return PeerProcess.start(dir, "sipp", sippCommand(scenario, sipPort, mediaPort, extra))
                .awaitBound(sipPort, transport == Transport.TCP, START_TIMEOUT);
    }

    /** SIPp as the called party over UDP, its scenario with each {@code @KEY@} placeholder replaced (SIPp checks status codes at load time). */
    static PeerProcess sippUas(String scenario, int sipPort, int mediaPort, java.util.Map<String, String> placeholders) throws InterruptedException {
        Path dir = workDir(scenario + "-" + sipPort);
        copyResource("sipp/" + scenario, dir.resolve(scenario));
        try {
            String text = Files.readString(dir.resolve(scenario), java.nio.charset.StandardCharsets.ISO_8859_1);
            for (var entry : placeholders.entrySet()) text = text.replace("@" + entry.getKey() + "@", entry.getValue());
            Files.writeString(dir.resolve(scenario), text, java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return PeerProcess.start(dir, "sipp", sippCommand(scenario, sipPort, mediaPort, List.of())).awaitBound(sipPort, false, START_TIMEOUT);
    }

    /** SIPp as the caller: calls {@code service}@127.0.0.1:{@code targetPort}. */
    static PeerProcess sippUac(String scenario, int sipPort, int mediaPort, int targetPort, String service) {
        Path dir = workDir(scenario + "-" + sipPort);
        copyResource("sipp/" + scenario, dir.resolve(scenario));
        return PeerProcess.start(dir, "sipp", sippCommand(scenario, sipPort, mediaPort,
                List.of("-s", service, "127.0.0.1:" + targetPort)));
    }

    /** SIPp as a caller from another loopback address ({@code fromHost}, e.g. 127.0.0.2): a host that is not the trunk. */
    static PeerProcess sippUacFrom(String fromHost, String scenario, int sipPort, int mediaPort, int targetPort, String service) {
        Path dir = workDir(scenario + "-" + sipPort);
        copyResource("sipp/" + scenario, dir.resolve(scenario));
        List<String> command = sippCommand(scenario, sipPort, mediaPort, List.of("-s", service, "127.0.0.1:" + targetPort));
        command.set(command.indexOf("127.0.0.1"), fromHost);
        return PeerProcess.start(dir, "sipp", command);
    }

    private static List<String> sippCommand(String scenario, int sipPort, int mediaPort, List<String> extra) {
        List<String> command = new ArrayList<>(List.of("sipp", "-sf", scenario, "-i", "127.0.0.1", "-p", Integer.toString(sipPort),
                "-mp", Integer.toString(mediaPort), "-m", "1", "-nostdin", "-timeout", "30", "-trace_err", "-trace_msg"));
        command.addAll(extra);
        return command;
    }

    /** Kamailio as a trunk demanding 407 digest auth (user agent / password s3cret), relaying to {@code calleePort}. */
    static PeerProcess kamailio(int listenPort, int calleePort) throws InterruptedException {
        Path dir = workDir("kamailio-" + listenPort);
        copyResource("kamailio/kamailio.cfg", dir.resolve("kamailio.cfg"));
        Path runtime = dir.resolve("run");
        try {
            Files.createDirectories(runtime);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return PeerProcess.start(dir, "kamailio", List.of("kamailio", "-f", "kamailio.cfg", "-DD", "-E", "-m", "64", "-M", "8",
                        "-Y", runtime.toString(),
                        "-A", "LISTEN=udp:127.0.0.1:" + listenPort,
                        "-A", "CALLEE_HOSTPORT=\"127.0.0.1:" + calleePort + "\""))
                .awaitBound(listenPort, false, START_TIMEOUT);
    }

    /** A started baresip softphone: SIP on {@code sipPort}, its menu commands over ctrl_tcp on {@code controlPort}. */
    record Baresip(PeerProcess process, int sipPort, int controlPort) implements AutoCloseable {
        /** Sends one menu command ("hold", "resume", "hangup") as ctrl_tcp's netstring-framed JSON. */
        void command(String command) throws IOException {
            String json = "{\"command\":\"" + command + "\",\"params\":\"\",\"token\":\"" + command + "\"}";
            byte[] frame = (json.length() + ":" + json + ",").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            try (java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), controlPort)) {
                socket.getOutputStream().write(frame);
                socket.getOutputStream().flush();
                socket.setSoTimeout(2000);
                socket.getInputStream().read(new byte[512]); // its response: the command ran before we hang up the socket
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.close();
        }
    }

    /** baresip that auto-answers calls to callee@127.0.0.1:sipPort and plays {@code seconds} of silence. */
    static Baresip baresipCallee(int seconds) throws InterruptedException {
        return baresipCallee(seconds, "baresip");
    }

    /** The same, with config and accounts from the test resource folder {@code resources} (e.g. "baresip-srtp"). */
    static Baresip baresipCallee(int seconds, String resources) throws InterruptedException {
        int sipPort = TestPorts.freeUdpPort();
        int controlPort = TestPorts.freeUdpPort();
        int rtpFirst = TestPorts.freeUdpPorts(10);
        Path dir = workDir("baresip-" + sipPort);
        try {
            Files.createDirectories(dir);
            Path prompt = dir.resolve("silence.wav");
            // baresip hangs up when its audio file ends: silence long enough for the test
            Process sox = new ProcessBuilder("sox", "-n", "-r", "8000", "-c", "1", "-b", "16", prompt.toString(), "trim", "0", Integer.toString(seconds))
                    .redirectErrorStream(true).start();
            if (sox.waitFor() != 0) throw new IllegalStateException("sox could not write " + prompt);
            for (String file : List.of("config", "accounts")) {
                String text;
                try (InputStream in = Peers.class.getClassLoader().getResourceAsStream(resources + "/" + file)) {
                    if (in == null) throw new IllegalArgumentException("missing test resource " + resources + "/" + file);
                    text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                }
                text = text.replace("@SIP_PORT@", Integer.toString(sipPort)).replace("@CTRL_PORT@", Integer.toString(controlPort))
                        .replace("@RTP_FIRST@", Integer.toString(rtpFirst)).replace("@RTP_LAST@", Integer.toString(rtpFirst + 9))
                        .replace("@PROMPT_WAV@", prompt.toString());
                Files.writeString(dir.resolve(file), text);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PeerProcess process = PeerProcess.start(dir, "baresip", List.of("baresip", "-f", dir.toString()))
                .awaitBound(sipPort, false, START_TIMEOUT)
                .awaitBound(controlPort, true, START_TIMEOUT);
        return new Baresip(process, sipPort, controlPort);
    }

    private static Path workDir(String name) {
        // surefire runs with the module's target/ as working directory
        return Path.of("peers", name + "-" + System.nanoTime()).toAbsolutePath();
    }

    private static void copyResource(String resource, Path target) {
        try (InputStream in = Peers.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IllegalArgumentException("missing test resource " + resource);
            Files.createDirectories(target.getParent());
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
