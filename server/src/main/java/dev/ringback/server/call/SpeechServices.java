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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
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

    /**
     * Loads TTS (warmed), ASR and VAD side by side (each is mostly one thread's work, and MaryTTS alone takes
     * longer than the other two together); logs how long each took. Fails as the first part that failed, after
     * closing the parts that loaded.
     */
    public static SpeechServices start(SpeechConfig config) {
        long t0 = System.nanoTime();
        ExecutorService loaders = Executors.newFixedThreadPool(3, r -> {
            Thread t = new Thread(r, "speech-load");
            t.setDaemon(true);
            return t;
        });
        try {
            CompletableFuture<Timed<TextToSpeech>> tts = CompletableFuture.supplyAsync(() -> Timed.of(MaryTextToSpeech::start), loaders);
            CompletableFuture<Timed<AsrEngines.Started>> asr = CompletableFuture.supplyAsync(() -> Timed.of(() -> AsrEngines.create(
                    new AsrEngines.Request(config.asrEngine(), Optional.of(config.voskModel()),
                            PocketSphinxRecognizer.Settings.defaults(config.asrDecoders()).withModelDir(config.pocketsphinxModel()),
                            Sphinx4Recognizer.Settings.defaults()))), loaders);
            CompletableFuture<Timed<SileroVad>> vad = CompletableFuture.supplyAsync(() -> Timed.of(() -> SileroVad.load(config.vadModel())), loaders);
            try {
                CompletableFuture.allOf(tts, asr, vad).join();
            } catch (CompletionException e) {
                closeLoaded(tts, t -> t.value().close());
                closeLoaded(asr, a -> a.value().recognizer().close());
                closeLoaded(vad, v -> v.value().close());
                if (e.getCause() instanceof RuntimeException r) throw r;
                throw e;
            }
            var times = new LoadTimes(tts.join().ms(), asr.join().ms(), vad.join().ms());
            log.info("speech ready in {} ms: TTS MaryTTS {} ms, ASR {} {} ms, VAD Silero {} ms (loaded side by side)", (System.nanoTime() - t0) / 1_000_000,
                    times.ttsMs(), asr.join().value().recognizer().name(), times.asrMs(), times.vadMs());
            TurnConfig turns = TurnConfig.DEFAULT.withHangoverMs((int) config.vadHangover().toMillis());
            return new SpeechServices(tts.join().value(), asr.join().value().recognizer(), asr.join().value().reason(), vad.join().value(),
                    SpeechWorkers.sizedToCores(), turns, times);
        } finally {
            loaders.shutdown();
        }
    }

    private record Timed<T>(T value, long ms) {
        static <T> Timed<T> of(Supplier<T> load) {
            long t0 = System.nanoTime();
            T value = load.get();
            return new Timed<>(value, (System.nanoTime() - t0) / 1_000_000);
        }
    }

    private static <T> void closeLoaded(CompletableFuture<T> part, Consumer<T> close) {
        if (!part.isDone() || part.isCompletedExceptionally()) return;
        try {
            close.accept(part.join());
        } catch (RuntimeException e) {
            log.debug("closing a speech part after a failed start", e);
        }
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
