package dev.ringback.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Blind transfer of an answered call with REFER: the after-hours hand-over to the on-call technician. */
class TransferTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String ON_CALL = "+61400999888";

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) cleanup.get(i).close();
    }

    private record AnsweredCall(SipCall call, EventRecorder events, PeerProcess sipp) {}

    private AnsweredCall answeredCallWith(String scenario) throws Exception {
        int sipPort = TestPorts.freeUdpPort();
        PeerProcess sipp = Peers.sippUas(scenario, sipPort, TestPorts.freeUdpPorts(4));
        cleanup.add(sipp);
        SipUserAgent agent = SipUserAgent.start(TestAgents.config(sipPort));
        cleanup.add(agent);
        EventRecorder events = new EventRecorder();
        SipCall call = agent.dial(TestAgents.NUMBER, new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), events);
        events.await(CallEvent.Answered.class, WAIT);
        return new AnsweredCall(call, events, sipp);
    }

    private static TransferResult await(java.util.concurrent.CompletableFuture<TransferResult> result) throws Exception {
        return result.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void acceptedReferFollowsNotifiesToSuccessAndTheFarEndHangsUp() throws Exception {
        AnsweredCall answered = answeredCallWith("uas_refer_accepted.xml");

        TransferResult result = await(answered.call().transfer(ON_CALL));
        assertEquals(new TransferResult(TransferResult.Outcome.ACCEPTED, 200, "transfer target answered"), result);
        assertTrue(answered.events().await(CallEvent.Ended.class, WAIT).byRemote());
        assertEquals(OptionalInt.of(0), answered.sipp().awaitExit(WAIT), answered.sipp().output());
        answered.events().assertSingleTerminalLast();
    }

    @Test
    void referRefusedWith405TellsTheApplicationToBridgeAndTheCallStaysUp() throws Exception {
        AnsweredCall answered = answeredCallWith("uas_refer_rejected.xml");

        TransferResult result = await(answered.call().transfer(ON_CALL));
        assertEquals(TransferResult.Outcome.REJECTED, result.outcome());
        assertEquals(405, result.sipStatus());
        assertEquals(0, answered.events().count(CallEvent.Ended.class));

        answered.call().hangUp();
        assertFalse(answered.events().await(CallEvent.Ended.class, WAIT).byRemote());
        assertEquals(OptionalInt.of(0), answered.sipp().awaitExit(WAIT), answered.sipp().output());
    }

    @Test
    void busyTransferTargetFailsWithItsStatusAndTheCallStaysOurs() throws Exception {
        AnsweredCall answered = answeredCallWith("uas_refer_target_busy.xml");

        TransferResult result = await(answered.call().transfer(ON_CALL));
        assertEquals(TransferResult.Outcome.BUSY, result.outcome());
        assertEquals(486, result.sipStatus());

        answered.call().hangUp();
        assertFalse(answered.events().await(CallEvent.Ended.class, WAIT).byRemote());
        assertEquals(OptionalInt.of(0), answered.sipp().awaitExit(WAIT), answered.sipp().output());
    }

    @Test
    void transferBeforeAnswerFailsAtOnceAndBadNumbersAreRefused() throws Exception {
        int sipPort = TestPorts.freeUdpPort();
        PeerProcess sipp = Peers.sippUas("uas_ring_no_answer.xml", sipPort, TestPorts.freeUdpPorts(4));
        cleanup.add(sipp);
        SipUserAgent agent = SipUserAgent.start(TestAgents.config(sipPort));
        cleanup.add(agent);
        EventRecorder events = new EventRecorder();
        SipCall call = agent.dial(TestAgents.NUMBER, new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), events);
        events.await(CallEvent.Ringing.class, WAIT);

        assertEquals(TransferResult.Outcome.FAILED, await(call.transfer(ON_CALL)).outcome());
        assertThrows(IllegalArgumentException.class, () -> call.transfer("0400 999 888"));
        call.hangUp();
        events.await(CallEvent.Ended.class, WAIT);
    }

    @Test
    void anAnsweredIncomingCallCanBeTransferredAndOurAgentRefusesToBeTransferred() throws Exception {
        SipUserAgent phone = SipUserAgent.start(IncomingCallTest.phoneConfig(5060));
        cleanup.add(phone);
        SipUserAgent server = SipUserAgent.start(TestAgents.config(phone.localPort()));
        cleanup.add(server);
        java.util.concurrent.CompletableFuture<IncomingCall> incoming = new java.util.concurrent.CompletableFuture<>();
        EventRecorder phoneEvents = new EventRecorder();
        phone.onIncomingCall(call -> {
            incoming.complete(call);
            call.answer(new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), phoneEvents);
        });
        EventRecorder serverEvents = new EventRecorder();
        SipCall outgoing = server.dial(TestAgents.NUMBER, new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), serverEvents);
        phoneEvents.await(CallEvent.Answered.class, WAIT);

        // the REFER goes from the called side to our dialling agent, which is no transferee: 405 with Allow
        TransferResult result = await(incoming.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).transfer(ON_CALL));
        assertEquals(TransferResult.Outcome.REJECTED, result.outcome());
        assertEquals(405, result.sipStatus());
        assertEquals(0, serverEvents.count(CallEvent.Ended.class));

        outgoing.hangUp();
        assertTrue(phoneEvents.await(CallEvent.Ended.class, WAIT).byRemote());
    }
}
