package dev.ringback.speech.asr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import dev.ringback.speech.asr.pocketsphinx.PocketSphinxRecognizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AsrEnginesTest {

    static AsrEngines.Request request(String engine, Optional<Path> vosk) {
        return request(engine, vosk, PocketSphinxRecognizer.Settings.defaults(1));
    }

    static AsrEngines.Request request(String engine, Optional<Path> vosk, PocketSphinxRecognizer.Settings pocketsphinx) {
        return new AsrEngines.Request(engine, vosk, pocketsphinx, Sphinx4Recognizer.Settings.defaults().withDecoders(1));
    }

    @Test
    void autoTakesPocketSphinxWhenTheVoskModelDoesNotLoad(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("am"));
        Files.createDirectories(dir.resolve("conf"));
        Files.writeString(dir.resolve("am/final.mdl"), "truncated download");
        Files.writeString(dir.resolve("conf/model.conf"), "");
        AsrEngines.Started started = AsrEngines.create(request("auto", Optional.of(dir)));
        try (SpeechRecognizer asr = started.recognizer()) {
            assertEquals("pocketsphinx", asr.name());
            assertTrue(started.reason().contains("did not load"), started.reason());
            assertEquals("", TelephoneSpeech.recognise(asr, new short[8_000], Expectation.OPEN), "half a second of silence");
        }
    }

    @Test
    void autoFallsBackToSphinx4AndSaysWhyWhenPocketSphinxIsMissing(@TempDir Path dir) {
        PocketSphinxRecognizer.Settings noModel = PocketSphinxRecognizer.Settings.defaults(1).withModelDir(dir.resolve("no-model"));
        AsrEngines.Started started = AsrEngines.create(request("auto", Optional.empty(), noModel));
        try (SpeechRecognizer asr = started.recognizer()) {
            assertEquals("sphinx4", asr.name());
            assertTrue(started.reason().contains("apt-get install libpocketsphinx3"), started.reason());
        }
    }

    @Test
    void anExplicitPocketSphinxEngineWithoutItsModelIsAClearError(@TempDir Path dir) {
        PocketSphinxRecognizer.Settings noModel = PocketSphinxRecognizer.Settings.defaults(1).withModelDir(dir.resolve("no-model"));
        AsrUnavailableException e = assertThrows(AsrUnavailableException.class,
                () -> AsrEngines.create(request("pocketsphinx", Optional.empty(), noModel)));
        assertTrue(e.getMessage().contains("no-model") && e.getMessage().contains("apt-get install"), e.getMessage());
    }

    @Test
    void anExplicitVoskEngineWithoutAModelIsAnError(@TempDir Path dir) {
        AsrUnavailableException e = assertThrows(AsrUnavailableException.class, () -> AsrEngines.create(request("vosk", Optional.of(dir))));
        assertTrue(e.getMessage().contains(dir.toAbsolutePath().toString()), e.getMessage());
    }

    @Test
    void anUnknownEngineNameIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AsrEngines.create(request("whisper", Optional.empty())));
        assertTrue(e.getMessage().contains("auto, vosk, pocketsphinx or sphinx4"), e.getMessage());
    }
}
