package dev.ringback.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringback.server.peers.BaresipPhone;
import dev.ringback.server.peers.Tones;
import dev.ringback.server.peers.WireCapture;
import dev.ringback.server.peers.WireCapture.Datagram;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One SMS callback to a baresip customer through a real server, with the UDP traffic captured: the call record and the
 * wire, for the tests that check the media path end to end.
 *
 * @param call   the call record ({@code GET /api/calls/{id}})
 * @param wire   every UDP datagram on ports 10000–32767 during the call
 * @param rtpMin the server's RTP port range, to tell the agent's packets apart
 */
record BaresipCustomerCall(JsonNode call, List<Datagram> wire, int rtpMin, int rtpMax) {

    /** Runs the callback to {@code customer} (baresip's number) and waits until the request completed; closes the phone. */
    static BaresipCustomerCall run(Path dir, BaresipPhone phone, String customer, Map<String, String> settings)
            throws Exception {
        try (phone;
             WireCapture capture = WireCapture.start(dir.resolve("wire.pcap"), "udp and portrange 10000-32767");
             RingbackServer server = TestServers.start(TestServers.config(dir, phone.sipPort, settings))) {
            var api = new ApiClient(server.httpPort());
            var reply = api.post("/api/sms/inbound", Webhooks.toiletCallback(customer));
            assertEquals(202, reply.status(), "webhook reply: " + reply.json());
            JsonNode request = api.awaitTerminal(reply.json().get("id").asText(), Duration.ofSeconds(60));
            assertEquals("completed", request.get("state").asText(), "request: " + request + "\nbaresip:\n" + phone.output());
            JsonNode call = api.get("/api/calls/" + request.get("calls").get(0).asText()).json();
            return new BaresipCustomerCall(call, capture.stop(), server.config().rtp().portMin(),
                    server.config().rtp().portMax());
        }
    }

    /** What left the agent's RTP ports (RTP, and RTCP from the odd ports or muxed). */
    List<Datagram> fromAgent() {
        return wire.stream().filter(d -> d.srcPort() >= rtpMin && d.srcPort() <= rtpMax).toList();
    }

    /** Frames of {@code hz} on the recording's customer channel: the phone's audio, as we decoded it. */
    int customerToneFrames(double hz) throws IOException {
        return Tones.framesWithTone(Tones.channel(Path.of(call.get("recording").asText()), 0), hz);
    }
}
