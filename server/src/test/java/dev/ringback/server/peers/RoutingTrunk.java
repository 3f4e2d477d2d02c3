package dev.ringback.server.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Kamailio as the business's SIP trunk for transfer tests: the on-call number's INVITEs go to the on-call phone,
 * every other number to the customer's phone, and the dialogs are record-routed through it.
 */
public final class RoutingTrunk implements AutoCloseable {
    private final PeerProcess process;
    public final int port;

    private RoutingTrunk(PeerProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    public static RoutingTrunk start(Path workDir, String onCallNumber, int onCallPort, int customerPort)
            throws IOException, InterruptedException {
        int port = FreePorts.udpAndTcp();
        Path dir = workDir.resolve("kamailio-" + port).toAbsolutePath();
        Path runtime = Files.createDirectories(dir.resolve("run"));
        Files.writeString(dir.resolve("kamailio.cfg"), PeerProcess.template("oncall/kamailio.cfg", Map.of()));
        PeerProcess p = PeerProcess.start(dir, "kamailio", List.of("kamailio", "-f", "kamailio.cfg", "-DD", "-E",
                "-m", "32", "-M", "8", "-Y", runtime.toString(),
                "-A", "LISTEN=udp:127.0.0.1:" + port,
                "-A", "ONCALL_USER=\"" + onCallNumber + "\"",
                "-A", "ONCALL_HOSTPORT=\"127.0.0.1:" + onCallPort + "\"",
                "-A", "CUSTOMER_HOSTPORT=\"127.0.0.1:" + customerPort + "\""));
        try {
            p.awaitUdpBound(port, Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
        return new RoutingTrunk(p, port);
    }

    public String output() {
        return process.output();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
