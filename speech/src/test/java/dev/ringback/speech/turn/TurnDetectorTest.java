package dev.ringback.speech.turn;

import dev.ringback.speech.asr.Expectation;

import dev.ringback.speech.testaudio.SpokenAudio;
import dev.ringback.speech.vad.SileroVad;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TurnDetectorTest {

    private static final Logger log = LoggerFactory.getLogger(TurnDetectorTest.class);
    private static final int LINE = 8000;
    private static final long FRAME_NANOS = 20_000_000L;
    private static final TurnConfig ROOMY = TurnConfig.DEFAULT.withQueueFrames(2000);

    private static SileroVad vad;
    private static SpeechWorkers workers;

    @BeforeAll
    static void setUp() {
        vad = SileroVad.load(Path.of(System.getProperty("ringback.root"), "models", "silero-vad", "silero_vad_v5.onnx"));
        workers = new SpeechWorkers(2, 64);
    }

    @AfterAll
    static void tearDown() {
        workers.close();
        vad.close();
    }

    @Test
    void twoUtterancesMakeTwoTurnsEachAnnouncedByASpeechStart() throws InterruptedException {
        short[] first = SpokenAudio.say("Hello, I got your text about the leaking tap.", LINE);
        short[] second = SpokenAudio.say("Thursday afternoon would suit me best.", LINE);
        short[] call = SpokenAudio.concat(SpokenAudio.silence(LINE, 1), first, SpokenAudio.silence(LINE, 1.5), second,
                SpokenAudio.silence(LINE, 1.5));
        int firstStart = SpokenAudio.firstLoud(call, LINE);
        int firstEnd = firstStart + SpokenAudio.lastLoud(first, LINE) - SpokenAudio.firstLoud(first, LINE);
        int secondOffset = LINE + first.length + (int) (LINE * 1.5);
        int secondStart = secondOffset + SpokenAudio.firstLoud(second, LINE);
        int secondEnd = secondOffset + SpokenAudio.lastLoud(second, LINE);

        var recognizer = new CapturingRecognizerForTest();
        var events = new LinkedBlockingQueue<TurnEvent>();
        long base = System.nanoTime();
        try (var detector = new TurnDetector(vad, recognizer, workers, ROOMY, events::add)) {
            detector.setExpectation(Expectation.of(Expectation.Kind.WHEN));
            feed(detector, call, base);

            List<TurnEvent> got = take(events, 4);
            log.info("events {}", got);
            SpeechStarted s1 = assertInstanceOf(SpeechStarted.class, got.get(0));
            UserTurn t1 = assertInstanceOf(UserTurn.class, got.get(1));
            SpeechStarted s2 = assertInstanceOf(SpeechStarted.class, got.get(2));
            UserTurn t2 = assertInstanceOf(UserTurn.class, got.get(3));
            assertNull(events.poll(1, TimeUnit.SECONDS), "nothing more");

            assertEquals("utterance 1", t1.text());
            assertEquals("utterance 2", t2.text());
            assertNear(base, firstStart, s1.atNanos(), 150);
            assertEquals(s1.atNanos(), t1.speechStartNanos());
            assertNear(base, firstEnd, t1.speechEndNanos(), 250);
            assertNear(base, secondStart, s2.atNanos(), 150);
            assertNear(base, secondEnd, t2.speechEndNanos(), 250);
            assertEquals(0, detector.droppedFrames());
        }

        List<CapturingRecognizerForTest.Utterance> heard = recognizer.finished();
        assertEquals(2, heard.size());
        assertEquals(Expectation.Kind.WHEN, heard.get(0).expectation().kind());
        assertCovers(first, heard.get(0).audio());
        assertCovers(second, heard.get(1).audio());
    }

    @Test
    void callsSharingTheWorkersEachGetOnlyTheirOwnTurns() throws Exception {
        short[] gap = SpokenAudio.silence(LINE, 1.2);
        short[][] calls = {
                SpokenAudio.concat(gap, SpokenAudio.say("I need a plumber today.", LINE), gap),
                SpokenAudio.concat(gap, SpokenAudio.say("Yes.", LINE), gap, SpokenAudio.say("No, Friday is better.", LINE), gap),
                SpokenAudio.concat(gap, gap, gap)};
        int[] expectedTurns = {1, 2, 0};
        var recognizers = new ArrayList<CapturingRecognizerForTest>();
        var events = new ArrayList<LinkedBlockingQueue<TurnEvent>>();
        var detectors = new ArrayList<TurnDetector>();
        for (int i = 0; i < calls.length; i++) {
            recognizers.add(new CapturingRecognizerForTest());
            events.add(new LinkedBlockingQueue<>());
            detectors.add(new TurnDetector(vad, recognizers.get(i), workers, ROOMY, events.get(i)::add));
        }
        try {
            var threads = new ArrayList<Thread>();
            long base = System.nanoTime();
            for (int i = 0; i < calls.length; i++) {
                int call = i;
                Thread feeder = new Thread(() -> feed(detectors.get(call), calls[call], base), "event-loop-" + call);
                feeder.start();
                threads.add(feeder);
            }
            for (Thread t : threads) {
                t.join();
            }
            for (int i = 0; i < calls.length; i++) {
                List<TurnEvent> got = take(events.get(i), 2 * expectedTurns[i]);
                for (int k = 0; k < got.size(); k++) {
                    Class<?> expected = k % 2 == 0 ? SpeechStarted.class : UserTurn.class;
                    assertEquals(expected, got.get(k).getClass(), "call " + i + " event " + k);
                }
                assertNull(events.get(i).poll(500, TimeUnit.MILLISECONDS), "call " + i + " has no extra events");
                assertEquals(expectedTurns[i], recognizers.get(i).finished().size(), "call " + i);
            }
        } finally {
            detectors.forEach(TurnDetector::close);
        }
    }

    @Test
    void aCompleteAnswerEndsTheTurnAfterAShortPauseAndAHangingPhraseWaitsLonger() throws InterruptedException {
        short[] words = SpokenAudio.say("Yes, Thursday morning works.", LINE);
        short[] call = SpokenAudio.concat(SpokenAudio.silence(LINE, 0.5), words, SpokenAudio.silence(LINE, 1.5));
        var config = ROOMY.withHangoverMs(700).withQuickHangoverMs(250);
        double complete = trailAfterWords(new CapturingRecognizerForTest("yes thursday morning works"), config, call);
        double hanging = trailAfterWords(new CapturingRecognizerForTest("yes thursday and"), config, call);
        double quickOff = trailAfterWords(new CapturingRecognizerForTest("yes thursday morning works"), config.withQuickHangoverMs(0), call);
        log.info("silence after the words before the turn ended: complete {} s, hanging {} s, quick end off {} s", complete, hanging, quickOff);
        // VAD's silence starts a little before the last word's tail drops under -45 dBFS, hence the lower bounds
        assertTrue(complete >= 0.1 && complete <= 0.4, "complete answer ended after " + complete + " s");
        assertTrue(hanging >= 0.55, "hanging phrase ended after " + hanging + " s");
        assertTrue(quickOff >= 0.55, "without the quick rule the turn ended after " + quickOff + " s");
    }

    /** Seconds of audio after the last word that the recogniser received before the turn ended. */
    private static double trailAfterWords(CapturingRecognizerForTest recognizer, TurnConfig config, short[] call) throws InterruptedException {
        var events = new LinkedBlockingQueue<TurnEvent>();
        try (var detector = new TurnDetector(vad, recognizer, workers, config, events::add)) {
            feed(detector, call, System.nanoTime());
            List<TurnEvent> got = take(events, 2);
            assertInstanceOf(UserTurn.class, got.get(1));
        }
        short[] heard = recognizer.finished().get(0).audio();
        return (heard.length - SpokenAudio.lastLoud(heard, 16000)) / 16000.0;
    }

    @Test
    void silentLineMakesNoTurns() throws InterruptedException {
        var recognizer = new CapturingRecognizerForTest();
        var events = new LinkedBlockingQueue<TurnEvent>();
        try (var detector = new TurnDetector(vad, recognizer, workers, ROOMY, events::add)) {
            feed(detector, SpokenAudio.noise(LINE, 3, -55, 9), System.nanoTime());
            assertNull(events.poll(1500, TimeUnit.MILLISECONDS));
        }
        assertEquals(List.of(), recognizer.finished());
    }

    @Test
    void whileTheAgentSpeaksOnlyLongerSpeechBargesIn() throws InterruptedException {
        short[] yes = SpokenAudio.concat(SpokenAudio.silence(LINE, 0.5), SpokenAudio.say("Yes, please.", LINE), SpokenAudio.silence(LINE, 1));
        var recognizer = new CapturingRecognizerForTest();
        var events = new LinkedBlockingQueue<TurnEvent>();
        try (var detector = new TurnDetector(vad, recognizer, workers, ROOMY.withBargeInOnsetMs(3000), events::add)) {
            detector.setAgentSpeaking(true);
            feed(detector, yes, System.nanoTime());
            assertNull(events.poll(1500, TimeUnit.MILLISECONDS), "a short reply does not interrupt the agent");

            detector.setAgentSpeaking(false);
            feed(detector, yes, System.nanoTime());
            assertInstanceOf(SpeechStarted.class, events.poll(5, TimeUnit.SECONDS));
            assertInstanceOf(UserTurn.class, events.poll(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void endlessSpeechIsCutIntoTurnsOfBoundedLength() throws InterruptedException {
        short[] monologue = SpokenAudio.say("Well the thing is that the boiler has been making a strange knocking noise "
                + "every single morning since the weekend and the radiators upstairs stay completely cold", LINE);
        var recognizer = new CapturingRecognizerForTest();
        var events = new LinkedBlockingQueue<TurnEvent>();
        var config = ROOMY.withMaxTurnMs(2000);
        try (var detector = new TurnDetector(vad, recognizer, workers, config, events::add)) {
            feed(detector, SpokenAudio.concat(SpokenAudio.silence(LINE, 0.5), monologue, SpokenAudio.silence(LINE, 1)), System.nanoTime());
            List<TurnEvent> got = take(events, 4);
            assertInstanceOf(UserTurn.class, got.get(1), "first turn cut while still speaking");
            assertInstanceOf(SpeechStarted.class, got.get(2), "speech goes on in a new turn");
        }
        for (var utterance : recognizer.finished()) {
            double seconds = utterance.audio().length / 16000.0;
            assertTrue(seconds <= 2.0 + 0.3 + 0.1, "turn of " + seconds + " s");
        }
    }

    @Test
    void acceptNeverWaitsForAStuckWorkerAndCountsWhatItDrops() throws InterruptedException {
        var release = new CountDownLatch(1);
        var recognizer = new CapturingRecognizerForTest(release);
        var events = new LinkedBlockingQueue<TurnEvent>();
        short[] speech = SpokenAudio.concat(SpokenAudio.silence(LINE, 0.5), SpokenAudio.say("Can someone call me back?", LINE),
                SpokenAudio.silence(LINE, 4));
        var config = TurnConfig.DEFAULT.withQueueFrames(50);
        try (var detector = new TurnDetector(vad, recognizer, workers, config, events::add)) {
            long base = System.nanoTime();
            for (int at = 0; at + 160 <= speech.length; at += 160) {
                short[] frame = new short[160];
                System.arraycopy(speech, at, frame, 0, 160);
                detector.accept(frame, base + at / 160 * FRAME_NANOS);
                if (at == 100 * 160) {
                    Thread.sleep(500); // let the worker reach the speech and hang in the recogniser
                }
            }
            assertTrue(detector.droppedFrames() > 0, "overflow is dropped, not waited for");
            release.countDown();
            assertInstanceOf(SpeechStarted.class, events.poll(5, TimeUnit.SECONDS));
        }
    }

    private static void feed(TurnDetector detector, short[] pcm, long base) {
        for (int at = 0, i = 0; at + 160 <= pcm.length; at += 160, i++) {
            short[] frame = new short[160];
            System.arraycopy(pcm, at, frame, 0, 160);
            detector.accept(frame, base + i * FRAME_NANOS);
        }
    }

    private static List<TurnEvent> take(LinkedBlockingQueue<TurnEvent> events, int n) throws InterruptedException {
        List<TurnEvent> got = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TurnEvent e = events.poll(10, TimeUnit.SECONDS);
            assertNotNull(e, "event " + (i + 1) + " of " + n + " after " + got);
            got.add(e);
        }
        return got;
    }

    private static void assertNear(long base, int sample8k, long nanos, int toleranceMs) {
        long expected = base + sample8k * 1_000_000_000L / LINE;
        long offMs = (nanos - expected) / 1_000_000;
        assertTrue(Math.abs(offMs) <= toleranceMs, "off by " + offMs + " ms");
    }

    /** The recogniser got the whole utterance, with some quiet pre-roll in front of the words. */
    private static void assertCovers(short[] utterance8k, short[] captured16k) {
        double wordsSeconds = (SpokenAudio.lastLoud(utterance8k, LINE) - SpokenAudio.firstLoud(utterance8k, LINE)) / (double) LINE;
        double capturedSeconds = captured16k.length / 16000.0;
        double leadSeconds = SpokenAudio.firstLoud(captured16k, 16000) / 16000.0;
        double trailSeconds = (captured16k.length - SpokenAudio.lastLoud(captured16k, 16000)) / 16000.0;
        log.info("words {} s, captured {} s (quiet lead {} s, trail {} s)", wordsSeconds, capturedSeconds, leadSeconds, trailSeconds);
        assertTrue(leadSeconds >= 0.1 && leadSeconds <= 0.45, "pre-roll before the words: " + leadSeconds + " s");
        assertTrue(capturedSeconds - leadSeconds - trailSeconds >= wordsSeconds - 0.05, "all words captured");
        assertTrue(trailSeconds >= 0.3 && trailSeconds <= 0.8, "hangover after the words: " + trailSeconds + " s");
    }
}
