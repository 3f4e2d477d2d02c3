package dev.ringback.server.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringback.agent.business.BusinessProfile;
import dev.ringback.agent.scenario.Scenario;
import dev.ringback.agent.scenario.ScenarioConversation;
import dev.ringback.agent.tools.ToolCallRecord;
import dev.ringback.media.RtpConfig;
import dev.ringback.media.RtpEngine;
import dev.ringback.server.RingbackServer;
import dev.ringback.server.TestServers;
import dev.ringback.server.call.CallActivity;
import dev.ringback.server.peers.FreePorts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scenarios as real calls (SIP and RTP on loopback, the configured recogniser, VAD and TTS) with the simulated
 * customer speaking in flite's rms voice and reacting to the agent's words.
 */
class SimulatedCustomerCallTest {

    @BeforeAll
    static void loadModels() {
        TestServers.loadSpeech();
    }

    @Test
    void aBookingCallOverRealAudioEndsBookedAtTheTimeTheCustomerAskedFor() throws Exception {
        ScenarioCall.Result r = call(TestServers.root().resolve("conf/scenarios/01-book-toilet.yaml"));
        assertEquals("booked", r.outcome(), transcript(r));
        ToolCallRecord booking = last(r, "book_job_time");
        assertEquals("2026-12-03", booking.args().get("date"), transcript(r));
        assertTrue(r.customer().turnLatenciesMs().size() >= 2, "the agent answered the customer's lines: " + r.customer());
    }

    @Test
    void theCustomerRefusesTheFirstTimeOfferedAndIsBookedWhenTheyWanted() throws Exception {
        ScenarioCall.Result r = call(Path.of(SimulatedCustomerCallTest.class.getResource("/sim/refuses-the-first-offer.yaml").toURI()));
        assertTrue(r.customer().refusals() >= 1, "the first offer did not suit and was refused: " + transcript(r));
        assertEquals("booked", r.outcome(), transcript(r));
        assertEquals("2026-12-04", last(r, "book_job_time").args().get("date"), "booked on the Friday they asked for: " + transcript(r));
    }

    private static ScenarioCall.Result call(Path scenarioFile) throws Exception {
        Scenario scenario = ScenarioConversation.load(scenarioFile);
        Path dir = Files.createDirectories(Path.of("e2e", "sim-" + scenario.id() + "-" + System.nanoTime()));
        int phonePorts = FreePorts.evenRange(20);
        try (RtpEngine phones = new RtpEngine(new RtpConfig("127.0.0.1", phonePorts, phonePorts + 19));
             LoopbackTrunk trunk = LoopbackTrunk.start("127.0.0.1");
             RingbackServer server = TestServers.start(TestServers.config(dir, trunk.sipPort(), Map.of("call.silence-timeout-s", "8")))) {
            BusinessProfile business = BusinessProfile.load(TestServers.root().resolve("conf/business.yaml"));
            CustomerVoice voice = CustomerVoice.parse("rms", TestServers.speech(server.config()).tts(), dir);
            var stage = new ScenarioCall.Stage(server, trunk, phones, business, "127.0.0.1");
            ScenarioCall.Result r = ScenarioCall.place(stage, scenario, scenario.customer().phone(), voice,
                    Duration.ofSeconds(180), printing()).get();
            System.out.println(transcript(r));
            return r;
        }
    }

    private static ToolCallRecord last(ScenarioCall.Result r, String tool) {
        List<ToolCallRecord> calls = r.conversation().toolCalls().stream().filter(t -> t.tool().equals(tool)).toList();
        assertTrue(!calls.isEmpty(), tool + " was called: " + transcript(r));
        return calls.get(calls.size() - 1);
    }

    private static String transcript(ScenarioCall.Result r) {
        StringBuilder b = new StringBuilder(r.scenario().id() + " (" + r.outcome() + "):\n");
        r.conversation().turns().forEach(t -> b.append("  ").append(t.speaker()).append(": ").append(t.text()).append('\n'));
        r.conversation().toolCalls().forEach(t -> b.append("  [").append(t.tool()).append(' ').append(t.args()).append("]\n"));
        return b.toString();
    }

    private static ScenarioCall.Watcher printing() {
        return new ScenarioCall.Watcher() {
            @Override
            public void activity(CallActivity a) {
                if (a instanceof CallActivity.CustomerSaid s) System.out.println("  (agent heard: " + s.text() + ")");
            }

            @Override
            public void customerSaid(CustomerScript.Say say) {
                System.out.println("customer: " + say.line().text() + " [" + say.reason() + "]");
            }
        };
    }

}
