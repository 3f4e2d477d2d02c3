package dev.ringback.speech.tts;

import dev.ringback.speech.audio.Levels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MaryTextToSpeechTest {

    private static final Logger log = LoggerFactory.getLogger(MaryTextToSpeechTest.class);
    private static final int RATE = MaryTextToSpeech.LINE_RATE;

    private static MaryTextToSpeech tts;

    @BeforeAll
    static void start() {
        long t0 = System.nanoTime();
        tts = MaryTextToSpeech.start(new TtsConfig("cmu-slt-hsmm", 2, 8, -18, -1));
        log.info("MaryTTS started and warmed in {} ms", (System.nanoTime() - t0) / 1_000_000);
    }

    @AfterAll
    static void stop() {
        tts.close();
    }

    @Test
    void tenWordSentenceIsPlausibleLevelledPhoneAudio() {
        short[] pcm = tts.synthesise("Your plumber will arrive on Tuesday between eight and ten.");

        double seconds = pcm.length / (double) RATE;
        double active = Levels.activeRmsDbfs(pcm, RATE);
        double peak = Levels.peakDbfs(pcm);
        log.info("sentence: {} s, active level {} dBFS, peak {} dBFS", seconds, active, peak);
        assertTrue(seconds > 1.5 && seconds < 6, "duration " + seconds + " s");
        assertTrue(Math.abs(active - (-18)) < 3, "active level " + active + " dBFS near -18");
        assertTrue(peak <= -1 + 0.01, "peak " + peak + " dBFS under the -1 dBFS ceiling");
    }

    @Test
    void chunksFlowBeforeTheSentenceIsDone() {
        String sentence = "I can take a message and the manager will call you back this afternoon.";
        List<short[]> chunks = new ArrayList<>();
        List<Long> at = new ArrayList<>();
        long t0 = System.nanoTime();
        tts.stream(sentence, pcm -> {
            chunks.add(pcm);
            at.add(System.nanoTime());
        });
        long done = System.nanoTime();

        int total = chunks.stream().mapToInt(c -> c.length).sum();
        log.info("stream: first chunk after {} ms ({} samples), whole sentence {} ms for {} s of audio, {} chunks",
                (at.get(0) - t0) / 1_000_000, chunks.get(0).length, (done - t0) / 1_000_000, total / (double) RATE, chunks.size());
        assertTrue(chunks.size() > 3, "delivered in pieces, got " + chunks.size());
        assertTrue(chunks.get(0).length < total / 3, "the first chunk is a small part of the sentence");
    }

    @Test
    void repeatedSentenceComesFromTheCacheUnchanged() {
        String sentence = "This call is recorded for quality.";
        short[] first = tts.synthesise(sentence);
        List<short[]> again = new ArrayList<>();
        tts.stream(sentence, again::add);

        assertEquals(1, again.size(), "one cached chunk");
        assertArrayEquals(first, again.get(0));
    }

    @Test
    void twoCallsCanSpeakAtOnce() {
        var a = CompletableFuture.supplyAsync(() -> tts.synthesise("Good morning, this is the front desk."));
        var b = CompletableFuture.supplyAsync(() -> tts.synthesise("Please hold while I check the calendar."));

        for (short[] pcm : List.of(a.join(), b.join())) {
            double seconds = pcm.length / (double) RATE;
            assertTrue(seconds > 1 && seconds < 5, "duration " + seconds);
            assertTrue(Levels.activeRmsDbfs(pcm, RATE) > -24);
        }
    }

    @Test
    void blankSentenceSaysNothing() {
        List<short[]> chunks = new ArrayList<>();
        tts.stream("   ", chunks::add);
        assertEquals(List.of(), chunks);
    }

    @Test
    void markupAndSymbolsAreSpokenNotRejected() {
        short[] pcm = tts.synthesise("R&D costs <50% of $1,000 & \"that's\" fine.");
        assertTrue(pcm.length > RATE, "some speech came out: " + pcm.length + " samples");
    }

    @Test
    void listenerFailureStopsTheSentenceAndLeavesTheEngineUsable() {
        var bargeIn = new IllegalStateException("caller barged in");
        var thrown = assertThrows(IllegalStateException.class,
                () -> tts.stream("We have openings on Monday, Wednesday and Friday afternoons.", pcm -> { throw bargeIn; }));
        assertEquals(bargeIn, thrown);

        for (int i = 0; i < 3; i++) { // more than the pool size: interfaces were returned
            assertTrue(tts.synthesise("Still here " + i + ".").length > RATE / 2);
        }
    }
}
