package dev.ringback.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A real softphone (baresip) puts our call on hold and takes it back with its own re-INVITEs. */
class BaresipHoldTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) cleanup.get(i).close();
    }

    @Test
    void softphoneHoldAndResumeReachTheApplication() throws Exception {
        Peers.Baresip phone = Peers.baresipCallee(30);
        cleanup.add(phone);
        SipUserAgent agent = SipUserAgent.start(TestAgents.config(phone.sipPort()));
        cleanup.add(agent);
        EventRecorder events = new EventRecorder();

        SipCall call = agent.dial("callee", new MediaOffer("127.0.0.1", TestPorts.freeUdpPorts(2)), events);
        int phoneRtp = events.await(CallEvent.Answered.class, WAIT).media().rtpPort();
        phone.command("hold");
        CallEvent.MediaChanged held = events.await(CallEvent.MediaChanged.class, WAIT);
        assertFalse(held.direction().sends(), "on hold we must not send: " + held);
        assertEquals(phoneRtp, held.media().rtpPort());
        phone.command("resume");
        assertEquals(MediaDirection.SENDRECV, events.await(CallEvent.MediaChanged.class, WAIT).direction());

        call.hangUp();
        assertFalse(events.await(CallEvent.Ended.class, WAIT).byRemote());
        events.assertSingleTerminalLast();
    }
}
