package dev.ringback.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringback.server.peers.CustomerAudio;
import dev.ringback.server.peers.Sipp;
import dev.ringback.server.peers.WireCapture;
import dev.ringback.server.peers.WireCapture.Datagram;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The walking skeleton end to end: an SMS webhook makes Ringback call a SIPp customer through the
 * trunk; the agent speaks, the customer's real (flite) speech is recognised, the agent hangs up.
 */
public class SmsCallbackCallTest {

    @BeforeAll
    static void loadModelsBeforeStartingPeers() {
        TestServers.loadSpeech();
    }
    static final String CUSTOMER = "+61412000111";
    static final String CUSTOMER_LINE = "Hi, yes. Could someone come out on Thursday morning?";

    @Test
    void smsCallbackRequestBecomesACallThatSpeaksListensAndHangsUp() throws Exception {
        Path dir = Files.createDirectories(Path.of("e2e", "call-" + System.nanoTime()));
        CustomerAudio.ulaw(CUSTOMER_LINE, dir, "customer");
        Path scenario = Path.of(getClass().getResource("/sipp/uas_customer_speaks.xml").toURI());

        List<Datagram> wire;
        JsonNode request;
        JsonNode call;
        long postedMicros;
        int sipPort;
        int mediaPort;
        try (Sipp customer = Sipp.uas(scenario, dir, 120)) {
            sipPort = customer.sipPort;
            mediaPort = customer.mediaPort;
            try (WireCapture capture = WireCapture.start(dir.resolve("wire.pcap"),
                    "udp and (port " + sipPort + " or port " + mediaPort + ")");
                 RingbackServer server = TestServers.start(TestServers.config(dir, sipPort, Map.of()))) {
                var api = new ApiClient(server.httpPort());
                postedMicros = nowMicros();
                var reply = api.post("/api/sms/inbound", Webhooks.toiletCallback(CUSTOMER));
                assertEquals(202, reply.status(), "webhook reply: " + reply.json());
                String requestId = reply.json().get("id").asText();

                request = api.awaitTerminal(requestId, Duration.ofSeconds(100));
                assertEquals(0, customer.awaitExit(30), "SIPp customer did not finish as scripted:\n" + customer.output());
                String callId = request.get("calls").get(0).asText();
                call = api.get("/api/calls/" + callId).json();
                wire = capture.stop();
            }
        }

        assertEquals("completed", request.get("state").asText(), "request: " + request);

        // Signalling: INVITE to the number that texted; the agent's BYE answered with 200.
        Datagram invite = first(wire, d -> d.dstPort() == sipPort && d.text().startsWith("INVITE "));
        assertTrue(invite.text().startsWith("INVITE sip:" + CUSTOMER + "@"), invite.text());
        assertTrue(header(invite.text(), "To").contains("sip:" + CUSTOMER + "@"), "To: " + header(invite.text(), "To"));
        assertTrue(wire.stream().anyMatch(d -> d.dstPort() == sipPort && d.text().startsWith("BYE ")), "the agent sent BYE");
        assertTrue(wire.stream().anyMatch(d -> d.srcPort() == sipPort && d.text().startsWith("SIP/2.0 200")
                && header(d.text(), "CSeq").endsWith("BYE")), "the customer answered the BYE with 200");

        // Media: the agent's RTP as the customer received it.
        List<Rtp> agent = wire.stream().filter(d -> d.dstPort() == mediaPort).map(Rtp::parse).filter(r -> r != null).toList();
        assertTrue(agent.size() > 250, "at least 5 s of agent RTP, got " + agent.size() + " packets");
        long ssrc = agent.get(0).ssrc();
        for (int i = 1; i < agent.size(); i++) {
            Rtp prev = agent.get(i - 1), cur = agent.get(i);
            assertEquals(0, cur.payloadType(), "PCMU only");
            assertEquals(ssrc, cur.ssrc(), "one SSRC for the call");
            assertEquals((prev.seq() + 1) & 0xffff, cur.seq(), "consecutive sequence numbers at packet " + i);
            assertEquals((prev.timestamp() + 160) & 0xffffffffL, cur.timestamp(), "timestamp +160 at packet " + i);
            assertEquals(160, cur.payload().length, "20 ms of PCMU per packet");
        }
        double spanMs = (agent.get(agent.size() - 1).epochMicros() - agent.get(0).epochMicros()) / 1000.0;
        double meanIntervalMs = spanMs / (agent.size() - 1);
        assertTrue(meanIntervalMs > 18 && meanIntervalMs < 22, "mean packet interval " + meanIntervalMs + " ms");
        long voiced = agent.stream().filter(Rtp::voiced).count();
        assertTrue(voiced * 20 >= 3000 && voiced * 20 <= 90_000, "agent speech of plausible length: " + voiced * 20 + " ms");

        // What the customer said is in the transcript, the API shows the call.
        JsonNode turns = call.get("turns");
        for (JsonNode t : turns) System.out.println("TRANSCRIPT " + t.get("speaker").asText() + ": " + t.get("text").asText());
        String heard = texts(turns, "customer");
        assertTrue(heard.contains("thursday") && heard.contains("morning"), "customer turns: " + heard);
        assertFalse(texts(turns, "agent").isEmpty(), "agent turns recorded");
        assertEquals("ended", call.get("state").asText());

        // The recording: stereo, customer left and agent right, both with speech in it.
        Path wav = Path.of(call.get("recording").asText());
        try (var in = javax.sound.sampled.AudioSystem.getAudioInputStream(wav.toFile())) {
            assertEquals(2, in.getFormat().getChannels());
            byte[] pcm = in.readAllBytes();
            double[] energy = new double[2];
            for (int i = 0; i + 3 < pcm.length; i += 4) {
                for (int ch = 0; ch < 2; ch++) {
                    short s = (short) ((pcm[i + ch * 2] & 0xff) | (pcm[i + ch * 2 + 1] << 8));
                    energy[ch] += (double) s * s;
                }
            }
            int frames = pcm.length / 4;
            assertTrue(frames > 8000 * 5, "at least 5 s recorded, got " + frames / 8000.0 + " s");
            assertTrue(Math.sqrt(energy[0] / frames) > 100, "customer speech on the left channel");
            assertTrue(Math.sqrt(energy[1] / frames) > 100, "agent speech on the right channel");
        }

        // The figures the walking skeleton reports (not asserted: measured).
        List<Rtp> customerRtp = wire.stream().filter(d -> d.srcPort() == mediaPort).map(Rtp::parse).filter(r -> r != null).toList();
        long lastCustomerVoice = customerRtp.stream().filter(Rtp::voiced).mapToLong(Rtp::epochMicros).max().orElse(0);
        long firstReply = agent.stream().filter(r -> r.voiced() && r.epochMicros() > lastCustomerVoice)
                .mapToLong(Rtp::epochMicros).min().orElse(0);
        System.out.printf("MEASURED webhook->INVITE on the wire: %.1f ms%n", (invite.epochMicros() - postedMicros) / 1000.0);
        System.out.printf("MEASURED end of customer speech->first agent reply RTP: %.0f ms%n", (firstReply - lastCustomerVoice) / 1000.0);
        System.out.printf("MEASURED agent RTP mean interval %.2f ms over %d packets%n", meanIntervalMs, agent.size());
    }

