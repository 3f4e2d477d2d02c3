package dev.ringback.speech.asr.pocketsphinx;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import dev.ringback.speech.asr.AsrUnavailableException;
import dev.ringback.speech.asr.Transcript;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * One native PocketSphinx decoder with every named search loaded. Switching searches between utterances
 * is free; an utterance is decoded as its audio arrives (the forward tree search only: the flat second
 * pass would add 100-200 ms at the end of each turn). Used by one thread at a time.
 */
final class PocketSphinxDecoder implements AutoCloseable {

    /** The search {@code -lm} creates at init (PocketSphinx's PS_DEFAULT_SEARCH). */
    static final String DEFAULT_SEARCH = "_default";
    private static final int CEPSTRUM_SIZE = 13;
    /** Offsets in SphinxBase 5prealpha's {@code feat_t} on 64-bit Linux: name, cepsize, cmn_struct. */
    private static final long FEAT_NAME = 8, FEAT_CEPSIZE = 16, FEAT_CMN_STRUCT = 88;
    private static final int MAX_NBEST_PATHS = 24;
    /** SphinxBase's CMN window (cmn.h CMN_WIN) and the cmn_t fields after its three pointers. */
    private static final int CMN_WIN = 500;
    private static final long CMN_SUM = 16, CMN_NFRAME = 24;
    /** How often the mean is recomputed while a weakly held estimate adapts (100 ms). */
    private static final int CMN_UPDATE_SAMPLES = 1600;

    private final PocketSphinxNative lib;
    private final Pointer decoder;
    private final Pointer logmath;
    /** SphinxBase's live CMN state, or null when the feature layout is not the one known here. */
    private final Pointer cmn;
    private final Set<String> searches;
    private String search = DEFAULT_SEARCH;
    private boolean inUtterance;
    private boolean adaptCmn;
    private int samplesSinceUpdate;

    private PocketSphinxDecoder(PocketSphinxNative lib, Pointer decoder, Set<String> searches) {
        this.lib = lib;
        this.decoder = decoder;
        this.logmath = lib.ps.ps_get_logmath(decoder);
        this.cmn = cmnOf(lib.ps.ps_get_feat(decoder));
        this.searches = Set.copyOf(searches);
    }

    /**
     * A decoder of {@code acousticModel} with {@code defaultLm} as the default search and each of
     * {@code namedLms} loaded as a search of that name.
     *
     * @param options further PocketSphinx options ({@code -lw 10}, ...), name and value in turn
     */
    static PocketSphinxDecoder create(PocketSphinxNative lib, Path acousticModel, Path dictionary, Path defaultLm,
                                      Map<String, Path> namedLms, List<String> options) {
        Map<String, String> args = new java.util.LinkedHashMap<>();
        args.put("-hmm", acousticModel.toString());
        args.put("-dict", dictionary.toString());
        args.put("-lm", defaultLm.toString());
        args.put("-fwdflat", "no");
        args.put("-bestpath", "yes");
        for (int i = 0; i + 1 < options.size(); i += 2) args.put(options.get(i), options.get(i + 1));
        List<String> argv = new ArrayList<>(List.of("pocketsphinx"));
        args.forEach((k, v) -> {
            argv.add(k);
            argv.add(v);
        });
        Pointer config = lib.base.cmd_ln_parse_r(null, lib.ps.ps_args(), argv.size(), argv.toArray(String[]::new), 1);
        if (config == null) {
            throw new AsrUnavailableException("PocketSphinx refused its options: " + String.join(" ", argv.subList(1, argv.size())));
        }
        Pointer decoder = lib.ps.ps_init(config);
        lib.base.cmd_ln_free_r(config); // the decoder keeps its own reference
        if (decoder == null) {
            throw new AsrUnavailableException("PocketSphinx could not load the model in " + acousticModel + " with " + defaultLm);
        }
        Set<String> names = new LinkedHashSet<>(List.of(DEFAULT_SEARCH));
        for (Map.Entry<String, Path> lm : namedLms.entrySet()) {
            if (lib.ps.ps_set_lm_file(decoder, lm.getKey(), lm.getValue().toString()) < 0) {
                lib.ps.ps_free(decoder);
                throw new AsrUnavailableException("PocketSphinx could not load the language model " + lm.getValue());
            }
            names.add(lm.getKey());
        }
        // ps_set_lm_file also selects the search it loads: back to the default one
        lib.ps.ps_set_search(decoder, DEFAULT_SEARCH);
        return new PocketSphinxDecoder(lib, decoder, names);
    }

    /** Whether this decoder's cepstral mean can be read and set (the estimate every call starts from). */
    boolean cmnAvailable() {
        return cmn != null;
    }

    /** The current cepstral mean estimate, or null when not available. */
    float[] cmnMean() {
        if (cmn == null) return null;
        float[] mean = new float[CEPSTRUM_SIZE];
        lib.base.cmn_live_get(cmn, mean);
        return mean;
    }

