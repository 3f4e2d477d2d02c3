package dev.ringback.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RFC 4733 DTMF sent by a session: on the wire to a plain socket, and decoded by another session. */
class DtmfSendTest {
    private static RtpEngine engine;

    @BeforeAll
    static void startEngine() {
        engine = new RtpEngine(TestNet.freeRange(6), 2);
    }

    @AfterAll
    static void stopEngine() {
        engine.close();
    }

    private static InetSocketAddress local(int port) {
        return new InetSocketAddress(TestNet.HOST, port);
    }

    @Test
    void digitsSentByOneSessionAreReceivedOnceEachByAnother() throws Exception {
        try (RtpSession a = engine.open(); RtpSession b = engine.open()) {
            StringBuffer heard = new StringBuffer();
            b.onDtmf((digit, arrival) -> heard.append(digit));
            a.start(local(b.localPort()), Codec.PCMA, 96);
            b.start(local(a.localPort()), Codec.PCMA, 96);
            a.sendDtmf('1', 100);
            a.sendDtmf('#', 60);
            a.sendDtmf('9', 200).get(5, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (heard.length() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(200); // the repeated end packets arrive after the digit: they must not repeat it
            assertEquals("1#9", heard.toString());
            assertEquals(7 + 5 + 12, b.stats().telephoneEvents(), "100, 60, 200 ms: 5, 3, 10 packets plus two end repeats each");
        }
    }

    @Test
    void theWireCarriesRfc4733EventsWithThreeEndPackets() throws Exception {
        try (DatagramSocket phone = TestNet.socketBelow32768(); RtpSession session = engine.open()) {
            session.start(local(phone.getLocalPort()), Codec.PCMU, 101);
            TestNet.Captured before = TestNet.Captured.read(phone);
            CompletableFuture<Void> sent = session.sendDtmf('5', 100);
            List<TestNet.Captured> packets = new ArrayList<>();
            while (packets.size() < 20) {
                packets.add(TestNet.Captured.read(phone));
            }
            sent.get(2, TimeUnit.SECONDS);

            List<TestNet.Captured> events = packets.stream().filter(p -> p.pt() == 101).toList();
            assertEquals(7, events.size(), "100 ms: five packets, the last an end packet, then two repeats");
            int firstEvent = packets.indexOf(events.get(0));
            for (int i = 0; i < events.size(); i++) {
                TestNet.Captured e = events.get(i);
                assertEquals(packets.get(firstEvent + i), e, "events are consecutive packets");
                assertEquals(events.get(0).ts(), e.ts(), "every packet carries the event's start timestamp");
                assertEquals(i == 0, e.marker(), "marker on the first packet only");
                assertEquals(4, e.payload().length);
                assertEquals(5, e.payload()[0], "event code of '5'");
                boolean end = (e.payload()[1] & 0x80) != 0;
                assertEquals(i >= 4, end, "E bit on the last three");
                assertEquals(10, e.payload()[1] & 0x3F, "volume");
                int duration = ((e.payload()[2] & 0xFF) << 8) | (e.payload()[3] & 0xFF);
                assertEquals(Math.min(160 * (i + 1), 800), duration);
            }
            for (int i = 1; i < packets.size(); i++) {
                assertEquals((packets.get(i - 1).seq() + 1) & 0xFFFF, packets.get(i).seq(), "no sequence gap");
            }
            TestNet.Captured after = packets.get(firstEvent + 7);
            assertEquals(0, after.pt(), "audio resumes");
            assertEquals((before.ts() + 160L * (firstEvent + 8)) & 0xFFFF_FFFFL, after.ts(),
                    "the audio clock ran on through the event");
            assertFalse(events.get(0).ts() == before.ts());
        }
    }

    @Test
    void badDigitsAndUnstartedSessionsAreRefused() {
        try (RtpSession session = engine.open()) {
            assertThrows(IllegalStateException.class, () -> session.sendDtmf('1', 100));
            session.start(local(TestNet.freePort()), Codec.PCMU);
            assertThrows(IllegalArgumentException.class, () -> session.sendDtmf('x', 100));
            assertThrows(IllegalArgumentException.class, () -> session.sendDtmf('1', 10));
        }
    }
}
