package dev.ringback.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringback.server.TestServers;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * The eval as CI runs it: a smoke of one scenario in one voice, over real SIP and RTP, through the command line.
 * (The eval is a benchmark; what this checks is that it runs, scores and reports, not the score.)
 */
class EvalCommandTest {

    @Test
    void oneScenarioInOneVoiceIsCalledScoredAndReported() throws Exception {
        Path root = TestServers.root();
        Path dir = Files.createDirectories(Path.of("eval-test", "scenarios"));
        Files.copy(root.resolve("conf/scenarios/03-cancel.yaml"), dir.resolve("03-cancel.yaml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(root.resolve("conf/business.yaml"), dir.resolve("business.yaml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path config = dir.getParent().resolve("ringback.yaml");
        // the shipped config with absolute paths: the test runs in target/, not the project root
        Files.writeString(config, Files.readString(root.resolve("conf/ringback.yaml"))
                .replace("file: conf/business.yaml", "file: " + root.resolve("conf/business.yaml"))
                .replace("model: models/silero-vad/silero_vad_v5.onnx", "model: " + root.resolve("models/silero-vad/silero_vad_v5.onnx"))
                .replace("port-min: 16384", "port-min: 25000")
                .replace("port-max: 16999", "port-max: 25199"));

        PrintStream stdout = System.out;
        var captured = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exit = EvalCommand.run(CliArgs.parse(new String[] {"--scenarios", dir.toString(), "--voices", "rms", "--config", config.toString(),
                    "--out", dir.getParent().resolve("transcripts").toString(), "--json"}));
        } finally {
            System.setOut(stdout);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        System.out.println(out);
        assertEquals(0, exit, out);
        JsonNode report = new ObjectMapper().readTree(out.substring(out.indexOf("{\n")));
        assertEquals(1, report.get("runs").size(), out);
        JsonNode run = report.get("runs").get(0);
        assertEquals("03-cancel", run.get("scenario").asText());
        assertEquals("rms", run.get("voice").asText());
        assertTrue(run.get("turns").asInt() >= 2, "the customer spoke: " + run);
        assertTrue(run.has("turn_latency_p50_ms"), "latency was measured: " + run);
        assertEquals(1, report.get("voices").get("rms").get("total").asInt());
        try (var transcripts = Files.list(dir.getParent().resolve("transcripts"))) {
            assertEquals(1, transcripts.count(), "one transcript per call");
        }
    }
}
