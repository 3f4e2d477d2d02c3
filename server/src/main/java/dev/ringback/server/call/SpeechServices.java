package dev.ringback.server.call;

import dev.ringback.server.config.RingbackConfig.SpeechConfig;
import dev.ringback.speech.asr.AsrEngines;
import dev.ringback.speech.asr.SpeechRecognizer;
import dev.ringback.speech.asr.Sphinx4Recognizer;
import dev.ringback.speech.asr.pocketsphinx.PocketSphinxRecognizer;
import dev.ringback.speech.tts.MaryTextToSpeech;
import dev.ringback.speech.tts.TextToSpeech;
import dev.ringback.speech.turn.SpeechWorkers;
import dev.ringback.speech.turn.TurnConfig;
import dev.ringback.speech.turn.TurnDetector;
import dev.ringback.speech.turn.TurnEvent;
import dev.ringback.speech.vad.SileroVad;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.function.Consumer;

/** The loaded speech models and their worker pool, shared by every call. */
public final class SpeechServices implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SpeechServices.class);

    public record LoadTimes(long ttsMs, long asrMs, long vadMs) {}


    private final TextToSpeech tts;
    private final SpeechRecognizer asr;
    private final SileroVad vad;
    private final SpeechWorkers workers;
    private final TurnConfig turnConfig;
    private final LoadTimes loadTimes;
    private final String asrReason;

    private SpeechServices(TextToSpeech tts, SpeechRecognizer asr, String asrReason, SileroVad vad, SpeechWorkers workers,
                           TurnConfig turnConfig, LoadTimes loadTimes) {
        this.asrReason = asrReason;
        this.tts = tts;
        this.asr = asr;
        this.vad = vad;
        this.workers = workers;
        this.turnConfig = turnConfig;
        this.loadTimes = loadTimes;
    }

    /** Loads TTS (warmed), ASR and VAD; logs how long each took. */
    public static SpeechServices start(SpeechConfig config) {
        long t0 = System.nanoTime();
        TextToSpeech tts = MaryTextToSpeech.start();
        long t1 = System.nanoTime();
        AsrEngines.Started started = AsrEngines.create(new AsrEngines.Request(config.asrEngine(), Optional.of(config.voskModel()),
                PocketSphinxRecognizer.Settings.defaults(config.asrDecoders()).withModelDir(config.pocketsphinxModel()),
                Sphinx4Recognizer.Settings.defaults()));
        SpeechRecognizer asr = started.recognizer();
        long t2 = System.nanoTime();
        SileroVad vad = SileroVad.load(config.vadModel());
        long t3 = System.nanoTime();
        var times = new LoadTimes((t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000);
        log.info("speech ready: TTS MaryTTS {} ms, ASR {} {} ms, VAD Silero {} ms",
                times.ttsMs(), asr.name(), times.asrMs(), times.vadMs());
        TurnConfig turns = TurnConfig.DEFAULT.withHangoverMs((int) config.vadHangover().toMillis());
        return new SpeechServices(tts, asr, started.reason(), vad, SpeechWorkers.sizedToCores(), turns, times);
    }

    public TextToSpeech tts() {
        return tts;
    }

    public String asrName() {
        return asr.name();
    }

    /** Why this recogniser runs (the configuration, or what auto found). */
    public String asrReason() {
        return asrReason;
    }

    public LoadTimes loadTimes() {
        return loadTimes;
    }

    /** One per call: VAD state, ASR recognitions and turn events for that call. */
    public TurnDetector newTurnDetector(Consumer<TurnEvent> listener) {
        return new TurnDetector(vad, asr, workers, turnConfig, listener::accept);
    }

    @Override
    public void close() {
        workers.close();
        vad.close();
        asr.close();
        tts.close();
    }
}
