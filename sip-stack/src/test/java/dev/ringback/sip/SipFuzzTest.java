package dev.ringback.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Bounded-time fuzzing: mutated SIP messages (RFC 4475 torture set + our INVITE/200/BYE/NOTIFY/… templates) are sent
 * over UDP and TCP to running agents for {@code -Dfuzz.seconds} (default 20). Afterwards each agent must still answer
 * OPTIONS with 200 and place a call to SIPp, nothing may have failed on the stack's or the agent's threads (no ERROR
 * log), and calls, dialogs, transactions and threads must come back down. The seed is printed; replay a failure with
 * {@code -Dfuzz.seed=<seed>}.
 */
class SipFuzzTest {
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(SipFuzzTest.class);
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Long enough for every fuzzed transaction to end: JAIN-SIP keeps an unacknowledged final answer 64*T1 = 32 s. */
    private static final Duration DRAIN = Duration.ofSeconds(45);
    private static final String[] TEMPLATES = {"invite", "invite_srtp", "ok_to_invite", "bye", "notify", "options", "cancel", "refer", "update"};
    private static final String[] TORTURE = {"badinv01", "badvers", "bigcode", "clerr", "esc01", "escnull", "intmeth", "ltgtruri", "lwsdisp",
            "lwsruri", "lwsstart", "mismatch01", "mismatch02", "ncl", "noreason", "quotbal", "scalar02", "semiuri", "trws", "unreason", "wsinv"};
    /** Roughly 200 messages a second per transport: enough to cover the mutations, gentle on a shared 2-core machine. */
    private static final long PAUSE_NANOS = 5_000_000;

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private final LogCounter logs = new LogCounter();

    @AfterEach
    void tearDown() throws Exception {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        ((Logger) LoggerFactory.getLogger("dev.ringback.sip")).setLevel(null);
        Logger stackLog = (Logger) LoggerFactory.getLogger("gov.nist");
        stackLog.detachAppender(logs);
        stackLog.setAdditive(true);
        for (int i = cleanup.size() - 1; i >= 0; i--) cleanup.get(i).close();
    }

    /**
     * Sorts what was logged while fuzzing. Escaped: an ERROR of our own (the agent's event-task guard) or an exception
     * the stack logged that was thrown with our code on the call stack (through our listener or from a call of ours).
     * Refused: the stack's ERRORs about messages it threw away (malformed headers, a missing CSeq) and exceptions of its
     * own send path (a response too big for a datagram): the right thing to do with garbage, so counted, not failed.
     */
    private static final class LogCounter extends AppenderBase<ILoggingEvent> {
        final ConcurrentLinkedQueue<String> escaped = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> refusedSamples = new ConcurrentLinkedQueue<>();
        final AtomicLong refused = new AtomicLong();

        @Override
        protected void append(ILoggingEvent event) {
            boolean stack = event.getLoggerName().startsWith("gov.nist");
            var thrown = event.getThrowableProxy();
            boolean throughOurCode = thrown != null && java.util.Arrays.stream(thrown.getStackTraceElementProxyArray())
                    .anyMatch(frame -> frame.getStackTraceElement().getClassName().startsWith("dev.ringback.sip"));
            String text = event.getLoggerName() + ": " + event.getFormattedMessage()
                    + (thrown == null ? "" : " (" + thrown.getClassName() + ": " + thrown.getMessage() + ")");
            if (!stack && event.getLevel().isGreaterOrEqual(Level.ERROR) || stack && throughOurCode) {
                escaped.add(text);
            } else if (stack && (thrown != null || event.getLevel().isGreaterOrEqual(Level.ERROR))) {
                if (refused.incrementAndGet() <= 5) refusedSamples.add(text);
            }
        }
    }

    private record Corpus(List<String> messages) {
        static Corpus load() throws IOException {
            List<String> messages = new ArrayList<>();
            for (String name : TEMPLATES) messages.add(read("fuzz/" + name + ".sip"));
            for (String name : TORTURE) {
                // answers go back to where the fuzzer sent from (rport), never to the RFC's example hosts (no DNS)
                messages.add(read("torture/" + name + ".sip").replaceFirst("(?im)^((?:Via|v)\\s*:\\s*SIP\\s*/\\s*2\\.0\\s*/\\s*UDP\\s+)[^;\\r\\n]+",
                        "$1127.0.0.1:@PORT@;rport"));
            }
            return new Corpus(List.copyOf(messages));
        }

