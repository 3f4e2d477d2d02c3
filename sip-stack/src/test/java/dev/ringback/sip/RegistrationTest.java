package dev.ringback.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ringback.sip.auth.Credentials;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Registration with Kamailio as the PBX's registrar (401 digest auth, in-memory bindings). */
class RegistrationTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Credentials RIGHT = new Credentials("agent", "s3cret");

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private final LinkedBlockingQueue<RegistrationStatus> statuses = new LinkedBlockingQueue<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) cleanup.get(i).close();
    }

    private <T extends AutoCloseable> T closeLater(T resource) {
        cleanup.add(resource);
        return resource;
    }

    /** Kamailio as registrar on UDP {@code port}; {@code extra} are more -A defines. */
    private PeerProcess registrar(int port, String... extra) throws Exception {
        return registrar(Transport.UDP, port, extra);
    }

    private PeerProcess registrar(Transport transport, int port, String... extra) throws Exception {
        Path dir = Path.of("peers", "kamailio-registrar-" + port + "-" + System.nanoTime()).toAbsolutePath();
        Files.createDirectories(dir.resolve("run"));
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("kamailio/registrar.cfg")) {
            if (in == null) throw new IOException("missing test resource kamailio/registrar.cfg");
            Files.copy(in, dir.resolve("registrar.cfg"));
        }
        List<String> command = new ArrayList<>(List.of("kamailio", "-f", "registrar.cfg", "-DD", "-E", "-m", "64", "-M", "8",
                "-Y", dir.resolve("run").toString(), "-A", "LISTEN=" + transport.token() + ":127.0.0.1:" + port));
        for (String define : extra) command.addAll(List.of("-A", define));
        return closeLater(PeerProcess.start(dir, "kamailio", command).awaitBound(port, transport == Transport.TCP, Peers.START_TIMEOUT));
    }

    private SipUserAgent agent(int registrarPort, Optional<Credentials> credentials, RegistrationSettings registration) throws Exception {
        return agent(Transport.UDP, registrarPort, credentials, registration);
    }

    private SipUserAgent agent(Transport transport, int registrarPort, Optional<Credentials> credentials, RegistrationSettings registration)
            throws Exception {
        SipConfig.Builder config = TestAgents.towardsTrunk(registrarPort).transport(transport).inviteTimeout(Duration.ofSeconds(1))
                .registration(registration);
        credentials.ifPresent(config::credentials);
        SipUserAgent agent = closeLater(SipUserAgent.start(config.build()));
        agent.onRegistrationChange(statuses::add);
        return agent;
    }

    private RegistrationStatus awaitState(RegistrationStatus.State state) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<RegistrationStatus> seen = new ArrayList<>();
        while (true) {
            long left = deadline - System.nanoTime();
            RegistrationStatus status = left > 0 ? statuses.poll(left, TimeUnit.NANOSECONDS) : null;
            if (status == null) return fail("no " + state + " within " + WAIT + "; saw " + seen);
            seen.add(status);
            if (status.state() == state) return status;
        }
    }

    /** Waits until Kamailio's log has {@code times} lines matching {@code regex}: it logs just after it answers. */
    private static void awaitLogged(PeerProcess kamailio, String regex, int times) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (count(regex, kamailio.output()) < times) {
            if (System.nanoTime() > deadline) fail("Kamailio did not log " + times + " x '" + regex + "':\n" + kamailio.output());
            Thread.sleep(20);
        }
    }

    private static int count(String regex, String text) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (matcher.find()) n++;
        return n;
    }

    @Test
    void rightPasswordRegistersRefreshesAtHalfTheGrantedLifetimeAndUnregistersOnClose() throws Exception {
        int port = TestPorts.freeUdpPort();
        // we ask for an hour; the registrar grants 4 s (its max_expires) in the 200's Contact
        PeerProcess kamailio = registrar(port, "MIN_EXPIRES=2", "MAX_EXPIRES=4");
        SipUserAgent agent = agent(port, Optional.of(RIGHT), RegistrationSettings.of("agent").withExpires(Duration.ofHours(1)));

        RegistrationStatus first = awaitState(RegistrationStatus.State.REGISTERED);
        assertEquals(200, first.sipStatus());
        long grantedMillis = Duration.between(first.since(), first.expiresAt().orElseThrow()).toMillis();
        assertTrue(grantedMillis > 3000 && grantedMillis <= 4000, "not the granted 4 s: " + first);
        assertTrue(first.expiresAt().get().isAfter(first.nextAttempt().orElseThrow()), "refresh must come before expiry: " + first);
        // the refresh goes out at half the granted 4 s, long before the binding lapses
        RegistrationStatus refreshed = awaitState(RegistrationStatus.State.REGISTERED);
        assertTrue(refreshed.since().isBefore(first.expiresAt().get()), "refreshed after the binding lapsed: " + refreshed);
        assertTrue(agent.registrationStatus().orElseThrow().registered());
        awaitLogged(kamailio, "SAVED sip:agent@127.0.0.1 expires=3600 ", 2);

        agent.close();
        assertEquals(RegistrationStatus.State.UNREGISTERED, agent.registrationStatus().orElseThrow().state());
        assertEquals(200, agent.registrationStatus().get().sipStatus());
        awaitLogged(kamailio, "SAVED sip:agent@127.0.0.1 expires=0 ", 1);
    }

    @Test
    void callToTheRegisteredAddressReachesTheAgentThroughTheRegistrar() throws Exception {
        int port = TestPorts.freeUdpPort();
        registrar(port);
        SipUserAgent agent = agent(port, Optional.of(RIGHT), RegistrationSettings.of("agent").withExpires(Duration.ofSeconds(60)));
        CompletableFuture<IncomingCall> incoming = new CompletableFuture<>();
        agent.onIncomingCall(call -> {
            incoming.complete(call);
            call.answer(new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), event -> {
                if (event instanceof CallEvent.Answered) call.hangUp();
            });
        });
        awaitState(RegistrationStatus.State.REGISTERED);

        // a caller that only knows the address-of-record: the registrar finds our contact
        PeerProcess caller = closeLater(Peers.sippUac("uac_call_wait_bye.xml", TestPorts.freeUdpPort(), TestPorts.freeUdpPorts(4), port, "agent"));
        IncomingCall call = incoming.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals("caller", call.fromUser());
        assertEquals(OptionalInt.of(0), caller.awaitExit(WAIT), caller.output());
    }

    @Test
    void registersOverTcpAndACallToTheAddressComesInOverTcp() throws Exception {
        int port = TestPorts.freeUdpPort();
        PeerProcess kamailio = registrar(Transport.TCP, port, "LISTEN2=udp:127.0.0.1:" + port);
        SipUserAgent agent = agent(Transport.TCP, port, Optional.of(RIGHT), RegistrationSettings.of("agent").withExpires(Duration.ofSeconds(60)));
        CompletableFuture<IncomingCall> incoming = new CompletableFuture<>();
        agent.onIncomingCall(call -> {
            incoming.complete(call);
            call.answer(new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), event -> {
                if (event instanceof CallEvent.Answered) call.hangUp();
            });
        });
        awaitState(RegistrationStatus.State.REGISTERED);
        awaitLogged(kamailio, "SAVED sip:agent@127.0.0.1 expires=60 contact=<sip:agent@127.0.0.1:" + agent.localPort() + ";transport=tcp>", 1);

        // SIPp calls the AOR over UDP; Kamailio forwards to our registered contact, which says transport=tcp
        PeerProcess caller = closeLater(Peers.sippUac("uac_call_wait_bye.xml", TestPorts.freeUdpPort(), TestPorts.freeUdpPorts(4), port, "agent"));
        assertEquals("caller", incoming.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).fromUser());
        assertEquals(OptionalInt.of(0), caller.awaitExit(WAIT), caller.output());
    }

    @Test
    void wrongPasswordIsFailedWithTheReasonAndNotRetried() throws Exception {
        int port = TestPorts.freeUdpPort();
        PeerProcess kamailio = registrar(port);
        SipUserAgent agent = agent(port, Optional.of(new Credentials("agent", "not-the-password")),
                RegistrationSettings.of("agent").withRetry(Duration.ofMillis(200), Duration.ofMillis(400)));

        RegistrationStatus failed = awaitState(RegistrationStatus.State.FAILED);
        assertEquals(401, failed.sipStatus());
        assertTrue(failed.reason().contains("credentials for user agent rejected"), failed.reason());
        assertFalse(failed.reason().contains("not-the-password"), "password leaked: " + failed.reason());
        Thread.sleep(1500); // several retry periods: a looping UA would show itself
        assertEquals(2, count("REQ REGISTER ", kamailio.output()), "one REGISTER without and one with credentials:\n" + kamailio.output());
        assertEquals(RegistrationStatus.State.FAILED, agent.registrationStatus().orElseThrow().state());
    }

    @Test
    void noCredentialsIsFailedAtTheFirstChallenge() throws Exception {
        int port = TestPorts.freeUdpPort();
        registrar(port);
        agent(port, Optional.empty(), RegistrationSettings.of("agent"));

        RegistrationStatus failed = awaitState(RegistrationStatus.State.FAILED);
        assertTrue(failed.reason().contains("no credentials are configured"), failed.reason());
    }

    @Test
    void tooShortALifetimeIsRaisedToTheRegistrarsMinimum() throws Exception {
        int port = TestPorts.freeUdpPort();
        PeerProcess kamailio = registrar(port, "MIN_EXPIRES=30", "MIN_EXPIRES_MODE=1");
        agent(port, Optional.of(RIGHT), RegistrationSettings.of("agent").withExpires(Duration.ofSeconds(10)));

        RegistrationStatus registered = awaitState(RegistrationStatus.State.REGISTERED);
        long granted = Duration.between(registered.since(), registered.expiresAt().orElseThrow()).toSeconds();
        assertTrue(granted >= 29 && granted <= 30, "granted " + granted + " s: " + registered);
        awaitLogged(kamailio, "SAVED sip:agent@127.0.0.1 expires=30 ", 1);
    }

    @Test
    void silentRegistrarIsRetriedWithDoublingBackOff() throws Exception {
        // a "registrar" that takes REGISTERs and never answers
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            silent.setSoTimeout((int) WAIT.toMillis());
            agent(silent.getLocalPort(), Optional.of(RIGHT),
                    RegistrationSettings.of("agent").withRetry(Duration.ofMillis(500), Duration.ofSeconds(30)));
            List<Instant> attempts = new ArrayList<>();
            byte[] buffer = new byte[4096];
            while (attempts.size() < 3) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                silent.receive(packet);
                String message = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII);
                // count new REGISTERs only: UDP retransmissions of one carry the same CSeq
                Matcher cseq = Pattern.compile("CSeq: (\\d+) REGISTER").matcher(message);
                if (cseq.find() && Integer.parseInt(cseq.group(1)) == attempts.size() + 1) attempts.add(Instant.now());
            }
            RegistrationStatus retrying = awaitState(RegistrationStatus.State.RETRYING);
            assertTrue(retrying.reason().contains("no response from registrar"), retrying.reason());
            assertTrue(retrying.nextAttempt().isPresent(), retrying.toString());
            // each wait is the 1 s response timeout plus the back-off (0.5 s, then 1 s): never a tight loop
            assertTrue(Duration.between(attempts.get(0), attempts.get(1)).toMillis() >= 1500, "second attempt too soon: " + attempts);
            assertTrue(Duration.between(attempts.get(1), attempts.get(2)).toMillis() >= 2000, "third attempt too soon: " + attempts);
        }
    }
}
