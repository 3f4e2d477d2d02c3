package dev.ringback.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringback.server.config.RingbackConfig;
import dev.ringback.server.peers.FreePorts;
import dev.ringback.server.peers.Sipp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 of a real server JVM while one call is ringing and three requests wait (one acknowledged just
 * before the kill), then a restart on the same H2 file: nothing acknowledged is lost, the interrupted call
 * is not dialled again (failed + owner message + callback), the waiting ones are dialled exactly once each,
 * and every request ends in a terminal state the API shows.
 */
class CrashRecoveryTest {
    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void killChildren() {
        children.forEach(Process::destroyForcibly);
    }

    @Test
    void killNineWhileRingingAndPendingThenRestartLosesNothingAndDialsNothingTwice() throws Exception {
        Path dir = Files.createDirectories(Path.of("e2e", "crash-" + System.nanoTime())).toAbsolutePath();
        int httpPort = FreePorts.udpAndTcp();
        var api = new ApiClient(httpPort);
        List<String> ids = new ArrayList<>();

        try (Sipp ringing = Sipp.uas(scenario("uas_ring_no_answer.xml"), dir.resolve("sipp-ring"), 180)) {
            Process first = startServer(dir, httpPort, ringing.sipPort, "first");
            for (String number : List.of("+61412000801", "+61412000802", "+61412000803")) {
                var reply = api.post("/api/sms/inbound", Webhooks.toiletCallback(number));
                assertEquals(202, reply.status());
                ids.add(reply.json().get("id").asText());
            }
            awaitState(api, ids.get(0), "ringing", Duration.ofSeconds(30));
            assertEquals("pending", api.get("/api/requests/" + ids.get(1)).json().get("state").asText());
            assertEquals("pending", api.get("/api/requests/" + ids.get(2)).json().get("state").asText());
            var last = api.post("/api/sms/inbound", Webhooks.toiletCallback("+61412000804"));
            assertEquals(202, last.status());
            ids.add(last.json().get("id").asText()); // acknowledged a moment before the kill: must not be lost

            first.destroyForcibly(); // SIGKILL: no shutdown hook, no BYE/CANCEL, no clean DB close
            assertTrue(first.waitFor(20, TimeUnit.SECONDS), "the server JVM died");
        }

        try (Sipp busy = Sipp.uas(scenario("uas_486.xml"), dir.resolve("sipp-busy"), 120, "-m", "3")) {
            startServer(dir, httpPort, busy.sipPort, "second");
            JsonNode interrupted = api.awaitTerminal(ids.get(0), Duration.ofSeconds(30));
            assertEquals("failed", interrupted.get("state").asText());
            assertTrue(interrupted.get("reason").asText().contains("restarted"), interrupted.toString());
            assertEquals(1, interrupted.get("calls").size(), "not dialled again: " + interrupted);
            assertTrue(interrupted.get("history").toString().contains("\"ringing\""),
                    "the ringing the API showed before the kill survived it: " + interrupted);
            for (String id : ids.subList(1, 4)) {
                JsonNode r = api.awaitTerminal(id, Duration.ofSeconds(30));
                assertEquals("busy", r.get("state").asText(), r.toString());
                assertEquals(1, r.get("calls").size(), "dialled once: " + r);
            }
            assertEquals(0, busy.awaitExit(20), "SIPp saw exactly the 3 waiting requests' INVITEs:\n" + busy.output());
            String messages = api.get("/api/messages").json().toString();
            assertTrue(messages.contains("+61412000801") && messages.contains("restarted"), messages);
            assertTrue(api.get("/api/callbacks").json().toString().contains("+61412000801"));
        }
    }

    /** {@code java -cp <this test classpath> dev.ringback.server.cli.Main run --config <generated yaml>}, ready when HTTP answers. */
    private Process startServer(Path dir, int httpPort, int trunkPort, String name) throws Exception {
        Path root = TestServers.root();
        int rtp = FreePorts.evenRange(20);
        Path yaml = dir.resolve(name + ".yaml");
        Files.writeString(yaml, """
                http: {host: 127.0.0.1, port: %d}
                sip:
                  listen: {host: 127.0.0.1, port: 0}
                  trunk: {host: 127.0.0.1, port: %d, transport: udp}
                  invite-timeout-ms: 2000
                  ring-timeout-s: 120
                rtp: {host: 127.0.0.1, port-min: %d, port-max: %d}
                db: {url: "jdbc:h2:file:%s%s"}
                business: {file: "%s"}
                asr: {vosk-model: "%s"}
                vad: {model: "%s"}
                recordings: {dir: "%s"}
                dispatcher: {poll-interval-ms: 100, max-concurrent-calls: 1}
                retry: {max-attempts: 1}
                """.formatted(httpPort, trunkPort, rtp, rtp + 19, dir.resolve("db/ringback"), shippedDbOptions(root),
                root.resolve("conf/business.yaml"), root.resolve("models/vosk-model-small-en-us-0.15"),
                root.resolve("models/silero-vad/silero_vad_v5.onnx"), dir.resolve("recordings")));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), "-Dringback.root=" + root,
                "dev.ringback.server.cli.Main", "run", "--config", yaml.toString())
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
        children.add(p);
        var api = new ApiClient(httpPort);
        long end = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < end) {
            if (!p.isAlive()) throw new AssertionError("server " + name + " exited:\n" + Files.readString(dir.resolve(name + ".log")));
            try {
                if (api.get("/api/workflows").status() == 200) return p;
            } catch (IOException notYet) {
                // refused or reset: still loading models
            }
            Thread.sleep(200);
        }
        throw new AssertionError("server " + name + " not ready:\n" + Files.readString(dir.resolve(name + ".log")));
    }

    /** The H2 options of the shipped config (durability on commit), so the test proves what users run. */
    private static String shippedDbOptions(Path root) {
        String url = RingbackConfig.load(root.resolve("conf/ringback.yaml"), Map.of(), Map.of()).db().url();
        int options = url.indexOf(';');
        return options < 0 ? "" : url.substring(options);
    }

    private static void awaitState(ApiClient api, String id, String state, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < end) {
            last = api.get("/api/requests/" + id).json();
            if (state.equals(last.get("state").asText())) return;
            Thread.sleep(50);
        }
        throw new AssertionError("request " + id + " never " + state + ": " + last);
    }

    private Path scenario(String name) throws Exception {
        return Path.of(getClass().getResource("/sipp/" + name).toURI());
    }
}