    /**
     * Starts an utterance on the named search, from the given cepstral mean (null: whatever the decoder has),
     * trusted as much as {@code priorFrames} frames of speech: SphinxBase's own weight (500 frames, 5 s) lets the
     * first short utterances of a call barely move it, and on a new line that estimate is the worst of the call.
     */
    void begin(String searchName, float[] cmnStart, int priorFrames) {
        if (inUtterance) end(0);
        String wanted = searches.contains(searchName) ? searchName : DEFAULT_SEARCH;
        if (!wanted.equals(search)) {
            if (lib.ps.ps_set_search(decoder, wanted) < 0) {
                throw new IllegalStateException("PocketSphinx has no search " + wanted);
            }
            search = wanted;
        }
        if (cmn != null && cmnStart != null) {
            lib.base.cmn_live_set(cmn, cmnStart);
            if (priorFrames > 0 && priorFrames < CMN_WIN) {
                // cmn_t: mean, var, sum (pointers), then nframe: the prior counts as priorFrames frames, not CMN_WIN
                Pointer sum = cmn.getPointer(CMN_SUM);
                for (int i = 0; i < CEPSTRUM_SIZE; i++) sum.setFloat(4L * i, cmnStart[i] * priorFrames);
                cmn.setInt(CMN_NFRAME, priorFrames);
            }
        }
        if (lib.ps.ps_start_utt(decoder) < 0) throw new IllegalStateException("PocketSphinx could not start an utterance");
        inUtterance = true;
        adaptCmn = cmn != null && priorFrames > 0 && priorFrames < CMN_WIN;
        samplesSinceUpdate = 0;
    }

    String search() {
        return search;
    }

    void process(short[] pcm, int offset, int length) {
        if (!inUtterance || length <= 0) return;
        short[] samples = offset == 0 && length == pcm.length ? pcm : Arrays.copyOfRange(pcm, offset, offset + length);
        if (lib.ps.ps_process_raw(decoder, samples, length, 0, 0) < 0) {
            throw new IllegalStateException("PocketSphinx could not process audio");
        }
        if (adaptCmn && (samplesSinceUpdate += length) >= CMN_UPDATE_SAMPLES) {
            samplesSinceUpdate = 0;
            lib.base.cmn_live_update(cmn); // the mean follows this line's audio within the utterance
            if (cmn.getInt(CMN_NFRAME) >= CMN_WIN) adaptCmn = false;
        }
    }

    /** Best words so far ("" before any). */
    String partial() {
        if (!inUtterance) return "";
        return clean(lib.ps.ps_get_hyp(decoder, null));
    }

    /**
     * Ends the utterance: the best hypothesis with per-word posteriors, and up to {@code alternatives}
     * distinct N-best hypotheses (PocketSphinx repeats paths that differ only in fillers; they are merged).
     */
    Transcript end(int alternatives) {
        if (!inUtterance) return Transcript.EMPTY;
        inUtterance = false;
        if (lib.ps.ps_end_utt(decoder) < 0) return Transcript.EMPTY;
        IntByReference best = new IntByReference();
        String text = clean(lib.ps.ps_get_hyp(decoder, best));
        if (text.isEmpty()) return Transcript.EMPTY;
        List<Transcript.Word> words = new ArrayList<>();
        for (Pointer seg = lib.ps.ps_seg_iter(decoder); seg != null; seg = lib.ps.ps_seg_next(seg)) {
            String word = wordOf(lib.ps.ps_seg_word(seg));
            if (word == null) continue;
            int posterior = lib.ps.ps_seg_prob(seg, null, null, null);
            words.add(new Transcript.Word(word, Math.min(1.0, lib.base.logmath_exp(logmath, posterior))));
        }
        OptionalDouble confidence = words.stream().mapToDouble(Transcript.Word::confidence).average();
        return new Transcript(text, confidence, words, nbest(text, best.getValue(), alternatives));
    }

    private List<Transcript.Hypothesis> nbest(String text, int bestScore, int wanted) {
        List<Transcript.Hypothesis> out = new ArrayList<>();
        out.add(new Transcript.Hypothesis(text, 0));
        if (wanted <= 1) return out;
        Set<String> seen = new LinkedHashSet<>(List.of(text));
        Pointer nbest = lib.ps.ps_nbest(decoder);
        int paths = 0;
        while (nbest != null) {
            IntByReference score = new IntByReference();
            String hyp = clean(lib.ps.ps_nbest_hyp(nbest, score));
            if (!hyp.isEmpty() && seen.add(hyp)) {
                out.add(new Transcript.Hypothesis(hyp, lib.base.logmath_log_to_ln(logmath, score.getValue() - bestScore)));
            }
            if (out.size() >= wanted || ++paths >= MAX_NBEST_PATHS) {
                lib.ps.ps_nbest_free(nbest);
                break;
            }
            nbest = lib.ps.ps_nbest_next(nbest); // frees the iterator when it returns null
        }
        return out;
    }

    /** A dictionary word without its pronunciation variant ("to(3)" -> "to"); null for markers and fillers. */
    private static String wordOf(String token) {
        if (token == null || token.isEmpty() || token.startsWith("<") || token.startsWith("[") || token.startsWith("++")) return null;
        int variant = token.indexOf('(');
        return variant > 0 ? token.substring(0, variant) : token;
    }

    private static String clean(String hyp) {
        if (hyp == null || hyp.isBlank()) return "";
        StringBuilder out = new StringBuilder();
        for (String token : hyp.trim().split("\\s+")) {
            String word = wordOf(token);
            if (word != null) out.append(out.length() == 0 ? "" : " ").append(word);
        }
        return out.toString();
    }

    /** The feature extractor's CMN state when the library's {@code feat_t} is laid out as this code expects. */
    private static Pointer cmnOf(Pointer feat) {
        if (feat == null) return null;
        Pointer name = feat.getPointer(FEAT_NAME);
        if (name == null || !"1s_c_d_dd".equals(name.getString(0)) || feat.getInt(FEAT_CEPSIZE) != CEPSTRUM_SIZE) return null;
        return feat.getPointer(FEAT_CMN_STRUCT);
    }

    @Override
    public void close() {
        lib.ps.ps_free(decoder);
    }
}
