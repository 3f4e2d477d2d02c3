package dev.ringback.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RtpEngineTest {

    @Test
    void handsOutEvenPortsFromTheRangeAndTakesThemBack() {
        RtpConfig config = TestNet.freeRange(4);
        try (RtpEngine engine = new RtpEngine(config, 1)) {
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < 100; i++) {
                RtpSession session = engine.open();
                int port = session.localPort();
                assertEquals(0, port % 2, "even port");
                assertTrue(port >= config.portMin() && port <= config.portMax(), "port " + port + " in range");
                seen.add(port);
                session.close();
            }
            assertEquals(4, seen.size(), "ports are reused round-robin: " + seen);
            assertEquals(0, engine.openSessions());
        }
    }

    @Test
    void anExhaustedPoolSaysSoAndRecoversWhenASessionCloses() {
        RtpConfig config = TestNet.freeRange(3);
        try (RtpEngine engine = new RtpEngine(config, 1)) {
            List<RtpSession> open = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                open.add(engine.open());
            }
            MediaException e = assertThrows(MediaException.class, engine::open);
            assertTrue(e.getMessage().contains("no free RTP port"), e.getMessage());
            assertTrue(e.getMessage().contains("3 of 3"), e.getMessage());

            RtpSession closed = open.remove(1);
            closed.close();
            int returned = closed.localPort();
            // the only free port is the one just returned
            try (RtpSession again = engine.open()) {
                assertEquals(returned, again.localPort());
            }
            open.forEach(RtpSession::close);
        }
    }

    @Test
    void aPortTakenBySomeoneElseIsSkipped() throws Exception {
        RtpConfig config = TestNet.freeRange(2);
        try (DatagramSocket squatter = new DatagramSocket(new InetSocketAddress(TestNet.HOST, config.portMin()));
                RtpEngine engine = new RtpEngine(config, 1);
                RtpSession session = engine.open()) {
            assertEquals(config.portMin() + 2, session.localPort());
            MediaException e = assertThrows(MediaException.class, engine::open);
            assertTrue(e.getMessage().contains("could not be bound"), e.getMessage());
            assertTrue(squatter.isBound());
        }
    }

    @Test
    void closingTheEngineClosesItsSessionsAndInterruptsTheirAudio() throws Exception {
        RtpConfig config = TestNet.freeRange(2);
        RtpEngine engine = new RtpEngine(config, 1);
        RtpSession session = engine.open();
        Playout playout = session.play(TestAudio.tone(500, 1.0, 5000));
        engine.close();

        assertEquals(new PlayoutResult(0, 50, true), playout.done().get(1, TimeUnit.SECONDS));
        assertEquals(new PlayoutResult(0, 1, true), session.play(new short[10]).done().get());
        assertThrows(MediaException.class, engine::open);
        // the port is free for anyone again
        try (DatagramSocket reuse = new DatagramSocket(new InetSocketAddress(TestNet.HOST, session.localPort()))) {
            assertTrue(reuse.isBound());
        }
    }

    @Test
    void rejectsARangeWithoutEvenPorts() {
        assertThrows(IllegalArgumentException.class, () -> new RtpConfig(TestNet.HOST, 10001, 10001));
        assertThrows(IllegalArgumentException.class, () -> new RtpConfig(TestNet.HOST, 20000, 10000));
        assertEquals(3, new RtpConfig(TestNet.HOST, 10001, 10006).capacity());
    }
}
