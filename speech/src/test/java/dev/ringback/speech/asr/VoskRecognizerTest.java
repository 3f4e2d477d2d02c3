package dev.ringback.speech.asr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ringback.speech.asr.TelephoneSpeech.Line;
import dev.ringback.speech.asr.TelephoneSpeech.Voice;

class VoskRecognizerTest {

    @Test
    void theNativeLibraryLoads() {
        VoskRecognizer.loadNativeLibrary();
    }

    @Test
    void aMissingModelDirectoryIsNamedWithTheFetchScript(@TempDir Path dir) {
        Path missing = dir.resolve("vosk-model-small-en-us-0.15");
        AsrUnavailableException e = assertThrows(AsrUnavailableException.class, () -> VoskRecognizer.load(missing));
        assertTrue(e.getMessage().contains(missing.toAbsolutePath().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("models/fetch-vosk-model.sh"), e.getMessage());
    }

    @Test
    void aCorruptModelIsReportedNotCrashed(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("am"));
        Files.createDirectories(dir.resolve("conf"));
        Files.writeString(dir.resolve("am/final.mdl"), "not a kaldi model");
        Files.writeString(dir.resolve("conf/model.conf"), "");
        AsrUnavailableException e = assertThrows(AsrUnavailableException.class, () -> VoskRecognizer.load(dir));
        assertTrue(e.getMessage().contains(dir.toAbsolutePath().toString()), e.getMessage());
    }

    @Test
    void askingForVoskWithoutAModelFailsClearly() {
        AsrUnavailableException e = assertThrows(AsrUnavailableException.class, () -> AsrEngines.create(AsrEnginesTest.request("vosk", Optional.empty())));
        assertTrue(e.getMessage().contains("fetch-vosk-model.sh"), e.getMessage());
    }

    @Test
    void hintsBecomeAGrammarWithAnUnknownWordEscape() {
        assertEquals("[\"yes\", \"no that's everything\", \"[unk]\"]",
                VoskRecognizer.grammar(List.of("Yes!", "No, that's everything.", "yes", " ")));
    }

    @Test
    void resultFieldsAreReadFromVoskJson() {
        assertEquals("yes please", VoskJson.stringField("{\n  \"text\" : \"yes please\"\n}", "text"));
        assertEquals("it's \"ok\"", VoskJson.stringField("{\"partial\" : \"it's \\\"ok\\\"\"}", "partial"));
        assertEquals("", VoskJson.stringField("{\"partial\" : \"x\"}", "text"));
    }

    /** Runs only where a Vosk model is installed (no model can be downloaded on the build machines). */
    @Test
    void scenarioLinesAreRecognisedWithAnInstalledModel() throws Exception {
        Path model = installedModel();
        assumeTrue(VoskRecognizer.looksLikeModel(model),
                "no Vosk model at " + model + ": run models/fetch-vosk-model.sh or pass -Dringback.vosk.model=DIR");
        assumeTrue(TelephoneSpeech.toolsInstalled(), "flite, espeak-ng and sox are needed to make test speech");
        TelephoneSpeech speech = new TelephoneSpeech(Path.of("asr-audio"));
        try (VoskRecognizer vosk = VoskRecognizer.load(model)) {
            List<String> misses = new ArrayList<>();
            for (Line line : TelephoneSpeech.scenarioLines()) {
                String heard = TelephoneSpeech.recognise(vosk, speech.say(Voice.FLITE_RMS, line.text()), Expectation.OPEN);
                for (String key : line.keyWords()) {
                    if (!Words.of(heard).contains(key)) {
                        misses.add("\"" + line.text() + "\" heard as \"" + heard + "\" (missing " + key + ")");
                    }
                }
            }
            assertTrue(misses.isEmpty(), String.join("\n", misses));
            String yes = TelephoneSpeech.recognise(vosk, speech.say(Voice.FLITE_RMS, "Yes, that works."),
                    new Expectation(Expectation.Kind.YES_NO, List.of("yes that works", "no")));
            assertEquals("yes that works", yes);
        }
    }

    private static Path installedModel() {
        String configured = System.getProperty("ringback.vosk.model");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("ringback.root", ".."), "models", "vosk-model-small-en-us-0.15");
    }
}