        private static String read(String resource) throws IOException {
            try (InputStream in = SipFuzzTest.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) throw new IllegalArgumentException("missing test resource " + resource);
                return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            }
        }
    }

    /** One sender: mutates messages from the corpus and sends them to one agent over one transport, discarding replies. */
    private interface Sender extends AutoCloseable {
        void send(String message) throws IOException;

        int port();
    }

    private static final class UdpSender implements Sender {
        private final DatagramSocket socket;
        private final int target;
        private final Thread drain;

        UdpSender(int target) throws IOException {
            this.target = target;
            socket = new DatagramSocket(TestPorts.freeUdpPort(), InetAddress.getLoopbackAddress());
            drain = daemon("fuzz-udp-drain", () -> {
                byte[] buffer = new byte[65535];
                while (!socket.isClosed()) {
                    try {
                        socket.receive(new DatagramPacket(buffer, buffer.length));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        @Override
        public void send(String message) throws IOException {
            byte[] bytes = message.getBytes(StandardCharsets.ISO_8859_1);
            if (bytes.length > 65_000) bytes = java.util.Arrays.copyOf(bytes, 65_000);
            socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), target));
        }

        @Override
        public int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws InterruptedException {
            socket.close();
            drain.join(2000);
        }
    }

    /** A TCP stream to the agent; a stream the agent closes (as it should after garbage) is reopened. */
    private static final class TcpSender implements Sender {
        private final int target;
        private Socket socket;
        private OutputStream out;
        private Thread drain;
        final AtomicLong reconnects = new AtomicLong();

        TcpSender(int target) throws IOException {
            this.target = target;
            connect();
        }

        private void connect() throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), target);
            socket.setSoTimeout(0);
            out = socket.getOutputStream();
            Socket current = socket;
            drain = daemon("fuzz-tcp-drain", () -> {
                byte[] buffer = new byte[65535];
                try (InputStream in = current.getInputStream()) {
                    while (in.read(buffer) >= 0) {
                        // replies are not checked here, only read so the agent never blocks writing them
                    }
                } catch (IOException e) {
                    // closed: the sender reconnects on its next message
                }
            });
        }

        @Override
        public void send(String message) throws IOException {
            String tcp = message.replaceFirst("SIP/2\\.0/UDP", "SIP/2.0/TCP");
            try {
                out.write(tcp.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException e) {
                socket.close();
                reconnects.incrementAndGet();
                connect();
            }
        }

        @Override
        public int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException, InterruptedException {
            socket.close();
            drain.join(2000);
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private SipUserAgent agent(Transport transport, int trunkPort) throws SipStartException {
        SipUserAgent agent = SipUserAgent.start(TestAgents.towardsTrunk(trunkPort).transport(transport)
                .from("ringback", "Ringback Fuzz").build());
        cleanup.add(agent);
        agent.onIncomingCall(call -> call.reject(486, "Busy Here")); // new calls reach the handler, then end at once
        return agent;
    }

    @Test
    void mutatedMessagesLeaveTheAgentWorking() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        Duration budget = Duration.ofSeconds(Long.getLong("fuzz.seconds", 20));
        System.out.println("SipFuzzTest seed " + seed + " (replay: -Dfuzz.seed=" + seed + "), " + budget.toSeconds() + " s");
        LOG.info("fuzz seed {} (replay with -Dfuzz.seed={})", seed, seed);
        Corpus corpus = Corpus.load();

        int udpTrunk = TestPorts.freeUdpPort();
        SipUserAgent udpAgent = agent(Transport.UDP, udpTrunk);
        int tcpTrunk = TestPorts.freeUdpPort();
        SipUserAgent tcpAgent = agent(Transport.TCP, tcpTrunk);
        Thread.sleep(500); // let both stacks' threads settle before taking the baseline
        int threadsBefore = Thread.activeCount();

        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs.start();
        root.addAppender(logs);
        ((Logger) LoggerFactory.getLogger("dev.ringback.sip")).setLevel(Level.WARN); // thousands of refused calls otherwise
        // the stack's ERRORs about discarded garbage are counted, not printed (thousands of them)
        Logger stackLog = (Logger) LoggerFactory.getLogger("gov.nist");
        stackLog.addAppender(logs);
        stackLog.setAdditive(false);

        UdpSender udp = new UdpSender(udpAgent.localPort());
        cleanup.add(udp);
        TcpSender tcp = new TcpSender(tcpAgent.localPort());
        cleanup.add(tcp);
        long sent = fuzz(corpus, new SipMutator(seed), List.of(udp, tcp), budget);
        ((Logger) LoggerFactory.getLogger("dev.ringback.sip")).setLevel(null);
        LOG.info("fuzz: {} messages sent (seed {}), {} refused by the stack with an error log, TCP reconnects {}, occupancy right after: UDP {} TCP {}",
                sent, seed, logs.refused.get(), tcp.reconnects.get(),
                udpAgent.occupancy(), tcpAgent.occupancy());

        LOG.info("samples of what the stack refused: {}", logs.refusedSamples);
        for (var agentAndTrunk : List.of(new Object[] {udpAgent, udpTrunk, Transport.UDP}, new Object[] {tcpAgent, tcpTrunk, Transport.TCP})) {
            SipUserAgent agent = (SipUserAgent) agentAndTrunk[0];
            assertOptionsAnswered(agent, (Transport) agentAndTrunk[2], seed);
            assertCallsOut(agent, (int) agentAndTrunk[1], (Transport) agentAndTrunk[2], seed);
        }
        assertTrue(logs.escaped.isEmpty(), "exceptions escaped while fuzzing with seed " + seed + ": " + logs.escaped);

        udp.close();
        tcp.close();
        assertDrain(List.of(udpAgent, tcpAgent), seed);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (Thread.activeCount() > threadsBefore + 2 && System.nanoTime() < deadline) Thread.sleep(200);
        assertTrue(Thread.activeCount() <= threadsBefore + 2, "threads grew from " + threadsBefore + " to " + Thread.activeCount() + " (seed " + seed + ")");
    }

    private static long fuzz(Corpus corpus, SipMutator mutator, List<Sender> senders, Duration budget) throws Exception {
        long sent = 0;
        long end = System.nanoTime() + budget.toNanos();
        while (System.nanoTime() < end) {
            Sender sender = senders.get(mutator.nextInt(senders.size()));
            String message = corpus.messages().get(mutator.nextInt(corpus.messages().size()))
                    .replace("@PORT@", Integer.toString(sender.port()))
                    .replace("@ID@", Long.toString(sent))
                    .replaceFirst("branch=z9hG4bK(?!" + sent + ")", "branch=z9hG4bK" + sent + "-"); // torture messages share a branch
            // one in ten goes unmutated, so valid traffic is mixed in
            sender.send(mutator.nextInt(10) == 0 ? message : mutator.mutate(message));
            sent++;
            java.util.concurrent.locks.LockSupport.parkNanos(PAUSE_NANOS / senders.size());
        }
        return sent;
    }

    private static void assertOptionsAnswered(SipUserAgent agent, Transport transport, long seed) throws Exception {
        String probe = "OPTIONS sip:ringback@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/" + transport.token().toUpperCase() + " 127.0.0.1:@PORT@;rport;branch=z9hG4bKprobe" + seed + "\r\n"
                + "From: <sip:probe@127.0.0.1>;tag=p\r\nTo: <sip:ringback@127.0.0.1>\r\nCall-ID: probe-" + seed + "\r\n"
                + "CSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
        String reply;
        if (transport == Transport.UDP) {
            try (DatagramSocket socket = new DatagramSocket(TestPorts.freeUdpPort(), InetAddress.getLoopbackAddress())) {
                socket.setSoTimeout(5000);
                byte[] bytes = probe.replace("@PORT@", Integer.toString(socket.getLocalPort())).getBytes(StandardCharsets.US_ASCII);
                socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), agent.localPort()));
                DatagramPacket packet = new DatagramPacket(new byte[65535], 65535);
                socket.receive(packet);
                reply = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.ISO_8859_1);
            }
        } else {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), agent.localPort())) {
                socket.setSoTimeout(5000);
                socket.getOutputStream().write(probe.replace("@PORT@", Integer.toString(socket.getLocalPort())).getBytes(StandardCharsets.US_ASCII));
                byte[] buffer = new byte[4096];
                int n = socket.getInputStream().read(buffer);
                reply = n > 0 ? new String(buffer, 0, n, StandardCharsets.ISO_8859_1) : "";
            }
        }
        assertTrue(reply.startsWith("SIP/2.0 200 "), transport + " agent no longer answers OPTIONS after fuzzing (seed " + seed + "): " + reply);
    }

    private void assertCallsOut(SipUserAgent agent, int trunkPort, Transport transport, long seed) throws Exception {
        int mediaPort = TestPorts.freeUdpPorts(4);
        PeerProcess sipp = Peers.sippUas("uas_answer_wait_bye.xml", trunkPort, mediaPort, transport);
        cleanup.add(sipp);
        EventRecorder events = new EventRecorder();
        SipCall call = agent.dial(TestAgents.NUMBER, new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), events);
        assertEquals(mediaPort, events.await(CallEvent.Answered.class, WAIT).media().rtpPort(), "seed " + seed);
        call.hangUp();
        events.await(CallEvent.Ended.class, WAIT);
        assertEquals(OptionalInt.of(0), sipp.awaitExit(WAIT), "seed " + seed + ": " + sipp.output());
    }

    /** Both agents at once: the slowest transactions need 32 s to end, waiting for each in turn would double that. */
    private static void assertDrain(List<SipUserAgent> agents, long seed) throws Exception {
        long deadline = System.nanoTime() + DRAIN.toNanos();
        List<SipUserAgent.Occupancy> occupancy = occupancy(agents);
        while (System.nanoTime() < deadline && !occupancy.stream().allMatch(SipUserAgent.Occupancy::idle)) {
            Thread.sleep(500);
            occupancy = occupancy(agents);
        }
        LOG.info("after draining: {}", occupancy);
        assertTrue(occupancy.stream().allMatch(SipUserAgent.Occupancy::idle),
                "calls, dialogs or transactions left after " + DRAIN.toSeconds() + " s (seed " + seed + "): " + occupancy);
    }

    private static List<SipUserAgent.Occupancy> occupancy(List<SipUserAgent> agents) throws Exception {
        List<SipUserAgent.Occupancy> all = new ArrayList<>();
        for (SipUserAgent agent : agents) all.add(agent.occupancy());
        return all;
    }
}
