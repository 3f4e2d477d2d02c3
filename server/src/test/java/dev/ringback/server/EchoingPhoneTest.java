package dev.ringback.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringback.server.call.CallActivity;
import dev.ringback.server.sim.CustomerVoice;
import dev.ringback.server.peers.EchoingPhone;
import dev.ringback.server.peers.Tones;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A customer phone that echoes the agent back (attenuated, delayed, over real SIP and RTP on loopback): the agent's
 * own voice must not count as the customer talking, while the customer really talking over it still stops the agent.
 */
class EchoingPhoneTest {
    private static final double ECHO_DB = -15;
    private static final long ECHO_DELAY_MS = 120;

    @BeforeAll
    static void loadModelsBeforeStartingPeers() {
        TestServers.loadSpeech();
    }

    @Test
    void echoOfTheAgentIsNotABargeIn() throws Exception {
        Path dir = Files.createDirectories(Path.of("e2e", "echo-" + System.nanoTime()));
        Run run = call(dir, new short[0]);
        assertTrue(run.bargeIns().isEmpty(), "the agent's echo interrupted it: " + run.bargeIns());
        String agent = SmsCallbackCallTest.texts(run.call().get("turns"), "agent");
        assertTrue(agent.contains("this call is recorded") && agent.contains("how can i help"), "the whole opening was said: " + agent);
        assertFalse(agent.contains("just so you know"), "no disclosure repeated after a false interruption: " + agent);
        // the echo really came back: the customer side of the recording carries it
        int echoed = Tones.loudFrames(Tones.channel(Path.of(run.call().get("recording").asText()), 0), 150);
        assertTrue(echoed >= 50, "echo on the customer channel in " + echoed + " frames");
    }

    @Test
    void customerTalkingOverTheEchoStillStopsTheAgent() throws Exception {
        Path dir = Files.createDirectories(Path.of("e2e", "echo-barge-" + System.nanoTime()));
        short[] line = CustomerVoice.best(TestServers.speech(TestServers.config(dir, 5060, Map.of())).tts(), dir).speak("Sorry, can someone come out tomorrow morning?");
        Run run = call(dir, line);
        assertFalse(run.bargeIns().isEmpty(), "the customer's words over the echo did not stop the agent");
        List<String> opening = new ArrayList<>();
        for (JsonNode t : run.call().get("turns")) {
            if (t.get("speaker").asText().equals("customer")) break;
            opening.add(t.get("text").asText());
        }
        assertTrue(opening.contains(run.bargeIns().get(0).interruptedSentence()),
                "the first interruption cut the opening " + opening + ": " + run.bargeIns());
        String heard = SmsCallbackCallTest.texts(run.call().get("turns"), "customer");
        assertTrue(heard.contains("tomorrow") || heard.contains("morning"), "the customer's words were recognised over the echo: " + heard);
    }

    private record Run(JsonNode call, List<CallActivity.BargeIn> bargeIns) {}

    private Run call(Path dir, short[] line) throws Exception {
        List<CallActivity.BargeIn> bargeIns = new CopyOnWriteArrayList<>();
        try (EchoingPhone phone = EchoingPhone.start(ECHO_DB, ECHO_DELAY_MS, line, 1500);
             RingbackServer server = TestServers.start(TestServers.config(dir, phone.sipPort(), Map.of("call.silence-timeout-s", "3")));
             AutoCloseable watching = server.monitor().watch(a -> {
                 if (a instanceof CallActivity.BargeIn b) bargeIns.add(b);
             })) {
            var api = new ApiClient(server.httpPort());
            var reply = api.post("/api/sms/inbound", Webhooks.toiletCallback("+61412000444"));
            assertEquals(202, reply.status(), "webhook reply: " + reply.json());
            JsonNode request = api.awaitTerminal(reply.json().get("id").asText(), Duration.ofSeconds(90));
            JsonNode call = api.get("/api/calls/" + request.get("calls").get(0).asText()).json();
            for (JsonNode t : call.get("turns")) System.out.println("TRANSCRIPT " + t.get("speaker").asText() + ": " + t.get("text").asText());
            return new Run(call, List.copyOf(bargeIns));
        }
    }
}
