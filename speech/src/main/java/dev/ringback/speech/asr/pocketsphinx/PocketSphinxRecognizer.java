package dev.ringback.speech.asr.pocketsphinx;

import dev.ringback.speech.asr.AsrUnavailableException;
import dev.ringback.speech.asr.Expectation;
import dev.ringback.speech.asr.Recognition;
import dev.ringback.speech.asr.RecognitionChannel;
import dev.ringback.speech.asr.SpeechRecognizer;
import dev.ringback.speech.asr.lm.Corpus;
import dev.ringback.speech.asr.lm.LanguageModels;
import dev.ringback.speech.asr.lm.PronouncingDictionary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CMU PocketSphinx (Debian's libpocketsphinx3 and its en-us acoustic model) through JNA: several times
 * cheaper than Sphinx4 at equal or better accuracy, with one named search per {@link Expectation.Kind}
 * on every decoder.
 *
 * <p>Decoders: a fixed pool made at start-up (one per utterance that may run at once: the calls the server
 * carries), each holding every search. An utterance takes a decoder when it starts and decodes its audio
 * inside {@link Recognition#accept} as it arrives (about 1 ms of CPU per 20 ms frame); when every decoder is
 * busy its audio waits and is decoded, faster than real time, once one frees up.
 *
 * <p>Cepstral mean: a decoder's live CMN starts from the model's own estimate, which is far from telephone
 * audio, and the first words of a call came out wrong. Start-up decodes the committed warm-up recording to
 * learn a telephone estimate; every call's first utterance starts from it, and each later utterance of the
 * call from where the call's previous one ended (its {@link RecognitionChannel}).
 */
public final class PocketSphinxRecognizer implements SpeechRecognizer {

    private static final Logger log = LoggerFactory.getLogger(PocketSphinxRecognizer.class);
    /** How to get the engine on Debian. */
    public static final String INSTALL_HINT = PocketSphinxNative.INSTALL_HINT;
    private static final String WARM_UP_AUDIO = "/dev/ringback/speech/asr/warm-up-16k.raw";
    private static final String TELEPHONE_MLLR = "/dev/ringback/speech/asr/pocketsphinx/telephone.mllr";
    /** Decodes of the warm-up audio before its cepstral mean is taken (the estimate settles after two). */
    private static final int WARM_UP_PASSES = 3;
    /** Frames of speech the cepstral mean estimate counts for at a call's first utterance, and at most later. */
    private static final int CMN_PRIOR_FIRST = 100, CMN_PRIOR_MAX = 400;

    /**
     * @param modelDir       the en-us model directory ({@code en-us/} acoustic model and {@code cmudict-en-us.dict})
     * @param decoders       utterances decoded at once (one per concurrent call)
     * @param languageWeight PocketSphinx's {@code -lw}
     * @param searches       how the per-expectation searches are built
     * @param alternatives   N-best hypotheses kept per utterance (1: the best only)
     * @param maxUtterance   audio beyond this length in one utterance is not decoded
     * @param cacheDir       where the built language models are kept between starts
     * @param telephoneMllr  decode with the committed telephone MLLR transform ({@code speech/tools/telephone-mllr.sh})
     * @param options        further PocketSphinx options, name and value in turn (benchmarks try settings with it)
     */
    public record Settings(Path modelDir, int decoders, double languageWeight, LanguageModels.Settings searches, int alternatives,
                           Duration maxUtterance, Path cacheDir, boolean telephoneMllr, List<String> options) {
        public Settings {
            Objects.requireNonNull(modelDir, "modelDir");
            Objects.requireNonNull(searches, "searches");
            Objects.requireNonNull(cacheDir, "cacheDir");
            if (decoders < 1) throw new IllegalArgumentException("decoders must be at least 1, was " + decoders);
            if (!(languageWeight > 0)) throw new IllegalArgumentException("languageWeight must be positive");
            if (alternatives < 1) throw new IllegalArgumentException("alternatives must be at least 1");
            options = List.copyOf(options);
        }

        /**
         * Debian's model, {@code decoders} decoders, and what AsrBenchmark chose on the held-in set ({@code dev}): language
         * weight 10, expected answers counted five times in their search, a search of its own only for a day/time and for a
         * yes/no (the kinds where one won: WHEN 7.1 -> 4.9 %, YES_NO 12.6 -> 8.9 %; CHOICE and ANYTHING_ELSE did better on the
         * default model), no everyday-word unigrams (they cost 4-7 points), the telephone MLLR transform, and beams one notch
         * wider than PocketSphinx's defaults (-2 points for +10 % CPU).
         */
        public static Settings defaults(int decoders) {
            return new Settings(Path.of("/usr/share/pocketsphinx/model/en-us"), decoders, 10.0,
                    new LanguageModels.Settings(5, java.util.EnumSet.of(Expectation.Kind.WHEN, Expectation.Kind.YES_NO), false), 6,
                    Duration.ofSeconds(60), Path.of(System.getProperty("java.io.tmpdir"), "ringback-pocketsphinx-cache"), true,
                    List.of("-beam", "1e-60", "-wbeam", "1e-50", "-pbeam", "1e-60"));
        }

        public Settings withModelDir(Path dir) {
            return new Settings(dir, decoders, languageWeight, searches, alternatives, maxUtterance, cacheDir, telephoneMllr, options);
        }

        public Settings withDecoders(int n) {
            return new Settings(modelDir, n, languageWeight, searches, alternatives, maxUtterance, cacheDir, telephoneMllr, options);
        }

        public Settings withLanguageWeight(double lw) {
            return new Settings(modelDir, decoders, lw, searches, alternatives, maxUtterance, cacheDir, telephoneMllr, options);
        }

        public Settings withSearches(double expectationWeight, boolean generalWords) {
            return new Settings(modelDir, decoders, languageWeight, new LanguageModels.Settings(expectationWeight, searches.ownModels(), generalWords),
                    alternatives, maxUtterance, cacheDir, telephoneMllr, options);
        }

        /** These PocketSphinx options on top of the defaults' (a later value wins). */
        public Settings withOptions(List<String> more) {
            List<String> all = new ArrayList<>(options);
            all.addAll(more);
            return new Settings(modelDir, decoders, languageWeight, searches, alternatives, maxUtterance, cacheDir, telephoneMllr, all);
        }

        public Settings withTelephoneMllr(boolean on) {
            return new Settings(modelDir, decoders, languageWeight, searches, alternatives, maxUtterance, cacheDir, on, options);
        }

        Path acousticModel() {
            return modelDir.resolve("en-us");
        }

        Path cmuDictionary() {
            return modelDir.resolve("cmudict-en-us.dict");
        }
    }

    private final Settings settings;
    private final List<PocketSphinxDecoder> decoders;
    private final BlockingQueue<PocketSphinxDecoder> idle;
    private final Map<Expectation.Kind, String> searchNames;
    /** The telephone cepstral mean every call starts from (null when the library's CMN cannot be reached). */
    private final float[] telephoneCmn;
    private final AtomicLong waitedForDecoder = new AtomicLong();
    private volatile boolean closed;

    private PocketSphinxRecognizer(Settings settings, List<PocketSphinxDecoder> decoders, Map<Expectation.Kind, String> searchNames,
                                   float[] telephoneCmn) {
        this.settings = settings;
        this.decoders = List.copyOf(decoders);
        this.idle = new LinkedBlockingQueue<>(decoders);
        this.searchNames = searchNames;
        this.telephoneCmn = telephoneCmn;
    }

    /** Whether the library and Debian's model are installed (the engine can start). */
    public static boolean available(Path modelDir) {
        if (!Files.isDirectory(modelDir.resolve("en-us")) || !Files.isRegularFile(modelDir.resolve("cmudict-en-us.dict"))) return false;
        try {
            PocketSphinxNative.load();
            return true;
        } catch (AsrUnavailableException e) {
            return false;
        }
    }

    /**
     * Builds (or reads from the cache) the search models, creates the decoders in parallel and learns the
     * telephone cepstral mean. Returns when every decoder is ready: nothing loads behind it.
     *
     * @throws AsrUnavailableException when the library or the model is missing or does not load
     */
    public static PocketSphinxRecognizer create(Settings settings) {
        long t0 = System.nanoTime();
        PocketSphinxNative lib = PocketSphinxNative.load();
        if (!Files.isDirectory(settings.acousticModel())) {
            throw new AsrUnavailableException("no PocketSphinx acoustic model in " + settings.acousticModel()
                    + " (" + PocketSphinxNative.INSTALL_HINT + ")");
        }
        LanguageModels models = LanguageModels.cached(settings.cacheDir(), Corpus.load(),
                new PronouncingDictionary.Source.File(settings.cmuDictionary()), settings.searches());
        long t1 = System.nanoTime();
        Map<Expectation.Kind, String> names = new EnumMap<>(Expectation.Kind.class);
        Map<String, Path> named = new java.util.LinkedHashMap<>();
        for (Expectation.Kind kind : Expectation.Kind.values()) {
            if (!settings.searches().hasOwnModel(kind)) {
                names.put(kind, PocketSphinxDecoder.DEFAULT_SEARCH);
            } else {
                String name = kind.name().toLowerCase(Locale.ROOT);
                names.put(kind, name);
                named.put(name, models.byExpectation().get(kind));
            }
        }
        List<String> options = new ArrayList<>(List.of("-lw", format(settings.languageWeight())));
        if (settings.telephoneMllr()) options.addAll(List.of("-mllr", telephoneMllr(settings.cacheDir()).toString()));
        options.addAll(settings.options());
        int threads = Math.min(settings.decoders(), Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "asr-pocketsphinx-init");
            t.setDaemon(true);
            return t;
        });
        List<PocketSphinxDecoder> made = new ArrayList<>();
        try {
            List<Future<PocketSphinxDecoder>> futures = new ArrayList<>();
            for (int i = 0; i < settings.decoders(); i++) {
                futures.add(pool.submit(() -> PocketSphinxDecoder.create(lib, settings.acousticModel(), models.dictionary(),
                        models.defaultModel(), named, options)));
            }
            for (Future<PocketSphinxDecoder> f : futures) made.add(f.get());
        } catch (Exception e) {
            made.forEach(PocketSphinxDecoder::close);
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof AsrUnavailableException u) throw u;
            throw new AsrUnavailableException("PocketSphinx decoders could not be created: " + cause, cause);
        } finally {
            pool.shutdown();
        }
        long t2 = System.nanoTime();
        float[] cmn = learnTelephoneCmn(made.get(0));
        long t3 = System.nanoTime();
        log.info("ASR pocketsphinx ready in {} ms (language models {} ms, {} decoders with {} named searches each {} ms, telephone CMN {} ms); "
                        + "-lw {}, expectation weight {}, general words {}, telephone MLLR {}{}", (t3 - t0) / 1_000_000, (t1 - t0) / 1_000_000, made.size(),
                named.size(), (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, format(settings.languageWeight()),
                format(settings.searches().expectationWeight()), settings.searches().generalWords() ? "on" : "off",
                settings.telephoneMllr() ? "on" : "off",
                cmn == null ? "; CMN not reachable in this library build: calls start from the model's estimate" : "");
        return new PocketSphinxRecognizer(settings, made, names, cmn);
    }

    /** The committed transform, copied out of the jar once (PocketSphinx reads files). */
    private static Path telephoneMllr(Path cacheDir) {
        try (InputStream in = PocketSphinxRecognizer.class.getResourceAsStream(TELEPHONE_MLLR)) {
            if (in == null) throw new AsrUnavailableException("resource " + TELEPHONE_MLLR + " is not on the class path");
            byte[] bytes = in.readAllBytes();
            Path file = cacheDir.resolve("telephone-" + Integer.toHexString(java.util.Arrays.hashCode(bytes)) + ".mllr");
            if (!Files.isRegularFile(file)) {
                Files.createDirectories(cacheDir);
                Path tmp = Files.createTempFile(cacheDir, "telephone", ".mllr");
                Files.write(tmp, bytes);
                Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            return file;
        } catch (IOException e) {
            throw new AsrUnavailableException("cannot write the telephone MLLR transform into " + cacheDir + ": " + e.getMessage(), e);
        }
    }

    private static float[] learnTelephoneCmn(PocketSphinxDecoder decoder) {
        if (!decoder.cmnAvailable()) return null;
        short[] audio = warmUpAudio();
        for (int pass = 0; pass < WARM_UP_PASSES; pass++) {
            decoder.begin(PocketSphinxDecoder.DEFAULT_SEARCH, null, 0);
            for (int at = 0; at < audio.length; at += 320) decoder.process(audio, at, Math.min(320, audio.length - at));
            decoder.end(1);
        }
        return decoder.cmnMean();
    }

    private static short[] warmUpAudio() {
        try (InputStream in = PocketSphinxRecognizer.class.getResourceAsStream(WARM_UP_AUDIO)) {
            if (in == null) throw new AsrUnavailableException("resource " + WARM_UP_AUDIO + " is not on the class path");
            ByteBuffer bytes = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
            short[] samples = new short[bytes.remaining() / 2];
            bytes.asShortBuffer().get(samples);
            return samples;
        } catch (IOException e) {
            throw new AsrUnavailableException("cannot read " + WARM_UP_AUDIO, e);
        }
    }

    private static String format(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    @Override
    public String name() {
        return "pocketsphinx";
    }

    @Override
    public Recognition start(Expectation expectation) {
        return new Channel().start(expectation);
    }

    @Override
    public RecognitionChannel newChannel() {
        return new Channel();
    }

    /** Decoders made at start-up. */
    public int decoders() {
        return decoders.size();
    }

    /** Decoders free right now. */
    public int idleDecoders() {
        return idle.size();
    }

    /** Utterances that found every decoder busy and waited for one. */
    public long waitedForDecoder() {
        return waitedForDecoder.get();
    }

    String searchFor(Expectation.Kind kind) {
        return searchNames.get(kind);
    }

    Settings settings() {
        return settings;
    }

    /** A free decoder now, or null. */
    PocketSphinxDecoder tryTake() {
        if (closed) throw new IllegalStateException("pocketsphinx recogniser is closed");
        return idle.poll();
    }

    PocketSphinxDecoder take(Duration wait) throws InterruptedException {
        return idle.poll(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    void countWait() {
        waitedForDecoder.incrementAndGet();
    }

    void release(PocketSphinxDecoder decoder) {
        if (closed) {
            decoder.close();
        } else {
            idle.add(decoder);
        }
    }

    /** One call's utterances: each starts from the cepstral mean the previous one ended with. */
    final class Channel implements RecognitionChannel {
        private float[] cmn = telephoneCmn;
        private int utterances;

        @Override
        public Recognition start(Expectation expectation) {
            return new PocketSphinxRecognition(PocketSphinxRecognizer.this, this, searchFor(expectation.kind()));
        }

        float[] cmn() {
            return cmn;
        }

        /** How many frames the estimate counts for: little for a new line, more as the call's own utterances add up. */
        int priorFrames() {
            return Math.min(CMN_PRIOR_MAX, CMN_PRIOR_FIRST * (1 + utterances));
        }

        void learnt(float[] mean) {
            if (mean != null) {
                cmn = mean;
                utterances++;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        PocketSphinxDecoder d;
        while ((d = idle.poll()) != null) d.close();
    }

}
