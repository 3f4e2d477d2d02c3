package dev.ringback.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * `./ringback demo --scenario 05-after-hours-emergency.yaml --json` over real SIP and RTP: the simulated customer
 * speaks the emergency and the agent offers the on-call person; the demo's on-call phone answers, so the caller is
 * put through; when it is busy ({@code --on-call busy}) the caller is told and the owner gets an urgent message.
 */
class DemoCommandTest {

    @Test
    void afterHoursEmergencyIsPutThroughToTheOnCallPhone() throws Exception {
        JsonNode result = demo("answer");
        assertEquals("transferred", result.get("outcome").asText(), result.toPrettyString());
        assertTrue(toolCalled(result, "transfer_to_oncall"), "transfer_to_oncall ran: " + result.get("tool_calls"));
        String agent = agentSaid(result);
        assertTrue(agent.contains("Putting you through"), agent);
        assertTrue(agent.contains("AI assistant") && agent.contains("recorded"), agent);
    }

    @Test
    void aBusyOnCallPhoneIsNotADeadEnd() throws Exception {
        JsonNode result = demo("busy");
        assertEquals("transfer-failed", result.get("outcome").asText(), result.toPrettyString());
        assertTrue(toolCalled(result, "transfer_to_oncall"), "transfer_to_oncall ran: " + result.get("tool_calls"));
        String agent = agentSaid(result);
        assertTrue(agent.contains("couldn't put you through") && agent.contains("urgent message"), agent);
    }

    private static boolean toolCalled(JsonNode result, String tool) {
        boolean called = false;
        for (JsonNode call : result.get("tool_calls")) called |= call.get("tool").asText().equals(tool);
        return called;
    }

    private static String agentSaid(JsonNode result) {
        String agent = "";
        for (JsonNode turn : result.get("turns")) if (turn.get("speaker").asText().equals("agent")) agent += turn.get("text").asText() + " ";
        return agent;
    }

    private static JsonNode demo(String onCall) throws Exception {
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
                    "--config", config.toString(), "--on-call", onCall, "--json"}));
        } finally {
            System.setOut(stdout);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        System.out.println(out);
        assertEquals(0, exit, out);
        JsonNode result = new ObjectMapper().readTree(out.substring(out.indexOf("{\n")));
        assertEquals("05-after-hours-emergency", result.get("scenario").asText());
        return result;
    }
}
