package dev.ringback.speech.asr;

import dev.ringback.speech.asr.pocketsphinx.PocketSphinxRecognizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Chooses and starts the speech recogniser named by configuration ({@code asr.engine}) and says which
 * and why in one log line: the start-up banner repeats it.
 */
public final class AsrEngines {

    private static final Logger log = LoggerFactory.getLogger(AsrEngines.class);

    /** What the server asks for, and the settings each engine starts with when it is the one chosen. */
    public record Request(String engine, Optional<Path> voskModelDir, PocketSphinxRecognizer.Settings pocketsphinx,
                          Sphinx4Recognizer.Settings sphinx4) {}

    /** The engine that started and why it was chosen (for the banner). */
    public record Started(SpeechRecognizer recognizer, String reason) {}

    private AsrEngines() {
    }

    /**
     * Starts a recogniser.
     *
     * <p>{@code auto}: Vosk when a model is installed in {@code voskModelDir}, else PocketSphinx when Debian's
     * library and model are installed, else Sphinx4 (pure Java, several times the CPU). {@code vosk},
     * {@code pocketsphinx} and {@code sphinx4} fail when that engine cannot start.
     *
     * @throws AsrUnavailableException when the chosen engine cannot start
     * @throws IllegalArgumentException for an unknown engine name
     */
    public static Started create(Request request) {
        String name = request.engine() == null ? "auto" : request.engine().strip().toLowerCase(Locale.ROOT);
        Started started = switch (name) {
            case "vosk" -> {
                Path dir = request.voskModelDir().orElseThrow(() -> new AsrUnavailableException(
                        "asr.engine is vosk but no Vosk model directory is configured (download one with "
                                + VoskRecognizer.FETCH_SCRIPT + ")"));
                yield new Started(VoskRecognizer.load(dir), "configured, model " + dir);
            }
            case "pocketsphinx" -> new Started(PocketSphinxRecognizer.create(request.pocketsphinx()), "configured");
            case "sphinx4" -> new Started(Sphinx4Recognizer.create(request.sphinx4()), "configured");
            case "auto" -> auto(request);
            default -> throw new IllegalArgumentException("unknown ASR engine '" + request.engine()
                    + "': use auto, vosk, pocketsphinx or sphinx4");
        };
        log.info("ASR engine {} ({})", started.recognizer().name(), started.reason());
        return started;
    }

    private static Started auto(Request request) {
        String why = "auto: no Vosk model directory configured";
        if (request.voskModelDir().isPresent()) {
            Path dir = request.voskModelDir().get();
            if (!VoskRecognizer.looksLikeModel(dir)) {
                why = "auto: no Vosk model in " + dir.toAbsolutePath() + "; " + VoskRecognizer.FETCH_SCRIPT + " installs one";
            } else {
                try {
                    return new Started(VoskRecognizer.load(dir), "auto: Vosk model found in " + dir.toAbsolutePath());
                } catch (AsrUnavailableException e) {
                    why = "auto: the Vosk model in " + dir.toAbsolutePath() + " did not load: " + e.getMessage();
                }
            }
        }
        Path psModel = request.pocketsphinx().modelDir();
        if (PocketSphinxRecognizer.available(psModel)) {
            try {
                return new Started(PocketSphinxRecognizer.create(request.pocketsphinx()), why + "; PocketSphinx installed");
            } catch (AsrUnavailableException e) {
                why += "; PocketSphinx did not start: " + e.getMessage();
                log.warn("ASR: PocketSphinx is installed but did not start ({}); falling back to Sphinx4", e.getMessage());
            }
        } else {
            why += "; PocketSphinx not installed (" + PocketSphinxRecognizer.INSTALL_HINT + " for a recogniser several times cheaper)";
            log.warn("ASR: PocketSphinx is not installed, so the pure-Java Sphinx4 recogniser runs instead, at several times the CPU "
                    + "per call. For the faster engine: {}", PocketSphinxRecognizer.INSTALL_HINT);
        }
        return new Started(Sphinx4Recognizer.create(request.sphinx4()), why + "; Sphinx4 (pure Java)");
    }
}
