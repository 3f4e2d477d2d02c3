package dev.ringback.speech.asr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vosk.LibVosk;
import org.vosk.LogLevel;
import org.vosk.Model;
import org.vosk.Recognizer;

/**
 * Speech recognition with Vosk (Kaldi, native through JNA). The model is loaded once and shared;
 * each utterance gets its own Kaldi recogniser, fed on the caller's thread (a 20 ms chunk decodes in
 * about a millisecond). With the expectation's phrases the recogniser is restricted to those phrases plus
 * {@code [unk]}, so speech outside them comes out as unknown words (dropped) rather than as a
 * forced match.
 */
public final class VoskRecognizer implements SpeechRecognizer {

    /** Where the project's script puts the model, relative to the installation. */
    public static final String FETCH_SCRIPT = "models/fetch-vosk-model.sh";
    static final float SAMPLE_RATE = 16_000f;

    private static final Logger log = LoggerFactory.getLogger(VoskRecognizer.class);

    private final Path modelDir;
    private final Model model;

    private VoskRecognizer(Path modelDir, Model model) {
        this.modelDir = modelDir;
        this.model = model;
    }

    /**
     * Loads a Vosk model directory (for example {@code models/vosk-model-small-en-us-0.15}).
     *
     * @throws AsrUnavailableException when the directory is missing, is not a Vosk model, or the
     *                                 native library does not load
     */
    public static VoskRecognizer load(Path modelDir) {
        Path dir = modelDir.toAbsolutePath().normalize();
        if (!looksLikeModel(dir)) {
            throw new AsrUnavailableException("no Vosk model in " + dir + " (expected am/final.mdl and conf/model.conf;"
                    + " download one with " + FETCH_SCRIPT + ")");
        }
        loadNativeLibrary();
        long started = System.nanoTime();
        try {
            Model model = new Model(dir.toString());
            log.info("ASR vosk model {} loaded in {} ms", dir, (System.nanoTime() - started) / 1_000_000);
            return new VoskRecognizer(dir, model);
        } catch (IOException | RuntimeException e) {
            throw new AsrUnavailableException("Vosk could not load the model in " + dir
                    + " (corrupt or incomplete? fetch it again with " + FETCH_SCRIPT + "): " + e.getMessage(), e);
        }
    }

    /** True when the directory has the files of a Vosk (Kaldi nnet3) model. */
    public static boolean looksLikeModel(Path dir) {
        return Files.isRegularFile(dir.resolve("am/final.mdl")) && Files.isRegularFile(dir.resolve("conf/model.conf"));
    }

    /**
     * Loads libvosk (unpacked by JNA from the vosk jar) and lowers its log level.
     *
     * @throws AsrUnavailableException when the native library cannot be loaded on this machine
     */
    public static void loadNativeLibrary() {
        try {
            LibVosk.setLogLevel(LogLevel.WARNINGS);
        } catch (LinkageError e) {
            throw new AsrUnavailableException("the Vosk native library (libvosk via JNA) does not load here: " + e, e);
        }
    }

    @Override
    public String name() {
        return "vosk";
    }

    public Path modelDir() {
        return modelDir;
    }

    @Override
    public Recognition start(Expectation expectation) {
        List<String> phraseHints = expectation.phrases();
        try {
            Recognizer recognizer = phraseHints.isEmpty()
                    ? new Recognizer(model, SAMPLE_RATE)
                    : new Recognizer(model, SAMPLE_RATE, grammar(phraseHints));
            return new VoskRecognition(recognizer);
        } catch (IOException e) {
            throw new AsrUnavailableException("Vosk could not create a recogniser: " + e.getMessage(), e);
        }
    }

    /** The Vosk grammar: a JSON list of the normalised hint phrases and "[unk]" for anything else. */
    static String grammar(List<String> phraseHints) {
        Set<String> phrases = new LinkedHashSet<>();
        for (String hint : phraseHints) {
            String phrase = Words.normalize(hint);
            if (!phrase.isEmpty()) {
                phrases.add(phrase);
            }
        }
        phrases.add("[unk]");
        StringBuilder json = new StringBuilder("[");
        for (String phrase : phrases) {
            json.append(json.length() == 1 ? "" : ", ").append('"');
            // normalised phrases hold only letters, digits, apostrophes, spaces and the [unk] brackets
            json.append(phrase.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return json.append(']').toString();
    }

    @Override
    public void close() {
        model.close();
    }
}
