package dev.ringback.server;

import dev.ringback.server.SmsCallbackCallTest.Rtp;
import dev.ringback.server.peers.Sipp;
import dev.ringback.server.peers.WireCapture;
import dev.ringback.server.peers.WireCapture.Datagram;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The customer's phone puts the agent on hold and later resumes on a different RTP port (re-INVITEs from a SIPp
 * customer): the agent's RTP stops while held and then goes to the new port, one stream (same SSRC, sequence carrying
 * on), never again to the old one. Everything is checked on the wire.
 */
class CustomerHoldAndMoveTest {
    /** Packets already in flight when the 200 to a re-INVITE leaves. */
    private static final long GRACE_MICROS = 60_000;

    @BeforeAll
    static void loadModelsBeforeStartingPeers() {
        TestServers.loadSpeech();
    }

    @Test
    void rtpFollowsHoldResumeAndANewMediaPort() throws Exception {
        Path dir = Files.createDirectories(Path.of("e2e", "hold-" + System.nanoTime()));
        Path scenario = Path.of(getClass().getResource("/sipp/uas_customer_holds_and_moves.xml").toURI());
        List<Datagram> wire;
        int sipPort;
        int oldPort;
        int newPort;
        try (Sipp customer = Sipp.uas(scenario, dir, 60)) {
            sipPort = customer.sipPort;
            oldPort = customer.mediaPort;
            newPort = customer.mediaPort + 2;
            try (WireCapture capture = WireCapture.start(dir.resolve("wire.pcap"),
                    "udp and (port " + sipPort + " or port " + oldPort + " or port " + newPort + ")");
                 RingbackServer server = TestServers.start(TestServers.config(dir, sipPort, Map.of("call.silence-timeout-s", "30")))) {
                var api = new ApiClient(server.httpPort());
                var reply = api.post("/api/sms/inbound", Webhooks.toiletCallback("+61412000222"));
                assertEquals(202, reply.status(), "webhook reply: " + reply.json());
                api.awaitTerminal(reply.json().get("id").asText(), Duration.ofSeconds(60));
                assertEquals(0, customer.awaitExit(20), "SIPp customer did not finish as scripted:\n" + customer.output());
                wire = capture.stop();
            }
        }

        long holdAnswered = okToReInvite(wire, sipPort, "2 INVITE");
        long resumeAnswered = okToReInvite(wire, sipPort, "3 INVITE");
        List<Rtp> toOld = rtpTo(wire, oldPort);
        List<Rtp> toNew = rtpTo(wire, newPort);

        assertTrue(toOld.stream().filter(r -> r.epochMicros() < holdAnswered).count() > 50,
                "the agent talked to the first port before the hold: " + toOld.size() + " packets");
        assertEquals(0, toOld.stream().filter(r -> r.epochMicros() > holdAnswered + GRACE_MICROS).count(),
                "no RTP to the old port once on hold (and never after the move)");
        assertEquals(0, toNew.stream().filter(r -> r.epochMicros() < resumeAnswered).count(), "nothing to the new port before the resume");
        List<Rtp> resumed = toNew.stream().filter(r -> r.epochMicros() > resumeAnswered).toList();
        assertTrue(resumed.size() > 50, "RTP went to the new port after the resume: " + resumed.size() + " packets");

        Rtp lastBeforeHold = toOld.get(toOld.size() - 1);
        Rtp firstAfter = resumed.get(0);
        assertEquals(lastBeforeHold.ssrc(), firstAfter.ssrc(), "one stream across hold and move");
        assertEquals((lastBeforeHold.seq() + 1) & 0xffff, firstAfter.seq(), "sequence numbers carry on without a gap");
        assertTrue(firstAfter.timestamp() - lastBeforeHold.timestamp() >= 160L * 50,
                "the RTP clock kept running through the hold (timestamp gap " + (firstAfter.timestamp() - lastBeforeHold.timestamp()) + ")");
    }

    /** When our 200 to the customer's re-INVITE with this CSeq left. */
    private static long okToReInvite(List<Datagram> wire, int sipPort, String cseq) {
        return wire.stream().filter(d -> d.dstPort() == sipPort && d.text().startsWith("SIP/2.0 200")
                        && SmsCallbackCallTest.header(d.text(), "CSeq").equals(cseq))
                .mapToLong(Datagram::epochMicros).min()
                .orElseThrow(() -> new AssertionError("no 200 to the re-INVITE with CSeq " + cseq));
    }

    private static List<Rtp> rtpTo(List<Datagram> wire, int port) {
        return wire.stream().filter(d -> d.dstPort() == port).map(Rtp::parse).filter(r -> r != null && r.payloadType() == 0).toList();
    }
}
