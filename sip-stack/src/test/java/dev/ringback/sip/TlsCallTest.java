package dev.ringback.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringback.sip.tls.KeyStoreFile;
import dev.ringback.sip.tls.TlsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Calls over TLS to a real softphone (baresip) whose certificate the test made with keytool. */
class TlsCallTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static TestCertificates certificates;
    private static KeyStoreFile ours;
    private static KeyStoreFile trustingThePhone;
    private static KeyStoreFile trustingSomeoneElse;
    private static Path phoneKeyAndCertificate;
    private static KeyStoreFile trustingTheMisnamedPhone;
    private static Path misnamedPhoneKeyAndCertificate;
    private static KeyStoreFile trustingTheNamedPhone;
    private static Path namedPhoneKeyAndCertificate;

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @BeforeAll
    static void makeCertificates() throws Exception {
        certificates = new TestCertificates(Path.of("certs", "tls-call-" + System.nanoTime()).toAbsolutePath());
        ours = certificates.keyPair("agent");
        certificates.keyPair("phone");
        certificates.keyPair("stranger");
        trustingThePhone = certificates.trustStore("trust-phone", "phone");
        trustingSomeoneElse = certificates.trustStore("trust-stranger", "stranger");
        phoneKeyAndCertificate = certificates.keyAndCertificatePem("phone");
        certificates.keyPair("misnamed", "127.0.0.9"); // trusted, but for another address than the one we call
        trustingTheMisnamedPhone = certificates.trustStore("trust-misnamed", "misnamed");
        misnamedPhoneKeyAndCertificate = certificates.keyAndCertificatePem("misnamed");
        certificates.keyPairForHostName("named", "localhost");
        trustingTheNamedPhone = certificates.trustStore("trust-named", "named");
        namedPhoneKeyAndCertificate = certificates.keyAndCertificatePem("named");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) cleanup.get(i).close();
    }

    static SipConfig tlsConfig(int trunkPort, TlsSettings tls) {
        return TestAgents.towardsTrunk(trunkPort).transport(Transport.TLS).tls(tls).build();
    }

    @Test
    void callToATrustedPhoneIsAnsweredAndHungUpOverTls() throws Exception {
        Peers.Baresip phone = TlsPeers.baresipCallee(phoneKeyAndCertificate, certificates.certificatePem("agent"), 30);
        cleanup.add(phone);
        SipUserAgent agent = SipUserAgent.start(tlsConfig(phone.sipPort(), TlsSettings.trusting(trustingThePhone).withKeyStore(ours)));
        cleanup.add(agent);
        EventRecorder events = new EventRecorder();

        SipCall call = agent.dial("callee", new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), events);
        events.await(CallEvent.Answered.class, WAIT);
        Thread.sleep(300);
        call.hangUp();
        assertFalse(events.await(CallEvent.Ended.class, WAIT).byRemote());
        events.assertSingleTerminalLast();
    }

    @Test
    void phoneWithAnUntrustedCertificateFailsTheCallWithTheReason() throws Exception {
        Peers.Baresip phone = TlsPeers.baresipCallee(phoneKeyAndCertificate, certificates.certificatePem("agent"), 30);
        cleanup.add(phone);
        SipUserAgent agent = SipUserAgent.start(tlsConfig(phone.sipPort(), TlsSettings.trusting(trustingSomeoneElse).withKeyStore(ours)));
        cleanup.add(agent);
        EventRecorder events = new EventRecorder();

        agent.dial("callee", new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), events);
        CallEvent.Failed failed = events.await(CallEvent.Failed.class, WAIT);
        assertEquals(CallOutcome.TRUNK_UNAVAILABLE, failed.outcome());
        assertTrue(failed.reason().contains("certificate not trusted: CN=127.0.0.1,O=Ringback test phone"), failed.reason());
        events.assertSingleTerminalLast();
    }

    @Test
    void trustedCertificateForAnotherAddressFailsTheCall() throws Exception {
        Peers.Baresip phone = TlsPeers.baresipCallee(misnamedPhoneKeyAndCertificate, certificates.certificatePem("agent"), 30);
        cleanup.add(phone);
        SipUserAgent agent = SipUserAgent.start(tlsConfig(phone.sipPort(), TlsSettings.trusting(trustingTheMisnamedPhone).withKeyStore(ours)));
        cleanup.add(agent);
        EventRecorder events = new EventRecorder();

        agent.dial("callee", new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), events);
        CallEvent.Failed failed = events.await(CallEvent.Failed.class, WAIT);
        assertEquals(CallOutcome.TRUNK_UNAVAILABLE, failed.outcome());
        assertTrue(failed.reason().contains("certificate not trusted") && failed.reason().contains("127.0.0.1"), failed.reason());
        events.assertSingleTerminalLast();
    }

    @Test
    void trunkReachedByHostNameIsCheckedAgainstTheNameInItsCertificate() throws Exception {
        // certificate for DNS name "localhost" only: accepted when we call the trunk by that name ...
        Peers.Baresip phone = TlsPeers.baresipCallee(namedPhoneKeyAndCertificate, certificates.certificatePem("agent"), 30);
        cleanup.add(phone);
        TlsSettings tls = TlsSettings.trusting(trustingTheNamedPhone).withKeyStore(ours);
        SipUserAgent byName = SipUserAgent.start(tlsConfig(phone.sipPort(), tls).toBuilder()
                .trunk("localhost", phone.sipPort()).build());
        cleanup.add(byName);
        EventRecorder answered = new EventRecorder();
        SipCall call = byName.dial("callee", new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), answered);
        answered.await(CallEvent.Answered.class, WAIT);
        call.hangUp();
        answered.await(CallEvent.Ended.class, WAIT);

        // ... refused when we call the same phone by its IP address, which the certificate does not name
        SipUserAgent byAddress = SipUserAgent.start(tlsConfig(phone.sipPort(), tls));
        cleanup.add(byAddress);
        EventRecorder refused = new EventRecorder();
        byAddress.dial("callee", new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), refused);
        CallEvent.Failed failed = refused.await(CallEvent.Failed.class, WAIT);
        assertTrue(failed.reason().contains("certificate not trusted: CN=localhost"), failed.reason());
    }

    @Test
    void withoutHostnameVerificationATrustedCertificateForAnotherAddressIsAccepted() throws Exception {
        Peers.Baresip phone = TlsPeers.baresipCallee(misnamedPhoneKeyAndCertificate, certificates.certificatePem("agent"), 30);
        cleanup.add(phone);
        SipUserAgent agent = SipUserAgent.start(tlsConfig(phone.sipPort(),
                TlsSettings.trusting(trustingTheMisnamedPhone).withKeyStore(ours).withoutHostnameVerification()));
        cleanup.add(agent);
        EventRecorder events = new EventRecorder();

        SipCall call = agent.dial("callee", new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), events);
        events.await(CallEvent.Answered.class, WAIT);
        call.hangUp();
        events.await(CallEvent.Ended.class, WAIT);
        events.assertSingleTerminalLast();
    }

    @Test
    void phoneHangsUpOverTlsToOurListeningPortWithOurCertificate() throws Exception {
        // the phone's audio ends after 2 s and it hangs up: its BYE goes to our Contact (transport=tls), so it
        // connects to our TLS port, where we show the certificate from our key store
        Peers.Baresip phone = TlsPeers.baresipCallee(phoneKeyAndCertificate, certificates.certificatePem("agent"), 2);
        cleanup.add(phone);
        SipUserAgent agent = SipUserAgent.start(tlsConfig(phone.sipPort(), TlsSettings.trusting(trustingThePhone).withKeyStore(ours)));
        cleanup.add(agent);
        EventRecorder events = new EventRecorder();

        agent.dial("callee", new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), events);
        events.await(CallEvent.Answered.class, WAIT);
        assertTrue(events.await(CallEvent.Ended.class, WAIT).byRemote());
        events.assertSingleTerminalLast();
    }

    @Test
    void phoneCallingUsOverTlsIsAnsweredWithOurCertificate() throws Exception {
        SipUserAgent agent = SipUserAgent.start(tlsConfig(5061, TlsSettings.trusting(trustingThePhone).withKeyStore(ours)));
        cleanup.add(agent);
        java.util.concurrent.CompletableFuture<IncomingCall> incoming = new java.util.concurrent.CompletableFuture<>();
        EventRecorder events = new EventRecorder();
        agent.onIncomingCall(call -> {
            incoming.complete(call);
            call.answer(new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), event -> {
                events.onEvent(event);
                if (event instanceof CallEvent.Answered) call.hangUp();
            });
        });

        cleanup.add(TlsPeers.baresipCaller(phoneKeyAndCertificate, certificates.certificatePem("agent"), 30,
                "sip:ringback@127.0.0.1:" + agent.localPort() + ";transport=tls"));
        IncomingCall call = incoming.get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        assertEquals("ringback", call.toUser());
        events.await(CallEvent.Answered.class, WAIT);
        assertFalse(events.await(CallEvent.Ended.class, WAIT).byRemote());
        events.assertSingleTerminalLast();
    }

    @Test
    void keepAliveProbesOverTlsSeeATrustedPhoneUpAndAnUntrustedOneDown() throws Exception {
        Peers.Baresip trusted = TlsPeers.baresipCallee(phoneKeyAndCertificate, certificates.certificatePem("agent"), 30);
        cleanup.add(trusted);
        Peers.Baresip untrusted = TlsPeers.baresipCallee(misnamedPhoneKeyAndCertificate, certificates.certificatePem("agent"), 30);
        cleanup.add(untrusted);
        SipUserAgent agent = SipUserAgent.start(tlsConfig(trusted.sipPort(), TlsSettings.trusting(trustingThePhone).withKeyStore(ours))
                .toBuilder()
                .alternateTrunks(List.of(new TrunkHost("127.0.0.1", untrusted.sipPort())))
                .keepAliveInterval(Duration.ofSeconds(1))
                .build());
        cleanup.add(agent);

        long deadline = System.nanoTime() + WAIT.toNanos();
        List<TrunkStatus> statuses = agent.trunkStatus();
        // baresip answers an OPTIONS without a user part 404: any answer over TLS shows the host is up
        while (!(statuses.get(0).lastStatus() != 0 && !statuses.get(1).up()) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            statuses = agent.trunkStatus();
        }
        assertTrue(statuses.get(0).up() && statuses.get(0).lastStatus() != 0, "trusted phone: " + statuses);
        assertFalse(statuses.get(1).up(), "phone with a certificate we do not trust: " + statuses);
    }

    @Test
    void unreadableTrustStoreStopsTheStartWithItsName() {
        KeyStoreFile missing = KeyStoreFile.pkcs12(Path.of("no-such-trust-store.p12").toAbsolutePath(), "x");
        SipStartException e = assertThrows(SipStartException.class, () -> SipUserAgent.start(tlsConfig(5061, TlsSettings.trusting(missing))));
        assertTrue(e.getMessage().contains("no-such-trust-store.p12"), e.getMessage());
    }

    @Test
    void wrongKeyStorePasswordStopsTheStart() {
        KeyStoreFile wrongPassword = new KeyStoreFile(ours.path(), "not-the-password", "PKCS12");
        SipStartException e = assertThrows(SipStartException.class,
                () -> SipUserAgent.start(tlsConfig(5061, TlsSettings.trusting(trustingThePhone).withKeyStore(wrongPassword))));
        assertTrue(e.getMessage().contains("key store"), e.getMessage());
        assertFalse(e.getMessage().contains("not-the-password"), "password leaked: " + e.getMessage());
    }
}
