package dev.ringback.server.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.ringback.server.ApiClient;
import dev.ringback.server.RingbackServer;
import dev.ringback.server.SmsCallbackCallTest;
import dev.ringback.server.SmsCallbackCallTest.Rtp;
import dev.ringback.server.TestServers;
import dev.ringback.server.Webhooks;
import dev.ringback.server.peers.CustomerAudio;
import dev.ringback.server.peers.FreePorts;
import dev.ringback.server.peers.Sipp;
import dev.ringback.server.peers.WireCapture;
import dev.ringback.server.peers.WireCapture.Datagram;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Measures the walking skeleton's figures from the wire (not a test: it asserts nothing about speed).
 * Run: {@code mvn -B -pl server -am test -Dtest=WalkingSkeletonBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 */
class WalkingSkeletonBenchmark {
    static final int WEBHOOKS = Integer.getInteger("bench.webhooks", 30);
    static final int CALLS = Integer.getInteger("bench.calls", 3);

    @BeforeAll
    static void loadModels() {
        TestServers.loadSpeech();
    }

    /** Webhook POST sent -> INVITE on the wire, against a trunk that answers 503 at once. */
    @Test
    void webhookToInvite() throws Exception {
        Path dir = Files.createDirectories(Path.of("bench", "webhook-" + System.nanoTime()));
        Path scenario = Path.of(getClass().getResource("/sipp/uas_503.xml").toURI());
        List<Double> ms = new ArrayList<>();
        try (Sipp trunk = Sipp.uas(scenario, dir, 300, "-m", String.valueOf(WEBHOOKS));
             WireCapture wire = WireCapture.start(dir.resolve("wire.pcap"), "udp and port " + trunk.sipPort);
             RingbackServer server = TestServers.start(TestServers.config(dir, trunk.sipPort, Map.of()))) {
            warmTestClient();
            var api = new ApiClient(server.httpPort());
            List<Long> posted = new ArrayList<>();
            for (int i = 0; i < WEBHOOKS; i++) {
                posted.add(SmsCallbackCallTest.nowMicros());
                var reply = api.post("/api/sms/inbound", Webhooks.toiletCallback(String.format("+614120%05d", i)));
                api.awaitTerminal(reply.json().get("id").asText(), Duration.ofSeconds(20));
            }
            List<Datagram> invites = wire.stop().stream().filter(d -> d.text().startsWith("INVITE ")).toList();
            for (int i = 0; i < WEBHOOKS; i++) {
                String number = String.format("+614120%05d", i);
                long sent = posted.get(i);
                invites.stream().filter(d -> d.text().startsWith("INVITE sip:" + number + "@")).findFirst()
                        .ifPresent(d -> ms.add((d.epochMicros() - sent) / 1000.0));
            }
        }
        System.out.printf("BENCH first webhook after start-up -> INVITE: %.1f ms%n", ms.isEmpty() ? Double.NaN : ms.get(0));
        report("webhook POST -> INVITE on the wire", ms);
    }

    /** The test's own HTTP client pays its class loading on a throw-away server, not inside the first sample. */
    private static void warmTestClient() throws Exception {
        HttpServer throwAway = HttpServer.create(new InetSocketAddress("127.0.0.1", FreePorts.udpAndTcp()), 0);
        throwAway.createContext("/", exchange -> {
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        throwAway.start();
        try {
            new ApiClient(throwAway.getAddress().getPort()).post("/warm", "{}");
        } finally {
            throwAway.stop(0);
        }
    }

    /** End of the customer's speech (last voiced RTP from the phone) -> first voiced RTP of the agent's reply. */
    @Test
    void turnLatency() throws Exception {
        Path dir = Files.createDirectories(Path.of("bench", "turns-" + System.nanoTime()));
        CustomerAudio.ulaw("Hi, yes. Could someone come out on Thursday morning?", dir, "customer");
        Path scenario = Path.of(getClass().getResource("/sipp/uas_customer_speaks.xml").toURI());
        List<Double> ms = new ArrayList<>();
        for (int call = 0; call < CALLS; call++) {
            try (Sipp customer = Sipp.uas(scenario, dir, 120);
                 WireCapture wire = WireCapture.start(dir.resolve("wire-" + call + ".pcap"), "udp and port " + customer.mediaPort);
                 RingbackServer server = TestServers.start(TestServers.config(dir.resolve("call-" + call), customer.sipPort, Map.of()))) {
                var api = new ApiClient(server.httpPort());
                var reply = api.post("/api/sms/inbound", Webhooks.toiletCallback("+61412000111"));
                JsonNode request = api.awaitTerminal(reply.json().get("id").asText(), Duration.ofSeconds(100));
                List<Datagram> packets = wire.stop();
                List<Rtp> fromCustomer = packets.stream().filter(d -> d.srcPort() == customer.mediaPort).map(Rtp::parse).filter(r -> r != null).toList();
                List<Rtp> toCustomer = packets.stream().filter(d -> d.dstPort() == customer.mediaPort).map(Rtp::parse).filter(r -> r != null).toList();
                long speechEnd = fromCustomer.stream().filter(Rtp::voiced).mapToLong(Rtp::epochMicros).max().orElse(0);
                toCustomer.stream().filter(r -> r.voiced() && r.epochMicros() > speechEnd).mapToLong(Rtp::epochMicros).min()
                        .ifPresent(first -> ms.add((first - speechEnd) / 1000.0));
                JsonNode call1 = api.get("/api/calls/" + request.get("calls").get(0).asText()).json();
                System.out.println("BENCH call " + call + " heard: " + SmsCallbackCallTest.texts(call1.get("turns"), "customer"));
            }
        }
        report("end of customer speech -> first agent reply RTP", ms);
    }

    static void report(String what, List<Double> ms) {
        List<Double> sorted = new ArrayList<>(ms);
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            System.out.println("BENCH " + what + ": no samples");
            return;
        }
        System.out.printf("BENCH %s: n=%d p50=%.1f ms p95=%.1f ms max=%.1f ms%n", what, sorted.size(),
                sorted.get(sorted.size() / 2), sorted.get((int) Math.ceil(sorted.size() * 0.95) - 1), sorted.get(sorted.size() - 1));
    }
}
