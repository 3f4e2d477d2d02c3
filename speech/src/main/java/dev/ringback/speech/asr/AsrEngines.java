package dev.ringback.speech.asr;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses and starts the speech recogniser named by configuration ({@code asr.engine}). */
public final class AsrEngines {

    private static final Logger log = LoggerFactory.getLogger(AsrEngines.class);

    private AsrEngines() {
    }

    /**
     * Starts a recogniser.
     *
     * @param engine        {@code auto} (Vosk when a model is installed in {@code voskModelDir}, else Sphinx4),
     *                      {@code vosk} (fails when the model is missing) or {@code sphinx4}
     * @param voskModelDir  the Vosk model directory, if one is configured
     * @throws AsrUnavailableException when the chosen engine cannot start
     * @throws IllegalArgumentException for an unknown engine name
     */
    public static SpeechRecognizer create(String engine, Optional<Path> voskModelDir) {
        return create(engine, voskModelDir, Sphinx4Recognizer.Settings.defaults());
    }

    /** As {@link #create(String, Optional)}, with the settings Sphinx4 starts with when it is chosen. */
    public static SpeechRecognizer create(String engine, Optional<Path> voskModelDir, Sphinx4Recognizer.Settings sphinx4) {
        String name = engine == null ? "auto" : engine.strip().toLowerCase(Locale.ROOT);
        switch (name) {
            case "vosk": {
                Path dir = voskModelDir.orElseThrow(() -> new AsrUnavailableException(
                        "asr.engine is vosk but no Vosk model directory is configured (download one with "
                                + VoskRecognizer.FETCH_SCRIPT + ")"));
                log.info("ASR engine vosk (configured), model {}", dir);
                return VoskRecognizer.load(dir);
            }
            case "sphinx4":
                log.info("ASR engine sphinx4 (configured)");
                return Sphinx4Recognizer.create(sphinx4);
            case "auto":
                return auto(voskModelDir, sphinx4);
            default:
                throw new IllegalArgumentException("unknown ASR engine '" + engine + "': use auto, vosk or sphinx4");
        }
    }

    private static SpeechRecognizer auto(Optional<Path> voskModelDir, Sphinx4Recognizer.Settings sphinx4) {
        if (voskModelDir.isEmpty()) {
            log.info("ASR engine sphinx4 (auto: no Vosk model directory configured)");
            return Sphinx4Recognizer.create(sphinx4);
        }
        Path dir = voskModelDir.get();
        if (!VoskRecognizer.looksLikeModel(dir)) {
            log.info("ASR engine sphinx4 (auto: no Vosk model in {}; {} installs one)", dir.toAbsolutePath(), VoskRecognizer.FETCH_SCRIPT);
            return Sphinx4Recognizer.create(sphinx4);
        }
        try {
            SpeechRecognizer vosk = VoskRecognizer.load(dir);
            log.info("ASR engine vosk (auto: model found in {})", dir.toAbsolutePath());
            return vosk;
        } catch (AsrUnavailableException e) {
            log.warn("ASR engine sphinx4 (auto: Vosk model in {} did not load: {})", dir.toAbsolutePath(), e.getMessage());
            return Sphinx4Recognizer.create(sphinx4);
        }
    }
}