    public static String texts(JsonNode turns, String speaker) {
        List<String> out = new ArrayList<>();
        for (JsonNode t : turns) if (speaker.equals(t.get("speaker").asText())) out.add(t.get("text").asText().toLowerCase());
        return String.join(" | ", out);
    }

    static Datagram first(List<Datagram> wire, java.util.function.Predicate<Datagram> p) {
        return wire.stream().filter(p).findFirst().orElseThrow(() -> new AssertionError("not on the wire"));
    }

    static String header(String sip, String name) {
        for (String line : sip.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) return line.substring(colon + 1).trim();
        }
        return "";
    }

    public static long nowMicros() {
        var now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }

    /** An RTP packet as captured; {@code voiced} = the mu-law payload carries speech-level energy. */
    public record Rtp(long epochMicros, int payloadType, int seq, long timestamp, long ssrc, byte[] payload) {
        public static Rtp parse(Datagram d) {
            byte[] b = d.payload();
            if (b.length < 12 || (b[0] & 0xc0) != 0x80) return null;
            int cc = b[0] & 0x0f;
            int header = 12 + cc * 4;
            if (b.length < header) return null;
            int pt = b[1] & 0x7f;
            int seq = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
            long ts = ((long) (b[4] & 0xff) << 24) | ((b[5] & 0xff) << 16) | ((b[6] & 0xff) << 8) | (b[7] & 0xff);
            long ssrc = ((long) (b[8] & 0xff) << 24) | ((b[9] & 0xff) << 16) | ((b[10] & 0xff) << 8) | (b[11] & 0xff);
            return new Rtp(d.epochMicros(), pt, seq, ts, ssrc, java.util.Arrays.copyOfRange(b, header, b.length));
        }

        public boolean voiced() {
            double sum = 0;
            for (byte u : payload) {
                int s = ulawToLinear(u);
                sum += (double) s * s;
            }
            return Math.sqrt(sum / Math.max(1, payload.length)) > 500;
        }

        /** ITU-T G.711 mu-law expansion, written out here so the test does not trust the code under test. */
        static int ulawToLinear(byte b) {
            int u = ~b & 0xff;
            int t = ((u & 0x0f) << 3) + 0x84;
            t <<= (u & 0x70) >> 4;
            return (u & 0x80) != 0 ? 0x84 - t : t - 0x84;
        }
    }
}
