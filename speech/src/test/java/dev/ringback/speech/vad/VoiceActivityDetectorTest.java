package dev.ringback.speech.vad;

import dev.ringback.speech.testaudio.SpokenAudio;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VoiceActivityDetectorTest {

    private static final Logger log = LoggerFactory.getLogger(VoiceActivityDetectorTest.class);
    private static final int RATE = SileroVad.SAMPLE_RATE;
    private static final String SENTENCE = "Hi, could you send someone to fix the boiler on Tuesday morning?";

    private static SileroVad model;

    @BeforeAll
    static void loadModel() {
        model = SileroVad.load(modelPath());
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    static Path modelPath() {
        return Path.of(System.getProperty("ringback.root"), "models", "silero-vad", "silero_vad_v5.onnx");
    }

    @Test
    void paddedSentenceGivesOneStartAndOneEndAroundTheWords() {
        short[] speech = SpokenAudio.say(SENTENCE, RATE);
        short[] audio = SpokenAudio.concat(SpokenAudio.silence(RATE, 1), speech, SpokenAudio.silence(RATE, 1));
        int wordsStart = SpokenAudio.firstLoud(audio, RATE);
        int wordsEnd = SpokenAudio.lastLoud(audio, RATE);

        List<VadEvent> events = run(new VoiceActivityDetector(model.newStream(), VadConfig.DEFAULT), audio);

        log.info("words {}..{} ms, events {}", wordsStart / 16, wordsEnd / 16, events);
        assertEquals(2, events.size(), "events " + events);
        VadEvent.SpeechStart start = assertInstanceOf(VadEvent.SpeechStart.class, events.get(0));
        VadEvent.SpeechEnd end = assertInstanceOf(VadEvent.SpeechEnd.class, events.get(1));
        assertTrue(Math.abs(start.sample() - wordsStart) <= RATE * 0.15, "start " + start.sample() + " vs words at " + wordsStart);
        assertTrue(end.sample() >= wordsEnd - RATE * 0.2 && end.sample() <= wordsEnd + RATE * 0.25,
                "end " + end.sample() + " vs words ending at " + wordsEnd);
    }

    @Test
    void silenceNeverStartsSpeech() {
        assertEquals(List.of(), run(new VoiceActivityDetector(model.newStream(), VadConfig.DEFAULT), SpokenAudio.silence(RATE, 3)));
    }

    @Test
    void lowLineNoiseNeverStartsSpeech() {
        var detector = new VoiceActivityDetector(model.newStream(), VadConfig.DEFAULT);
        assertEquals(List.of(), run(detector, SpokenAudio.noise(RATE, 3, -55, 1)));
        assertEquals(List.of(), run(detector, SpokenAudio.noise(RATE, 3, -45, 2)));
    }

    @Test
    void streamsOnOneModelKeepTheirOwnState() {
        short[] speech = SpokenAudio.concat(SpokenAudio.silence(RATE, 0.5), SpokenAudio.say(SENTENCE, RATE), SpokenAudio.silence(RATE, 1));
        short[] quiet = SpokenAudio.silence(RATE, speech.length / (double) RATE);
        var talking = new VoiceActivityDetector(model.newStream(), VadConfig.DEFAULT);
        var listening = new VoiceActivityDetector(model.newStream(), VadConfig.DEFAULT);
        List<VadEvent> talkingEvents = new ArrayList<>(), listeningEvents = new ArrayList<>();
        float[] chunk = new float[SileroVad.CHUNK_SAMPLES];
        for (int at = 0; at + chunk.length <= speech.length; at += chunk.length) {
            talking.accept(scale(speech, at, chunk)).ifPresent(talkingEvents::add);
            listening.accept(scale(quiet, at, chunk)).ifPresent(listeningEvents::add);
        }
        assertEquals(2, talkingEvents.size(), "talking " + talkingEvents);
        assertEquals(List.of(), listeningEvents);
    }

    @Test
    void longerHangoverBridgesAShortPause() {
        short[] word = SpokenAudio.say("Yes, that works for me.", RATE);
        short[] audio = SpokenAudio.concat(SpokenAudio.silence(RATE, 0.5), word, SpokenAudio.silence(RATE, 0.4), word,
                SpokenAudio.silence(RATE, 1.5));

        long shortHangover = run(new VoiceActivityDetector(model.newStream(), VadConfig.DEFAULT.withHangoverMs(200)), audio)
                .stream().filter(e -> e instanceof VadEvent.SpeechStart).count();
        long longHangover = run(new VoiceActivityDetector(model.newStream(), VadConfig.DEFAULT.withHangoverMs(1000)), audio)
                .stream().filter(e -> e instanceof VadEvent.SpeechStart).count();

        assertEquals(2, shortHangover);
        assertEquals(1, longHangover);
    }

    @Test
    void wrongChunkSizeIsRefused() {
        VadStream stream = model.newStream();
        assertThrows(IllegalArgumentException.class, () -> stream.accept(new float[160]));
    }

    @Test
    void perChunkCostIsLogged() {
        short[] audio = SpokenAudio.say(SENTENCE, RATE);
        VadStream stream = model.newStream();
        float[] chunk = new float[SileroVad.CHUNK_SAMPLES];
        int chunks = 0;
        float maxProbability = 0;
        long t0 = System.nanoTime();
        for (int round = 0; round < 3; round++) {
            for (int at = 0; at + chunk.length <= audio.length; at += chunk.length) {
                maxProbability = Math.max(maxProbability, stream.accept(scale(audio, at, chunk)));
                chunks++;
            }
        }
        long perChunkMicros = (System.nanoTime() - t0) / 1000 / chunks;
        log.info("Silero VAD: {} chunks, {} µs per 32 ms chunk (one thread)", chunks, perChunkMicros);
        assertTrue(maxProbability > 0.9, "speech is recognised as speech, max p " + maxProbability);
    }

    static List<VadEvent> run(VoiceActivityDetector detector, short[] pcm16k) {
        List<VadEvent> events = new ArrayList<>();
        float[] chunk = new float[SileroVad.CHUNK_SAMPLES];
        for (int at = 0; at + chunk.length <= pcm16k.length; at += chunk.length) {
            detector.accept(scale(pcm16k, at, chunk)).ifPresent(events::add);
        }
        return events;
    }

    private static float[] scale(short[] pcm, int at, float[] chunk) {
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = pcm[at + i] / 32768f;
        }
        return chunk;
    }
}
