package dev.ringback.server;

import dev.ringback.server.peers.BaresipPhone;
import dev.ringback.server.peers.Tones;
import dev.ringback.server.peers.WireCapture.Datagram;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
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
        BaresipPhone phone = BaresipPhone.start(dir, prompt, CUSTOMER, false, true);
        BaresipCustomerCall run = BaresipCustomerCall.run(dir, phone, CUSTOMER, Map.of("call.silence-timeout-s", "30"));

        List<Datagram> fromAgent = run.fromAgent();
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
        int tone = run.customerToneFrames(PHONE_TONE_HZ);
        assertTrue(tone >= 100, "the phone's tone on the recording's customer channel in " + tone + " frames");
    }

    /** RFC 5761 §4: on a muxed port, a second byte in 192..223 is RTCP (SR 200, RR 201, …). */
    private static boolean isRtcp(Datagram d) {
        byte[] b = d.payload();
        return b.length >= 8 && (b[0] & 0xc0) == 0x80 && (b[1] & 0xff) >= 192 && (b[1] & 0xff) <= 223;
    }
}
