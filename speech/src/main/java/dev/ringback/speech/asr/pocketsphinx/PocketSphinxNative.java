package dev.ringback.speech.asr.pocketsphinx;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import dev.ringback.speech.asr.AsrUnavailableException;

/**
 * The C functions of Debian's PocketSphinx 0.8+5prealpha ({@code libpocketsphinx.so.3}) and SphinxBase
 * ({@code libsphinxbase.so.3}) that Ringback calls, through JNA. The libraries are loaded by their versioned
 * names, so only the run-time packages ({@code libpocketsphinx3}, {@code libsphinxbase3}) are needed.
 */
final class PocketSphinxNative {

    static final String INSTALL_HINT = "apt-get install libpocketsphinx3 pocketsphinx-en-us";

    /** libsphinxbase.so.3: configuration, logging, log-math and cepstral mean normalisation. */
    interface SphinxBase extends Library {
        Pointer err_set_logfp(Pointer file);

        Pointer cmd_ln_parse_r(Pointer inout, Pointer definitions, int argc, String[] argv, int strict);

        int cmd_ln_free_r(Pointer config);

        double logmath_exp(Pointer logmath, int logValue);

        double logmath_log_to_ln(Pointer logmath, int logValue);

        void cmn_live_get(Pointer cmn, float[] mean);

        void cmn_live_set(Pointer cmn, float[] mean);

        void cmn_live_update(Pointer cmn);
    }

    /** libpocketsphinx.so.3: the decoder. */
    interface PocketSphinx extends Library {
        Pointer ps_args();

        Pointer ps_init(Pointer config);

        int ps_free(Pointer decoder);

        Pointer ps_get_logmath(Pointer decoder);

        Pointer ps_get_feat(Pointer decoder);

        int ps_set_lm_file(Pointer decoder, String name, String path);

        int ps_set_search(Pointer decoder, String name);

        int ps_start_utt(Pointer decoder);

        int ps_process_raw(Pointer decoder, short[] samples, long count, int noSearch, int fullUtterance);

        int ps_end_utt(Pointer decoder);

        String ps_get_hyp(Pointer decoder, IntByReference bestScore);

        Pointer ps_seg_iter(Pointer decoder);

        Pointer ps_seg_next(Pointer segment);

        String ps_seg_word(Pointer segment);

        int ps_seg_prob(Pointer segment, IntByReference acoustic, IntByReference language, IntByReference backoff);

        void ps_seg_free(Pointer segment);

        Pointer ps_nbest(Pointer decoder);

        Pointer ps_nbest_next(Pointer nbest);

        String ps_nbest_hyp(Pointer nbest, IntByReference score);

        void ps_nbest_free(Pointer nbest);
    }

    final SphinxBase base;
    final PocketSphinx ps;

    private PocketSphinxNative(SphinxBase base, PocketSphinx ps) {
        this.base = base;
        this.ps = ps;
    }

    /**
     * Loads both libraries and silences SphinxBase's own logging (its {@code -logfn} file handling crashes
     * when decoders are created on several threads; one global "no log" is safe).
     *
     * @throws AsrUnavailableException when a library is missing or does not load
     */
    static PocketSphinxNative load() {
        return load("libsphinxbase.so.3", "libpocketsphinx.so.3");
    }

    static PocketSphinxNative load(String sphinxBaseLibrary, String pocketSphinxLibrary) {
        try {
            SphinxBase base = Native.load(sphinxBaseLibrary, SphinxBase.class);
            PocketSphinx ps = Native.load(pocketSphinxLibrary, PocketSphinx.class);
            base.err_set_logfp(null);
            return new PocketSphinxNative(base, ps);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new AsrUnavailableException("the PocketSphinx library is not installed (" + INSTALL_HINT + "): "
                    + firstLine(e.getMessage()), e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) return "";
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
