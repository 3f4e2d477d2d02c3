package dev.ringback.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The 49 RFC 4475 torture messages (src/test/resources/torture, transcribed from the RFC) sent raw over UDP to one
 * agent. To reach the test socket the top Via names UDP and the socket's port (@PORT@), and mpart01's signature part
 * is other binary octets of the same kind. Valid requests get the answer a UA without calls would give, invalid ones
 * a 400 (505 for the unknown version) or nothing, stray responses nothing; after each, the agent must still answer
 * OPTIONS, and once all are through no transaction, dialog or call may be left behind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TortureMessageTest {
    private static final Pattern STATUS_AND_CALL_ID = Pattern.compile("^SIP/2\\.0 (\\d{3}) .*?\\r\\n(?:.*\\r\\n)*?(?:Call-ID|i) *: *(\\S+)",
            Pattern.CASE_INSENSITIVE);

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TortureMessageTest.class);
    /** Long enough for the last INVITE's final answer to give up waiting for its ACK (Timer H, 64*T1) and be gone. */
    private static final Duration DRAIN = Duration.ofSeconds(45);

    private static SipUserAgent agent;
    private static DatagramSocket socket;
    private static int probes;

    @BeforeAll
    static void startAgent() throws Exception {
        agent = SipUserAgent.start(TestAgents.config(5060));
        socket = new DatagramSocket(TestPorts.freeUdpPort(), InetAddress.getLoopbackAddress());
        socket.setSoTimeout(3000);
    }

    @AfterAll
    static void stopAgent() {
        if (socket != null) socket.close();
        if (agent != null) agent.close();
    }

    private record Reply(int status, String callId, String text) {}

    @ParameterizedTest(name = "{0} answered {1}")
    @CsvSource({
            "wsinv, 481",      // an INVITE with a To tag: in a dialog we do not know
            "intmeth, 501",    // an extension method we do not implement
            "esc01, 480",      // a new call while nobody takes calls
            "escnull, 405",    // REGISTER: we are not a registrar
            "esc02, 501",      // RE%47IST%45R is not REGISTER but a method of its own
            "lwsdisp, 200",
            "longreq, 480",
            "semiuri, 200",
            "transports, 200",
            "mpart01, 405",    // MESSAGE outside a call
            "badbranch, 200",  // a bare magic cookie for a branch: an old-style transaction, still answered
            "unkscm, 416",     // a Request-URI scheme we do not know
            "novelsc, 416",
            "unksm2, 405",
            "bext01, 420",     // Require names extensions we do not have
            "invut, 415",      // an INVITE body that is not SDP
            "regaut01, 405",
            "zeromf, 200",     // Max-Forwards 0 stops forwarding, not a UA's answer
            "cparam01, 405",
            "cparam02, 405",
            "regescrt, 405",
            "sdp01, 406",      // we could answer only with SDP, which the caller does not accept
    })
    void validRequestGetsASensibleAnswer(String name, int expected) throws Exception {
        List<Reply> replies = repliesTo(name, sendThenProbe(load(name)));
        Reply last = replies.stream().filter(r -> r.status() >= 200).reduce((a, b) -> b)
                .orElseGet(() -> fail("no final answer to " + name + "; got " + replies));
        assertEquals(expected, last.status(), last.text());
    }

    @ParameterizedTest(name = "{0} gets {1} or nothing")
    @CsvSource({"badinv01, 400", "clerr, 400", "ncl, 400", "scalar02, 400", "quotbal, 400", "ltgtruri, 400", "lwsruri, 400",
            "baddn, 400", "badvers, 505", "mismatch01, 400", "mismatch02, 400", "multi01, 400", "mcl01, 400"})
    void invalidRequestIsRefusedOrDropped(String name, int refusal) throws Exception {
        for (Reply reply : repliesTo(name, sendThenProbe(load(name)))) {
            if (reply.status() < 200) continue;
            assertEquals(refusal, reply.status(), "answer to " + name + ":\n" + reply.text());
        }
    }

    /**
     * Invalid, but RFC 4475 lets an element be liberal: extra spaces in the request line (3.1.2.9, 3.1.2.10), escaped
     * headers in the Request-URI (3.1.2.11), a Date in a time zone other than GMT (3.1.2.12), spaces inside an
     * addr-spec (3.1.2.14). Rejected, or answered as valid.
     */
    @ParameterizedTest(name = "{0} gets 400 or {1}")
    @CsvSource({"lwsstart, 480", "trws, 200", "escruri, 480", "baddate, 480", "badaspec, 200"})
    void extraRequestLineSpaceIsRefusedOrIgnored(String name, int liberalAnswer) throws Exception {
        for (Reply reply : repliesTo(name, sendThenProbe(load(name)))) {
            if (reply.status() < 200) continue;
            assertTrue(reply.status() == 400 || reply.status() == liberalAnswer, "answer to " + name + ":\n" + reply.text());
        }
    }

    /** RFC 4475 3.1.2.13: a REGISTER whose Contact is not in angle brackets; we refuse the method first (RFC 3261 8.2.1). */
    @ParameterizedTest(name = "{0} gets 400 or 405")
    @ValueSource(strings = {"regbadct"})
    void invalidRegisterIsRefused(String name) throws Exception {
        for (Reply reply : repliesTo(name, sendThenProbe(load(name)))) {
            if (reply.status() < 200) continue;
            assertTrue(reply.status() == 400 || reply.status() == 405, "answer to " + name + ":\n" + reply.text());
        }
    }

    /** RFC 4475 3.3.1: no Call-ID, From, To or Max-Forwards; a 400 (which cannot name the call) or nothing. */
    @Test
    void requestMissingRequiredHeadersIsRefusedOrDropped() throws Exception {
        for (Reply reply : sendThenProbe(load("insuf"))) {
            if (!reply.callId().isEmpty() && !reply.callId().startsWith("insuf.") || reply.status() < 200) continue;
            assertEquals(400, reply.status(), "answer to insuf:\n" + reply.text());
        }
    }

    /** RFC 4475 3.1.1.8: a REGISTER with Content-Length 0 and an INVITE after it in the same datagram: that is no request. */
    @Test
    void octetsAfterTheContentLengthAreNoRequest() throws Exception {
        List<Reply> replies = repliesTo("dblreq", sendThenProbe(load("dblreq")));
        assertTrue(replies.stream().anyMatch(r -> r.callId().startsWith("dblreq.0ha0isndaksdj99") && r.status() == 405), replies.toString());
        assertTrue(replies.stream().noneMatch(r -> r.callId().startsWith("dblreq.0ha0isnda977")), "the trailing INVITE was answered: " + replies);
    }

    /** RFC 4475 3.4.1: RFC 2543 syntax. We keep no RFC 2543 transactions: a request without a Via branch is refused. */
    @Test
    void rfc2543RequestWithoutBranchIsRefused() throws Exception {
        List<Reply> replies = repliesTo("inv2543", sendThenProbe(load("inv2543")));
        assertEquals(List.of(400), replies.stream().map(Reply::status).toList(), replies.toString());
    }

    @ParameterizedTest(name = "stray response {0} is absorbed")
    @ValueSource(strings = {"noreason", "unreason", "bigcode", "scalarlg", "bcast"})
    void strayResponseGetsNothingBack(String name) throws Exception {
        List<Reply> replies = repliesTo(name, sendThenProbe(load(name)));
        assertTrue(replies.isEmpty(), "reply to a response: " + replies);
    }

    @ParameterizedTest(name = "long request with {0}-character header values")
    @ValueSource(ints = {500, 3000})
    void longRequestIsAnswered(int length) throws Exception {
        // after RFC 4475 longreq: long display name, long unknown header, many Via parameters
        String longName = "I have a user name of " + "extreme ".repeat(length / 8) + "proportion";
        String message = "OPTIONS sip:user@example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.1:@PORT@;branch=z9hG4bK" + "k".repeat(length / 10) + ";" + "p=v;".repeat(length / 40) + "last=1\r\n"
                + "To: \"" + longName + "\" <sip:user@example.com>\r\n"
                + "From: sip:caller@example.net;tag=12" + "3".repeat(length / 10) + "\r\n"
                + "Call-ID: longreq." + "a".repeat(length / 10) + "\r\n"
                + "CSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n"
                + "X-Unknown-LongHeader: " + "unknown ".repeat(length / 8) + "\r\n"
                + "Content-Length: 0\r\n\r\n";
        List<Reply> replies = sendThenProbe(message.getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(replies.stream().anyMatch(r -> r.callId().startsWith("longreq.") && r.status() == 200), replies.toString());
    }

    /** After every message: nothing the torture left may stay (a 4xx to an INVITE waits 32 s for its ACK, then goes). */
    @Test
    @Order(Integer.MAX_VALUE)
    void nothingIsLeftBehind() throws Exception {
        long deadline = System.nanoTime() + DRAIN.toNanos();
        SipUserAgent.Occupancy occupancy = agent.occupancy();
        while (!occupancy.idle() && System.nanoTime() < deadline) {
            Thread.sleep(500);
            occupancy = agent.occupancy();
        }
        assertTrue(occupancy.idle(), "left after the torture messages: " + occupancy);
    }

    /** Replies to the message called {@code name} (its Call-ID starts so): INVITE answers of earlier messages retransmit. */
    private static List<Reply> repliesTo(String name, List<Reply> replies) {
        List<Reply> mine = replies.stream().filter(r -> r.callId().startsWith(name + ".")).toList();
        LOG.info("torture {} answered {}", name, mine.stream().map(Reply::status).toList());
        return mine;
    }

    private static byte[] load(String name) throws IOException {
        try (InputStream in = TortureMessageTest.class.getClassLoader().getResourceAsStream("torture/" + name + ".sip")) {
            if (in == null) throw new IllegalArgumentException("missing torture/" + name + ".sip");
            return in.readAllBytes();
        }
    }

    /**
     * Sends {@code message} (with {@code @PORT@} replaced by our port), then an OPTIONS probe, and returns every reply
     * that came before the probe's 200. The agent reads one datagram at a time, so replies to the message come first.
     */
    private static synchronized List<Reply> sendThenProbe(byte[] message) throws Exception {
        byte[] withPort = replacePort(message);
        socket.send(new DatagramPacket(withPort, withPort.length, InetAddress.getLoopbackAddress(), agent.localPort()));
        String probeId = "probe-" + (++probes);
        byte[] probe = ("OPTIONS sip:ringback@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + socket.getLocalPort() + ";branch=z9hG4bK" + probeId + "\r\n"
                + "From: <sip:probe@127.0.0.1>;tag=p\r\nTo: <sip:ringback@127.0.0.1>\r\nCall-ID: " + probeId + "\r\n"
                + "CSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        socket.send(new DatagramPacket(probe, probe.length, InetAddress.getLoopbackAddress(), agent.localPort()));
        List<Reply> replies = new ArrayList<>();
        while (true) {
            Reply reply = receive();
            if (reply.callId().equals(probeId)) {
                assertEquals(200, reply.status(), "the agent stopped answering OPTIONS: " + reply.text());
                return replies;
            }
            replies.add(reply);
        }
    }

    /**
     * Points the top Via at our socket and makes its branch unique: the RFC reuses z9hG4bKkdjuw across messages meant
     * to be sent one by one, and a reused branch would make the agent treat a later message as a retransmission.
     * badbranch's bare magic cookie stays as it is: it is what that message tests.
     */
    private static byte[] replacePort(byte[] message) {
        // ISO-8859-1 maps bytes 1:1, so UTF-8 and NUL bytes in the message survive the round trip
        String text = new String(message, StandardCharsets.ISO_8859_1).replace("@PORT@", Integer.toString(socket.getLocalPort()))
                .replaceFirst("branch=z9hG4bK(?=[^\\s;,])", "branch=z9hG4bK" + "run" + (probes + 1) + "-");
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static Reply receive() throws IOException {
        byte[] buffer = new byte[65535];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
            socket.receive(packet);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the agent went silent (no answer to the OPTIONS probe)", e);
        }
        String text = new String(buffer, 0, packet.getLength(), StandardCharsets.ISO_8859_1);
        Matcher matcher = STATUS_AND_CALL_ID.matcher(text);
        if (!matcher.find()) return new Reply(0, "", text);
        return new Reply(Integer.parseInt(matcher.group(1)), matcher.group(2), text);
    }

}
