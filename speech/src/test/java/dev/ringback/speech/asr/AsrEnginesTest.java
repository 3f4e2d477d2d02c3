package dev.ringback.speech.asr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AsrEnginesTest {

    @Test
    void autoFallsBackToSphinx4WhenTheVoskModelDoesNotLoad(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("am"));
        Files.createDirectories(dir.resolve("conf"));
        Files.writeString(dir.resolve("am/final.mdl"), "truncated download");
        Files.writeString(dir.resolve("conf/model.conf"), "");
        try (SpeechRecognizer asr = AsrEngines.create("auto", Optional.of(dir), Sphinx4Recognizer.Settings.defaults().withDecoders(1))) {
            assertEquals("sphinx4", asr.name());
            assertEquals("", TelephoneSpeech.recognise(asr, new short[8_000], List.of()), "half a second of silence");
        }
    }

    @Test
    void anExplicitVoskEngineWithoutAModelIsAnError(@TempDir Path dir) {
        AsrUnavailableException e = assertThrows(AsrUnavailableException.class, () -> AsrEngines.create("vosk", Optional.of(dir)));
        assertTrue(e.getMessage().contains(dir.toAbsolutePath().toString()), e.getMessage());
    }

    @Test
    void anUnknownEngineNameIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AsrEngines.create("whisper", Optional.empty()));
        assertTrue(e.getMessage().contains("auto, vosk or sphinx4"), e.getMessage());
    }
}
