package dev.ringback.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringback.server.CliArgs;
import dev.ringback.server.TestServers;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `./ringback demo --scenario 05-after-hours-emergency.yaml --json` over real SIP and RTP: the loopback phone
 * speaks the emergency, the agent offers the on-call person and sends REFER; the phone (like many trunks)
 * refuses REFER, so the caller is told and the owner gets an urgent message.
 */
class DemoCommandTest {

    @Test
    void afterHoursEmergencyIsOfferedTheOnCallPersonAndAFailedTransferIsNotADeadEnd() throws Exception {
        Path root = TestServers.root();
        Path config = Files.createDirectories(Path.of("demo-test")).resolve("ringback.yaml");
        // the shipped config with absolute paths: the test runs in target/, not the project root
        Files.writeString(config, Files.readString(root.resolve("conf/ringback.yaml"))
                .replace("file: conf/business.yaml", "file: " + root.resolve("conf/business.yaml"))
                .replace("model: models/silero-vad/silero_vad_v5.onnx", "model: " + root.resolve("models/silero-vad/silero_vad_v5.onnx"))
                .replace("port-min: 16384", "port-min: 24000")
                .replace("port-max: 16999", "port-max: 24199"));

        PrintStream stdout = System.out;
        var captured = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exit = DemoCommand.run(CliArgs.parse(new String[] {
                    "--scenario", root.resolve("conf/scenarios/05-after-hours-emergency.yaml").toString(),
                    "--config", config.toString(), "--json"}));
        } finally {
            System.setOut(stdout);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        System.out.println(out);
        assertEquals(0, exit, out);
        JsonNode result = new ObjectMapper().readTree(out.substring(out.indexOf('{')));
        assertEquals("05-after-hours-emergency", result.get("scenario").asText());
        assertEquals("transfer-failed", result.get("outcome").asText(), out);
        boolean transferCalled = false;
        for (JsonNode call : result.get("tool_calls")) transferCalled |= call.get("tool").asText().equals("transfer_to_oncall");
        assertTrue(transferCalled, "transfer_to_oncall ran: " + result.get("tool_calls"));
        String agent = "";
        for (JsonNode turn : result.get("turns")) if (turn.get("speaker").asText().equals("agent")) agent += turn.get("text").asText() + " ";
        assertTrue(agent.contains("couldn't put you through") && agent.contains("urgent message"), agent);
        assertTrue(agent.contains("AI assistant") && agent.contains("recorded"), agent);
    }
}
