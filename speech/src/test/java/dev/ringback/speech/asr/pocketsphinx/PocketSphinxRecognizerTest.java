package dev.ringback.speech.asr.pocketsphinx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.ringback.speech.asr.AsrUnavailableException;
import dev.ringback.speech.asr.Expectation;
import dev.ringback.speech.asr.Recognition;
import dev.ringback.speech.asr.RecognitionChannel;
import dev.ringback.speech.asr.TelephoneSpeech;
import dev.ringback.speech.asr.TelephoneSpeech.Line;
import dev.ringback.speech.asr.TelephoneSpeech.Voice;
import dev.ringback.speech.asr.Transcript;
import dev.ringback.speech.asr.Words;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Debian's PocketSphinx through JNA, on scenario lines spoken by flite's rms voice through the telephone path. */
class PocketSphinxRecognizerTest {

    private static final int DECODERS = 4;
    private static PocketSphinxRecognizer recognizer;
    private static TelephoneSpeech speech;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(TelephoneSpeech.toolsInstalled(), "flite, espeak-ng and sox are needed to make test speech");
        speech = new TelephoneSpeech(Path.of("asr-audio"));
        recognizer = PocketSphinxRecognizer.create(PocketSphinxRecognizer.Settings.defaults(DECODERS));
    }

    @AfterAll
    static void stop() {
        if (recognizer != null) recognizer.close();
    }

    private static Transcript hear(RecognitionChannel channel, Expectation expectation, String text) throws Exception {
        Recognition r = channel.start(expectation);
        TelephoneSpeech.feed(r, speech.say(Voice.FLITE_RMS, text));
        return r.finish();
    }

    @Test
    void everyScenarioLineYieldsItsKeyWordsListeningForWhatTheAgentAsked() throws Exception {
        List<String> misses = new ArrayList<>();
        for (Line line : TelephoneSpeech.scenarioLines()) {
            // each line a new call: its first utterance, from the telephone estimate
            Transcript heard = hear(recognizer.newChannel(), Expectation.of(line.expectation()), line.text());
            for (String key : line.keyWords()) {
                if (!Words.of(heard.text()).contains(key)) {
                    misses.add(line.scenario() + " " + line.expectation() + ": \"" + line.text() + "\" heard as \"" + heard.text() + "\" (missing " + key + ")");
                }
            }
        }
        assertTrue(misses.size() <= 2, misses.size() + " lines lost a key word:\n" + String.join("\n", misses));
    }

    @Test
    void aCallsFirstWordsAreHeardOnADecoderThatHasHeardNothingBefore() throws Exception {
        // the trap: a fresh decoder's cepstral mean is the wide-band model's, and the first utterance came out as
        // "what do you and come want one you"; every call now starts from the telephone estimate
        try (PocketSphinxRecognizer fresh = PocketSphinxRecognizer.create(PocketSphinxRecognizer.Settings.defaults(1))) {
            Recognition r = fresh.newChannel().start(Expectation.OPEN);
            TelephoneSpeech.feed(r, speech.say(Voice.FLITE_RMS, "Hi, yes. Could someone come out on Thursday morning?"));
            String heard = r.finish().text();
            assertTrue(Words.of(heard).containsAll(List.of("someone", "come", "thursday", "morning")), heard);
        }
    }

    @Test
    void oneDecoderSwitchesSearchBetweenUtterances() throws Exception {
        try (PocketSphinxRecognizer one = PocketSphinxRecognizer.create(PocketSphinxRecognizer.Settings.defaults(1))) {
            RecognitionChannel call = one.newChannel();
            List<String> heard = new ArrayList<>();
            for (Expectation.Kind kind : List.of(Expectation.Kind.YES_NO, Expectation.Kind.WHEN, Expectation.Kind.OPEN, Expectation.Kind.YES_NO)) {
                String text = switch (kind) {
                    case YES_NO -> "Yes, that works.";
                    case WHEN -> "Monday morning would be good.";
                    default -> "Can someone come tomorrow?";
                };
                Recognition r = call.start(Expectation.of(kind));
                TelephoneSpeech.feed(r, speech.say(Voice.FLITE_RMS, text));
                heard.add(r.finish().text());
            }
            assertEquals(1, one.decoders());
            assertEquals("yes that works", heard.get(0));
            assertTrue(heard.get(1).contains("monday morning"), heard.get(1));
            assertTrue(heard.get(2).contains("tomorrow"), heard.get(2));
            assertEquals("yes that works", heard.get(3));
        }
    }

    @Test
    void theResultCarriesAlternativesAndConfidenceBestFirst() throws Exception {
        Transcript t = hear(recognizer.newChannel(), Expectation.OPEN, "Can you call me back at three?");
        assertTrue(t.confidence().isPresent(), "an utterance confidence");
        double c = t.confidence().getAsDouble();
        assertTrue(c > 0 && c <= 1, "confidence in (0, 1]: " + c);
        assertFalse(t.words().isEmpty());
        t.words().forEach(w -> assertTrue(w.confidence() >= 0 && w.confidence() <= 1, w.toString()));
        assertEquals(String.join(" ", t.words().stream().map(Transcript.Word::text).toList()), t.text(), "words spell the best hypothesis");
        assertTrue(t.alternatives().size() >= 3, "N-best: " + t.alternatives());
        assertEquals(t.text(), t.alternatives().get(0).text(), "the best hypothesis leads the list");
        assertEquals(t.alternatives().size(), t.alternatives().stream().map(Transcript.Hypothesis::text).distinct().count(), "no duplicates");
        for (int i = 1; i < t.alternatives().size(); i++) {
            assertTrue(t.alternatives().get(i).score() <= 0, "runners-up score at most the best: " + t.alternatives());
        }
    }

    @Test
    void silenceIsHeardAsNothing() {
        Recognition r = recognizer.start(Expectation.OPEN);
        TelephoneSpeech.feed(r, new short[16_000 * 2]);
        assertEquals(Transcript.EMPTY, r.finish());
    }

    @Test
    void partialsGrowWhileTheCallerIsStillTalking() throws Exception {
        short[] audio = speech.say(Voice.FLITE_RMS, "Hi, yes. Could someone come out on Thursday morning?");
        Recognition r = recognizer.start(Expectation.OPEN);
        TelephoneSpeech.feed(r, java.util.Arrays.copyOf(audio, audio.length * 2 / 3));
        String partial = r.partial();
        assertFalse(partial.isEmpty(), "no partial before the end");
        TelephoneSpeech.feed(r, java.util.Arrays.copyOfRange(audio, audio.length * 2 / 3, audio.length));
        assertTrue(r.finish().text().contains("thursday"));
    }

    @Test
    void twentyCallsAtOnceOnFourDecodersEachHearTheirOwnWords() throws Exception {
        String[] texts = {"Yes, cancel it please.", "Monday morning would be good.", "Can someone come tomorrow?", "The kitchen tap is dripping.",
                "Friday afternoon please.", "No thanks, bye.", "The toilet is blocked.", "Can you call me back at four?",
                "There's no hot water.", "I need the invoice for my landlord."};
        String[] keys = {"cancel", "monday", "tomorrow", "tap", "friday", "bye", "toilet", "four", "water", "invoice"};
        Expectation.Kind[] kinds = {Expectation.Kind.YES_NO, Expectation.Kind.WHEN, Expectation.Kind.OPEN, Expectation.Kind.OPEN,
                Expectation.Kind.WHEN, Expectation.Kind.ANYTHING_ELSE, Expectation.Kind.OPEN, Expectation.Kind.OPEN, Expectation.Kind.OPEN,
                Expectation.Kind.OPEN};
        ExecutorService calls = Executors.newFixedThreadPool(20);
        try {
            List<Future<String>> heard = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int n = i % texts.length;
                short[] audio = speech.say(Voice.FLITE_RMS, texts[n]);
                heard.add(calls.submit(() -> {
                    Recognition r = recognizer.newChannel().start(Expectation.of(kinds[n]));
                    // at the line's pace: every utterance is open at once, more than there are decoders
                    for (int at = 0; at < audio.length; at += 320) {
                        r.accept(audio, at, Math.min(320, audio.length - at));
                        Thread.sleep(2);
                    }
                    return r.finish().text();
                }));
            }
            for (int i = 0; i < 20; i++) {
                String text = heard.get(i).get();
                assertTrue(Words.of(text).contains(keys[i % texts.length]), texts[i % texts.length] + " heard as " + text);
            }
        } finally {
            calls.shutdownNow();
        }
        assertTrue(recognizer.waitedForDecoder() > 0, "some utterances waited for a decoder");
        assertEquals(DECODERS, recognizer.idleDecoders(), "every decoder is back in the pool");
    }

    @Test
    void aMissingLibraryIsAClearError() {
        AsrUnavailableException e = assertThrows(AsrUnavailableException.class,
                () -> PocketSphinxNative.load("libsphinxbase-not-here.so.3", "libpocketsphinx-not-here.so.3"));
        assertTrue(e.getMessage().contains("apt-get install libpocketsphinx3 pocketsphinx-en-us"), e.getMessage());
    }
}
