package dev.ringback.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SDES-SRTP negotiation against SIPp, a real softphone (baresip with mediaenc srtp-mand) and our own agent as callee. */
class SrtpCallTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** The key uas_srtp_answer.xml answers with: bytes 0x00..0x1d. */
    private static final String SIPP_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd";

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) cleanup.get(i).close();
    }

    private <T extends AutoCloseable> T closeLater(T resource) {
        cleanup.add(resource);
        return resource;
    }

    private static SipConfig srtpRequired(int trunkPort) {
        return TestAgents.towardsTrunk(trunkPort).srtp(SrtpMode.REQUIRED).build();
    }

    private static MediaOffer ourMedia() {
        return new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2));
    }

    @Test
    void savpAnswerHandsBothKeysToTheApplication() throws Exception {
        int port = TestPorts.freeUdpPort();
        PeerProcess sipp = closeLater(Peers.sippUas("uas_srtp_answer.xml", port, TestPorts.freeUdpPorts(4)));
        SipUserAgent agent = closeLater(SipUserAgent.start(srtpRequired(port)));
        EventRecorder events = new EventRecorder();

        SipCall call = agent.dial(TestAgents.NUMBER, ourMedia(), events);
        SdesKeys keys = events.await(CallEvent.Answered.class, WAIT).media().srtp().orElseThrow();
        assertEquals(SIPP_KEY, keys.receive().inline());
        assertEquals(SdesKey.AES_CM_128_HMAC_SHA1_80, keys.send().suite());
        assertNotEquals(keys.send(), keys.receive());
        call.hangUp();
        events.await(CallEvent.Ended.class, WAIT);
        assertEquals(OptionalInt.of(0), sipp.awaitExit(WAIT), sipp.output()); // it saw RTP/SAVP and our crypto line
        events.assertSingleTerminalLast();
    }

    @Test
    void plainAnswerWhileSrtpIsRequiredIsAcknowledgedAndHungUp() throws Exception {
        int port = TestPorts.freeUdpPort();
        PeerProcess sipp = closeLater(Peers.sippUas("uas_answer_wait_bye.xml", port, TestPorts.freeUdpPorts(4)));
        SipUserAgent agent = closeLater(SipUserAgent.start(srtpRequired(port)));
        EventRecorder events = new EventRecorder();

        agent.dial(TestAgents.NUMBER, ourMedia(), events);
        CallEvent.Failed failed = events.await(CallEvent.Failed.class, WAIT);
        assertEquals(CallOutcome.SRTP_NEGOTIATION_FAILED, failed.outcome(), failed.toString());
        assertEquals(200, failed.sipStatus());
        assertEquals(OptionalInt.of(0), sipp.awaitExit(WAIT), sipp.output()); // SIPp got the ACK and then the BYE
        assertEquals(0, events.count(CallEvent.Answered.class));
        events.assertSingleTerminalLast();
    }

    @Test
    void baresipWithMandatorySrtpAcceptsOurOffer() throws Exception {
        Peers.Baresip phone = closeLater(Peers.baresipCallee(30, "baresip-srtp"));
        SipUserAgent agent = closeLater(SipUserAgent.start(srtpRequired(phone.sipPort())));
        EventRecorder events = new EventRecorder();

        SipCall call = agent.dial("callee", ourMedia(), events);
        MediaAnswer media = events.await(CallEvent.Answered.class, WAIT).media();
        SdesKeys keys = media.srtp().orElseThrow(() -> new AssertionError("no SRTP keys in " + media));
        assertEquals(SdesKey.AES_CM_128_HMAC_SHA1_80, keys.receive().suite());
        assertEquals(SessionDescriptions.OUR_CRYPTO_TAG, keys.tag());
        assertNotEquals(keys.send(), keys.receive());
        Thread.sleep(500); // baresip keeps the call: it found our SDP acceptable
        assertEquals(0, events.count(CallEvent.Ended.class), events.events().toString());
        assertTrue(phone.process().output().contains("SRTP is Enabled (cryptosuite=AES_CM_128_HMAC_SHA1_80)"), phone.process().output());
        call.hangUp();
        assertFalse(events.await(CallEvent.Ended.class, WAIT).byRemote());
        events.assertSingleTerminalLast();
    }

    @Test
    void baresipHoldAndResumeKeepTheSessionSrtp() throws Exception {
        Peers.Baresip phone = closeLater(Peers.baresipCallee(30, "baresip-srtp"));
        SipUserAgent agent = closeLater(SipUserAgent.start(srtpRequired(phone.sipPort())));
        EventRecorder events = new EventRecorder();

        SipCall call = agent.dial("callee", ourMedia(), events);
        SdesKeys answered = events.await(CallEvent.Answered.class, WAIT).media().srtp().orElseThrow();
        phone.command("hold");
        CallEvent.MediaChanged held = events.await(CallEvent.MediaChanged.class, WAIT);
        assertFalse(held.direction().sends(), held.toString());
        SdesKeys heldKeys = held.media().srtp().orElseThrow(() -> new AssertionError("hold re-INVITE lost SRTP: " + held));
        assertEquals(answered.send(), heldKeys.send(), "our key stays for the whole call");
        phone.command("resume");
        assertEquals(MediaDirection.SENDRECV, events.await(CallEvent.MediaChanged.class, WAIT).direction());
        call.hangUp();
        events.await(CallEvent.Ended.class, WAIT);
        events.assertSingleTerminalLast();
    }

    @Test
    void ourCalleeAnswersAnSrtpOfferWithItsOwnKey() throws Exception {
        SipUserAgent phone = closeLater(SipUserAgent.start(IncomingCallTest.phoneConfig(5060)));
        CompletableFuture<IncomingCall> incoming = new CompletableFuture<>();
        EventRecorder phoneEvents = new EventRecorder();
        phone.onIncomingCall(call -> {
            incoming.complete(call);
            call.answer(ourMedia(), phoneEvents);
        });
        SipUserAgent server = closeLater(SipUserAgent.start(srtpRequired(phone.localPort())));
        EventRecorder serverEvents = new EventRecorder();

        SipCall call = server.dial(TestAgents.NUMBER, ourMedia(), serverEvents);
        SdesKeys serverKeys = serverEvents.await(CallEvent.Answered.class, WAIT).media().srtp().orElseThrow();
        SdesKeys offered = incoming.get(5, TimeUnit.SECONDS).offered().srtp().orElseThrow();
        SdesKeys phoneKeys = phoneEvents.await(CallEvent.Answered.class, WAIT).media().srtp().orElseThrow();
        assertEquals(offered, phoneKeys, "what the handler saw before answering is what the call uses");
        assertEquals(serverKeys.send(), phoneKeys.receive());
        assertEquals(serverKeys.receive(), phoneKeys.send());
        call.hangUp();
        assertTrue(phoneEvents.await(CallEvent.Ended.class, WAIT).byRemote());
    }

    @Test
    void calleeRequiringSrtpRefusesAPlainOffer() throws Exception {
        SipUserAgent phone = closeLater(SipUserAgent.start(IncomingCallTest.phoneConfig(5060).toBuilder().srtp(SrtpMode.REQUIRED).build()));
        phone.onIncomingCall(call -> call.answer(ourMedia(), event -> { }));
        SipUserAgent server = closeLater(SipUserAgent.start(TestAgents.config(phone.localPort())));
        EventRecorder serverEvents = new EventRecorder();

        server.dial(TestAgents.NUMBER, ourMedia(), serverEvents);
        CallEvent.Failed failed = serverEvents.await(CallEvent.Failed.class, WAIT);
        assertEquals(488, failed.sipStatus());
        assertEquals(CallOutcome.NO_COMMON_CODEC, failed.outcome());
    }
}
