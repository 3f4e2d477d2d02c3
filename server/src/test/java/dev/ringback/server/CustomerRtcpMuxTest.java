package dev.ringback.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringback.server.peers.BaresipPhone;
import dev.ringback.server.peers.Tones;
import dev.ringback.server.peers.WireCapture;
import dev.ringback.server.peers.WireCapture.Datagram;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RFC 5761 end to end: our INVITE offers {@code a=rtcp-mux}; a customer phone that takes it (baresip,
 * {@code rtcp_mux yes}) gets the agent's RTP and RTCP on one port from one port, and no odd RTCP port of ours is used.
 */
class CustomerRtcpMuxTest {
    private static final String CUSTOMER = "+61412000444";
    private static final double PHONE_TONE_HZ = 1000;

    @BeforeAll
    static void loadModelsBeforeStartingPeers() {
        TestServers.loadSpeech();
    }

    @Test
    void aPhoneThatTakesRtcpMuxGetsRtpAndRtcpOnOnePort() throws Exception {
        Path dir = Files.createDirectories(Path.of("e2e", "rtcp-mux-" + System.nanoTime()));
        Path prompt = Tones.wav(dir, "customer-prompt", 2, PHONE_TONE_HZ, 3, 6);
        JsonNode call;
        List<Datagram> wire;
        int rtpMin;
        int rtpMax;
        BaresipPhone phone = BaresipPhone.start(dir, prompt, CUSTOMER, false, true);
        try (phone;
             WireCapture capture = WireCapture.start(dir.resolve("wire.pcap"), "udp and portrange 10000-32767");
             RingbackServer server = TestServers.start(TestServers.config(dir, phone.sipPort,
                     Map.of("call.silence-timeout-s", "30")))) {
            rtpMin = server.config().rtp().portMin();
            rtpMax = server.config().rtp().portMax();
            var api = new ApiClient(server.httpPort());
            var reply = api.post("/api/sms/inbound", Webhooks.toiletCallback(CUSTOMER));
            assertEquals(202, reply.status(), "webhook reply: " + reply.json());
            JsonNode request = api.awaitTerminal(reply.json().get("id").asText(), Duration.ofSeconds(60));
            assertEquals("completed", request.get("state").asText(), "request: " + request + "\nbaresip:\n" + phone.output());
            call = api.get("/api/calls/" + request.get("calls").get(0).asText()).json();
            wire = capture.stop();
        }

        List<Datagram> fromAgent = wire.stream().filter(d -> d.srcPort() >= rtpMin && d.srcPort() <= rtpMax).toList();
        List<Datagram> agentRtcp = fromAgent.stream().filter(CustomerRtcpMuxTest::isRtcp).toList();
        List<Datagram> agentRtp = fromAgent.stream().filter(d -> !isRtcp(d)).toList();
        assertTrue(agentRtp.size() > 200, "agent RTP captured: " + agentRtp.size());
        assertTrue(agentRtcp.size() >= 1, "agent RTCP captured: " + agentRtcp.size());
        assertEquals(0, fromAgent.stream().filter(d -> d.srcPort() % 2 == 1).count(), "nothing leaves our odd RTCP port");
        Set<String> rtpFlow = agentRtp.stream().map(d -> d.srcPort() + ">" + d.dstPort()).collect(Collectors.toSet());
        Set<String> rtcpFlow = agentRtcp.stream().map(d -> d.srcPort() + ">" + d.dstPort()).collect(Collectors.toSet());
        assertEquals(1, rtpFlow.size(), "one RTP flow: " + rtpFlow);
        assertEquals(rtpFlow, rtcpFlow, "RTCP goes from and to the RTP ports");

        // the phone's audio still came through: the recording's customer channel holds its tone
        int tone = Tones.framesWithTone(Tones.channel(Path.of(call.get("recording").asText()), 0), PHONE_TONE_HZ);
        assertTrue(tone >= 100, "the phone's tone on the recording's customer channel in " + tone + " frames");
    }

    /** RFC 5761 §4: on a muxed port, a second byte in 192..223 is RTCP (SR 200, RR 201, …). */
    private static boolean isRtcp(Datagram d) {
        byte[] b = d.payload();
        return b.length >= 8 && (b[0] & 0xc0) == 0x80 && (b[1] & 0xff) >= 192 && (b[1] & 0xff) <= 223;
    }
}
