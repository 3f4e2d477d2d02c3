package dev.ringback.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Four real sessions on 127.0.0.1: a caller talking PCMU to leg A, leg B talking PCMA to a callee, and A and B
 * bridged, as in a bridged transfer.
 */
class RtpBridgeTest {
    private static RtpEngine engine;

    @BeforeAll
    static void startEngine() {
        engine = new RtpEngine(TestNet.freeRange(8), 2);
    }

    @AfterAll
    static void stopEngine() {
        engine.close();
    }

    private static InetSocketAddress local(int port) {
        return new InetSocketAddress(TestNet.HOST, port);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        await(condition, () -> what);
    }

    private static void await(BooleanSupplier condition, Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, () -> "timed out waiting for " + what.get());
            Thread.sleep(20);
        }
    }

    /** Frames with the tone's level (the tests' tones have rms 5657; silence and concealment tails are far below). */
    private static List<short[]> collectTone(RtpSession session) {
        List<short[]> frames = new CopyOnWriteArrayList<>();
        session.onAudio((pcm, arrival) -> {
            if (TestAudio.rms(pcm) > 4000) {
                frames.add(pcm);
            }
        });
        return frames;
    }

    private static void connect(RtpSession x, RtpSession y, Codec codec) {
        x.start(local(y.localPort()), codec);
        y.start(local(x.localPort()), codec);
    }

    @Test
    void bridgedLegsCarryEachSidesAudioTranscodingPcmuToPcma() throws Exception {
        try (RtpSession caller = engine.open(); RtpSession legA = engine.open(); RtpSession legB = engine.open();
                RtpSession callee = engine.open()) {
            connect(caller, legA, Codec.PCMU);
            connect(legB, callee, Codec.PCMA);
            List<short[]> atCallee = collectTone(callee);
            List<short[]> atCaller = collectTone(caller);
            try (RtpBridge bridge = RtpBridge.connect(legA, legB)) {
                caller.play(TestAudio.tone(1000, 1, 8000));
                callee.play(TestAudio.tone(450, 1, 8000));
                await(() -> atCallee.size() >= 45 && atCaller.size() >= 45, "the tones across the bridge");
                Thread.sleep(200);

                assertEquals(1000, TestAudio.dominantFrequency(TestAudio.audibleConcatenation(atCallee, 0)));
                assertEquals(450, TestAudio.dominantFrequency(TestAudio.audibleConcatenation(atCaller, 0)));
                // 1 s is 50 frames; a scheduling stall may cost a few to the backlog limit, never add any
                assertTrue(atCallee.size() <= 52 && atCaller.size() <= 52, atCallee.size() + " / " + atCaller.size());
                assertEquals(5657, TestAudio.rms(TestAudio.audibleConcatenation(atCallee, 0)), 400,
                        "two G.711 hops, PCMU then PCMA, keep the level");
                assertTrue(bridge.framesAtoB() >= 45 && bridge.framesBtoA() >= 45, "frames moved both ways");
                assertEquals(0, legB.stats().packetsDropped());
            }
            // unbridged: nothing more crosses
            int heardBefore = atCallee.size();
            caller.play(TestAudio.tone(1000, 0.5, 8000)).done().get(5, TimeUnit.SECONDS);
            Thread.sleep(300);
            assertEquals(heardBefore, atCallee.size(), "audio crossed a closed bridge");
        }
    }

    @Test
    void twoBridgesSideBySideDoNotMix() throws Exception {
        try (RtpSession caller1 = engine.open(); RtpSession leg1 = engine.open();
                RtpSession caller2 = engine.open(); RtpSession leg2 = engine.open()) {
            connect(caller1, leg1, Codec.PCMU);
            connect(caller2, leg2, Codec.PCMA);
            List<short[]> at1 = collectTone(caller1);
            List<short[]> at2 = collectTone(caller2);
            try (RtpBridge bridge = RtpBridge.connect(leg1, leg2)) {
                caller1.play(TestAudio.tone(700, 0.6, 8000));
                await(() -> at2.size() >= 25, () -> "caller 1 heard by caller 2: " + at2.size() + " frames; bridge "
                        + bridge.framesAtoB() + "/" + bridge.framesBtoA() + "/" + bridge.framesDropped() + " " + leg2.stats());
                Thread.sleep(200);
                assertEquals(700, TestAudio.dominantFrequency(TestAudio.audibleConcatenation(at2, 0)));
                assertTrue(at1.isEmpty(), "no echo of caller 1 back to itself");
                assertTrue(at2.size() <= 31, "0.6 s is 30 frames: " + at2.size());
            }
            assertThrows(IllegalArgumentException.class, () -> RtpBridge.connect(leg1, leg1));
        }
    }
}
