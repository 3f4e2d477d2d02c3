package dev.ringback.speech.asr;

import dev.ringback.speech.asr.lm.Corpus;
import dev.ringback.speech.asr.lm.LanguageModels;
import dev.ringback.speech.asr.lm.PronouncingDictionary;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pure-Java speech recognition with CMU Sphinx4 (en-us acoustic model from sphinx4-data) and a
 * trigram language model of what customers say to a trades business, built from the committed
 * corpus {@code domain-corpus.txt} on the first start and cached (keyed by a hash of its sources).
 *
 * <p>Threading: a fixed pool of {@link Settings#decoders()} decoders (two per core by default: a
 * decoder is held for a whole utterance while the caller speaks at real-time pace, using about
 * half a core, so one per core left utterances of other calls queueing behind slow talkers), each
 * allocated and warmed up once, driven by its own thread. {@link #start} never blocks: audio given to
 * {@link Recognition#accept} is queued to the utterance's decoder thread, which decodes while the
 * caller speaks. When more utterances run than there are decoders, the extra ones queue their audio
 * and are decoded (faster than real time) once a decoder frees up.
 *
 * <p>Expectations are not used. Sphinx4 compiles the language model into the decoder's lexicon
 * tree when the decoder is allocated; boosting hint words per utterance (an interpolated hint model,
 * or a JSGF grammar with a generic fallback) would rebuild that search graph for each utterance
 * (≈0.2 s of CPU, and more decoders' worth of memory to hold prepared graphs), which the latency
 * budget cannot pay; and a grammar forces off-grammar speech into confident fake answers. The
 * domain model already covers the answers the dialog expects.
 */
public final class Sphinx4Recognizer implements SpeechRecognizer {

    private static final Logger log = LoggerFactory.getLogger(Sphinx4Recognizer.class);
    private static final String WARM_UP_AUDIO = "/dev/ringback/speech/asr/warm-up-16k.raw";

    /**
     * How wide the decoder searches. The defaults were chosen on the scenario lines with
     * {@code AsrBenchmark} (CPU real-time factor against word error rate).
     *
     * @param absoluteBeamWidth        most paths kept per frame
     * @param relativeBeamWidth        paths kept relative to the best one
     * @param absoluteWordBeamWidth    most word-ending paths kept per frame
     * @param languageWeight           weight of the language model against the acoustic scores
     * @param wordInsertionProbability penalty for each new word (lower: fewer short spurious words)
     * @param phoneticLookahead        Sphinx4's all-phone fast-match lookahead (an extra phone-loop search per frame)
     */
    public record Search(int absoluteBeamWidth, double relativeBeamWidth, int absoluteWordBeamWidth, double languageWeight,
                         double wordInsertionProbability, boolean phoneticLookahead) {
        public Search {
            if (absoluteBeamWidth < 100) {
                throw new IllegalArgumentException("absoluteBeamWidth must be at least 100, was " + absoluteBeamWidth);
            }
            if (!(relativeBeamWidth > 0 && relativeBeamWidth < 1)) {
                throw new IllegalArgumentException("relativeBeamWidth must be between 0 and 1, was " + relativeBeamWidth);
            }
            if (absoluteWordBeamWidth < 1 || !(languageWeight > 0) || !(wordInsertionProbability > 0 && wordInsertionProbability <= 1)) {
                throw new IllegalArgumentException("need absoluteWordBeamWidth >= 1, languageWeight > 0, 0 < wordInsertionProbability <= 1");
            }
        }
    }

    /**
     * @param decoders     decoders allocated at start-up (utterances decoded at once); ≈50 MB heap each
     * @param search       beams and weights
     * @param generalWords widen the vocabulary with the 2,000 commonest English words (off by default)
     * @param maxUtterance audio beyond this length in one utterance is dropped
     * @param idleTimeout  an utterance that receives no audio (and no finish) this long is ended
     * @param cacheDir     where the built language model and dictionary are kept between starts
     *                     (keyed by a hash of their sources)
     */
    public record Settings(int decoders, Search search, boolean generalWords, Duration maxUtterance, Duration idleTimeout, Path cacheDir) {
        public Settings {
            if (decoders < 1) {
                throw new IllegalArgumentException("decoders must be at least 1, was " + decoders);
            }
            java.util.Objects.requireNonNull(search, "search");
            java.util.Objects.requireNonNull(cacheDir, "cacheDir");
            if (maxUtterance.isNegative() || maxUtterance.isZero() || idleTimeout.isNegative() || idleTimeout.isZero()) {
                throw new IllegalArgumentException("maxUtterance and idleTimeout must be positive");
            }
        }

        /**
         * Two decoders per core, tuned search, domain words only (everyday words raised the word
         * error rate on both the scenario and the held-out lines), 60 s utterances, 10 s idle
         * limit, cache under {@code java.io.tmpdir}.
         */
        public static Settings defaults() {
            return new Settings(2 * Runtime.getRuntime().availableProcessors(), SEARCH_DEFAULTS, false, Duration.ofSeconds(60), Duration.ofSeconds(10),
                    Path.of(System.getProperty("java.io.tmpdir"), "ringback-sphinx4-cache"));
        }

        public Settings withDecoders(int n) {
            return new Settings(n, search, generalWords, maxUtterance, idleTimeout, cacheDir);
        }

        public Settings withSearch(Search s) {
            return new Settings(decoders, s, generalWords, maxUtterance, idleTimeout, cacheDir);
        }

        public Settings withGeneralWords(boolean on) {
            return new Settings(decoders, search, on, maxUtterance, idleTimeout, cacheDir);
        }

    }

    /**
     * Tuned with {@code AsrBenchmark} on the scenario lines (flite rms through G.711): the relative
     * beam 1e-60 -> 1e-45 kept the word error rate (5.2 %) at 0.58 instead of 0.97 CPU real-time
     * factor; narrowing the absolute beam (1500-3000) or the relative beam further lost words
     * (6-13 %), and dropping the phonetic lookahead made decoding slower.
     */
    private static final Search SEARCH_DEFAULTS = new Search(5000, 1e-45, 200, 8.0, 0.1, true);

    private final Settings settings;
    private final List<Sphinx4Decoder> decoders;
    private final BlockingQueue<Sphinx4Decoder> idle;
    private final ExecutorService threads;

    private Sphinx4Recognizer(Settings settings, Sphinx4Decoder first, ExecutorService threads) {
        this.settings = settings;
        this.decoders = new CopyOnWriteArrayList<>(List.of(first));
        this.idle = new LinkedBlockingQueue<>(decoders);
        this.threads = threads;
    }

    /** Starts with {@link Settings#defaults()}. */
    public static Sphinx4Recognizer create() {
        return create(Settings.defaults());
    }

    /**
     * Loads the language model (built once, then cached), allocates and warms up the first
     * decoder, and returns: the other decoders are allocated in the background on their own
     * threads and join the pool when warm (until then utterances share the ones ready). Each
     * decoder loads its own copy of the acoustic model: Sphinx4's senones cache their last score
     * per frame, so decoders running at once cannot share one. Throws
     * {@link AsrUnavailableException} when Sphinx4 cannot start.
     */
    public static Sphinx4Recognizer create(Settings settings) {
        long started = System.nanoTime();
        LanguageModels model;
        try {
            model = LanguageModels.cached(settings.cacheDir(), Corpus.load(),
                    new PronouncingDictionary.Source.Resource(PronouncingDictionary.SPHINX4_CMUDICT_RESOURCE),
                    LanguageModels.Settings.single(settings.generalWords()));
        } catch (RuntimeException e) {
            throw new AsrUnavailableException("cannot build the sphinx4 language model: " + e.getMessage(), e);
        }
        long modelReady = System.nanoTime();
        ExecutorService threads = Executors.newFixedThreadPool(settings.decoders(), decoderThreads());
        short[] warmUp = warmUpAudio();
        long[] allocatedAt = new long[1];
        Sphinx4Decoder first;
        try {
            first = threads.submit(() -> {
                Sphinx4Decoder decoder = new Sphinx4Decoder(model.dictionary(), model.defaultModel(), settings.search());
                allocatedAt[0] = System.nanoTime();
                warmUp(decoder, warmUp);
                return decoder;
            }).get();
        } catch (Exception e) {
            threads.shutdownNow();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new AsrUnavailableException("sphinx4 could not start: " + cause, cause);
        }
        long now = System.nanoTime();
        log.info("ASR sphinx4 ready in {} ms (language model {} ms, acoustic model and search graph {} ms, warm-up {} ms); "
                        + "{} more decoder(s) loading in the background; {}{}",
                (now - started) / 1_000_000, (modelReady - started) / 1_000_000, (allocatedAt[0] - modelReady) / 1_000_000,
                (now - allocatedAt[0]) / 1_000_000, settings.decoders() - 1, settings.search(),
                settings.generalWords() ? " (domain + everyday words)" : " (domain)");
        Sphinx4Recognizer recognizer = new Sphinx4Recognizer(settings, first, threads);
        for (int i = 1; i < settings.decoders(); i++) {
            threads.execute(() -> {
                long t0 = System.nanoTime();
                try {
                    Sphinx4Decoder decoder = new Sphinx4Decoder(model.dictionary(), model.defaultModel(), settings.search());
                    warmUp(decoder, warmUp);
                    recognizer.add(decoder);
                    log.info("ASR sphinx4 decoder ready in {} ms (background)", (System.nanoTime() - t0) / 1_000_000);
                } catch (RuntimeException e) {
                    log.warn("a background sphinx4 decoder could not start; running with fewer", e);
                }
            });
        }
        return recognizer;
    }

    private void add(Sphinx4Decoder decoder) {
        if (threads.isShutdown()) {
            decoder.close();
            return;
        }
        decoders.add(decoder);
        idle.add(decoder);
    }

    /** Decoders allocated so far (the first at once, the rest as they finish loading in the background). */
    int readyDecoders() {
        return decoders.size();
    }

    @Override
    public String name() {
        return "sphinx4";
    }

    @Override
    public Recognition start(Expectation expectation) {
        if (threads.isShutdown()) {
            throw new IllegalStateException("sphinx4 recogniser is closed");
        }
        AudioPipe pipe = new AudioPipe(16_000L * 2 * settings.maxUtterance().toSeconds(), settings.idleTimeout().toNanos());
        Sphinx4Recognition recognition = new Sphinx4Recognition(pipe, settings.maxUtterance().plus(settings.idleTimeout()));
        recognition.decodeOn(threads, () -> {
            Sphinx4Decoder decoder = idle.take();
            try {
                return decoder.decode(pipe, recognition::partial);
            } finally {
                idle.add(decoder);
                if (pipe.timedOut()) {
                    log.warn("ASR utterance ended after {} s without audio or finish()", settings.idleTimeout().toSeconds());
                }
                if (pipe.truncated()) {
                    log.warn("ASR utterance longer than {} s: the rest was not decoded", settings.maxUtterance().toSeconds());
                }
            }
        });
        return recognition;
    }

    @Override
    public void close() {
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        decoders.forEach(d -> {
            try {
                d.close();
            } catch (RuntimeException e) {
                log.debug("sphinx4 decoder did not deallocate cleanly", e);
            }
        });
    }

    private static void warmUp(Sphinx4Decoder decoder, short[] audio) {
        AudioPipe pipe = new AudioPipe(Long.MAX_VALUE, TimeUnit.SECONDS.toNanos(5));
        pipe.write(audio, 0, audio.length);
        pipe.end();
        log.debug("sphinx4 warm-up heard \"{}\"", decoder.decode(pipe, text -> { }));
    }

    /** A committed telephone-band recording (16 kHz, 16-bit little-endian) that primes cepstral mean normalisation. */
    private static short[] warmUpAudio() {
        try (InputStream in = Sphinx4Recognizer.class.getResourceAsStream(WARM_UP_AUDIO)) {
            if (in == null) {
                throw new AsrUnavailableException("resource " + WARM_UP_AUDIO + " is not on the class path");
            }
            ByteBuffer bytes = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
            short[] samples = new short[bytes.remaining() / 2];
            bytes.asShortBuffer().get(samples);
            return samples;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + WARM_UP_AUDIO, e);
        }
    }

    private static ThreadFactory decoderThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "asr-sphinx4-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
