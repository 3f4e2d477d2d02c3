package dev.ringback.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Calls into our agent: the demo's "customer phone" answering the server, here called by SIPp and by a second agent. */
class IncomingCallTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) cleanup.get(i).close();
    }

    private <T extends AutoCloseable> T closeLater(T resource) {
        cleanup.add(resource);
        return resource;
    }

    static SipConfig phoneConfig(int trunkPort) {
        return TestAgents.towardsTrunk(trunkPort).from("customer", "Customer").build();
    }

    @Test
    void sippCallerIsAnsweredAndWeHangUp() throws Exception {
        SipUserAgent phone = closeLater(SipUserAgent.start(phoneConfig(5060)));
        CompletableFuture<IncomingCall> incoming = new CompletableFuture<>();
        EventRecorder events = new EventRecorder();
        MediaOffer phoneMedia = new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2));
        phone.onIncomingCall(call -> {
            incoming.complete(call);
            call.answer(phoneMedia, event -> {
                events.onEvent(event);
                if (event instanceof CallEvent.Answered) call.hangUp();
            });
        });

        int sippMedia = TestPorts.freeUdpPorts(4);
        PeerProcess sipp = closeLater(Peers.sippUac("uac_call_wait_bye.xml", TestPorts.freeUdpPort(), sippMedia, phone.localPort(), "+61412000111"));
        IncomingCall call = incoming.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals("caller", call.fromUser());
        assertEquals("+61412000111", call.toUser());
        assertEquals(new MediaAnswer("127.0.0.1", sippMedia, 0, "PCMU", 8000, OptionalInt.empty()), call.offered());

        events.await(CallEvent.Answered.class, WAIT);
        CallEvent.Ended ended = events.await(CallEvent.Ended.class, WAIT);
        assertFalse(ended.byRemote());
        assertEquals(OptionalInt.of(0), sipp.awaitExit(WAIT), sipp.output());
        events.assertSingleTerminalLast();
    }

    @Test
    void anInviteFromAHostThatIsNotTheTrunkIsRefusedBeforeAnyCall() throws Exception {
        SipUserAgent phone = closeLater(SipUserAgent.start(phoneConfig(5060)));
        CompletableFuture<IncomingCall> incoming = new CompletableFuture<>();
        phone.onIncomingCall(incoming::complete);
        // 127.0.0.2 is loopback too, but not the trunk (127.0.0.1)
        PeerProcess sipp = closeLater(Peers.sippUacFrom("127.0.0.2", "uac_expect_403.xml", TestPorts.freeUdpPort(), TestPorts.freeUdpPorts(4),
                phone.localPort(), "+61412000111"));
        assertEquals(OptionalInt.of(0), sipp.awaitExit(WAIT), "SIPp got its 403: " + sipp.output());
        assertFalse(incoming.isDone(), "no call reached the handler");
    }

    @Test
    void aScannerPastAFewRefusalsAMinuteGetsNoAnswerAtAll() throws Exception {
        SipUserAgent phone = closeLater(SipUserAgent.start(phoneConfig(5060)));
        phone.onIncomingCall(call -> call.reject(486, "Busy Here"));
        int answered = 0;
        for (int i = 0; i < InboundSources.ANSWERED_PER_MINUTE + 2; i++) {
            PeerProcess sipp = closeLater(Peers.sippUacFrom("127.0.0.3", "uac_expect_403.xml", TestPorts.freeUdpPort(), TestPorts.freeUdpPorts(4),
                    phone.localPort(), "+61412000111"));
            OptionalInt exit = sipp.awaitExit(Duration.ofSeconds(i < InboundSources.ANSWERED_PER_MINUTE ? 10 : 3));
            if (exit.isPresent() && exit.getAsInt() == 0) answered++;
            sipp.close();
        }
        assertEquals(InboundSources.ANSWERED_PER_MINUTE, answered, "a 403 for the first few INVITEs a minute, then silence");
    }

    @Test
    void twoAgentsInOneJvmCallEachOther() throws Exception {
        SipUserAgent phone = closeLater(SipUserAgent.start(phoneConfig(5060)));
        SipUserAgent server = closeLater(SipUserAgent.start(TestAgents.config(phone.localPort())));
        MediaOffer phoneMedia = new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2));
        MediaOffer serverMedia = new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2));
        EventRecorder phoneEvents = new EventRecorder();
        CompletableFuture<IncomingCall> incoming = new CompletableFuture<>();
        phone.onIncomingCall(call -> {
            incoming.complete(call);
            call.answer(phoneMedia, phoneEvents);
        });
        EventRecorder serverEvents = new EventRecorder();

        SipCall outgoing = server.dial("+61412000111", serverMedia, serverEvents);
        assertEquals(180, serverEvents.await(CallEvent.Ringing.class, WAIT).status());
        CallEvent.Answered serverSide = serverEvents.await(CallEvent.Answered.class, WAIT);
        // our callee echoes the rtcp-mux our offer carries (RFC 5761)
        assertEquals(new MediaAnswer("127.0.0.1", phoneMedia.rtpPort(), 0, "PCMU", 8000, OptionalInt.of(101)).withRtcpMux(true),
                serverSide.media());
        CallEvent.Answered phoneSide = phoneEvents.await(CallEvent.Answered.class, WAIT);
        assertEquals(serverMedia.rtpPort(), phoneSide.media().rtpPort());
        IncomingCall call = incoming.get();
        assertEquals("ringback", call.fromUser());
        assertEquals(outgoing.callId(), call.callId());

        call.hangUp(); // the customer hangs up
        assertFalse(phoneEvents.await(CallEvent.Ended.class, WAIT).byRemote());
        assertTrue(serverEvents.await(CallEvent.Ended.class, WAIT).byRemote());
        phoneEvents.assertSingleTerminalLast();
        serverEvents.assertSingleTerminalLast();
    }

    @Test
    void rejectedCallIsSeenAsBusyByTheCaller() throws Exception {
        SipUserAgent phone = closeLater(SipUserAgent.start(phoneConfig(5060)));
        SipUserAgent server = closeLater(SipUserAgent.start(TestAgents.config(phone.localPort())));
        phone.onIncomingCall(call -> call.reject(486, "Busy Here"));
        EventRecorder serverEvents = new EventRecorder();

        server.dial("+61412000111", new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), serverEvents);
        CallEvent.Failed failed = serverEvents.await(CallEvent.Failed.class, WAIT);
        assertEquals(CallOutcome.BUSY, failed.outcome());
    }

    @Test
    void unansweredCallIsCancelledAtRingTimeoutAndALateAnswerOnlyEndsIt() throws Exception {
        SipUserAgent phone = closeLater(SipUserAgent.start(phoneConfig(5060)));
        SipUserAgent server = closeLater(SipUserAgent.start(TestAgents.towardsTrunk(phone.localPort())
                .ringTimeout(Duration.ofSeconds(1)).build()));
        CompletableFuture<IncomingCall> incoming = new CompletableFuture<>();
        phone.onIncomingCall(incoming::complete); // the customer lets it ring
        EventRecorder serverEvents = new EventRecorder();

        server.dial("+61412000111", new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), serverEvents);
        IncomingCall call = incoming.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        CallEvent.Failed failed = serverEvents.await(CallEvent.Failed.class, WAIT);
        assertEquals(CallOutcome.NO_ANSWER, failed.outcome());
        assertEquals(487, failed.sipStatus()); // our UAS answered the CANCEL and terminated the INVITE

        EventRecorder phoneEvents = new EventRecorder();
        call.answer(new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), phoneEvents);
        CallEvent.Ended ended = phoneEvents.await(CallEvent.Ended.class, WAIT);
        assertTrue(ended.byRemote());
        phoneEvents.assertSingleTerminalLast();
        serverEvents.assertSingleTerminalLast();
    }

    @Test
    void agentWithoutHandlerTurnsCallsAway() throws Exception {
        SipUserAgent phone = closeLater(SipUserAgent.start(phoneConfig(5060)));
        SipUserAgent server = closeLater(SipUserAgent.start(TestAgents.config(phone.localPort())));
        EventRecorder serverEvents = new EventRecorder();

        server.dial("+61412000111", new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), serverEvents);
        CallEvent.Failed failed = serverEvents.await(CallEvent.Failed.class, WAIT);
        assertEquals(480, failed.sipStatus());
        assertEquals(CallOutcome.NO_ANSWER, failed.outcome());
    }

    @Test
    void closingFromAListenerDoesNotDeadlock() throws Exception {
        SipUserAgent phone = closeLater(SipUserAgent.start(phoneConfig(5060)));
        SipUserAgent server = closeLater(SipUserAgent.start(TestAgents.config(phone.localPort())));
        EventRecorder phoneEvents = new EventRecorder();
        phone.onIncomingCall(call -> call.answer(new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), phoneEvents));
        EventRecorder serverEvents = new EventRecorder();

        server.dial("+61412000111", new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), event -> {
            serverEvents.onEvent(event);
            if (event instanceof CallEvent.Answered) server.close();
        });
        assertFalse(serverEvents.await(CallEvent.Ended.class, WAIT).byRemote());
        assertTrue(phoneEvents.await(CallEvent.Ended.class, WAIT).byRemote());
        serverEvents.assertSingleTerminalLast();
    }

    @Test
    void closingTheAgentEndsItsCalls() throws Exception {
        SipUserAgent phone = closeLater(SipUserAgent.start(phoneConfig(5060)));
        SipUserAgent server = closeLater(SipUserAgent.start(TestAgents.config(phone.localPort())));
        EventRecorder phoneEvents = new EventRecorder();
        phone.onIncomingCall(call -> call.answer(new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), phoneEvents));
        EventRecorder serverEvents = new EventRecorder();
        server.dial("+61412000111", new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), serverEvents);
        serverEvents.await(CallEvent.Answered.class, WAIT);
        phoneEvents.await(CallEvent.Answered.class, WAIT);

        server.close();
        assertFalse(serverEvents.await(CallEvent.Ended.class, WAIT).byRemote());
        assertTrue(phoneEvents.await(CallEvent.Ended.class, WAIT).byRemote()); // the BYE went out before the stack stopped
    }
}
