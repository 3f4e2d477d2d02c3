package dev.ringback.speech.asr;

import static edu.cmu.sphinx.util.props.ConfigurationManagerUtils.setProperty;

import java.io.InputStream;
import java.net.MalformedURLException;
import java.util.function.Consumer;
import java.util.logging.Level;

import edu.cmu.sphinx.decoder.ResultListener;
import edu.cmu.sphinx.frontend.util.StreamDataSource;
import edu.cmu.sphinx.recognizer.Recognizer;
import edu.cmu.sphinx.result.Result;
import edu.cmu.sphinx.util.props.ConfigurationManager;
import edu.cmu.sphinx.util.props.ConfigurationManagerUtils;
import edu.cmu.sphinx.util.props.PropertySheet;

/**
 * One allocated Sphinx4 decoder (acoustic model, lexicon tree of the domain language model, front
 * end). Allocation builds the search graph, so it happens once; each utterance only swaps the
 * audio stream. Used by one thread at a time.
 */
final class Sphinx4Decoder implements AutoCloseable {

    private static final String DEFAULT_CONFIG = "resource:/edu/cmu/sphinx/api/default.config.xml";
    private static final String ACOUSTIC_MODEL = "resource:/edu/cmu/sphinx/models/en-us/en-us";

    private final Recognizer recognizer;
    private final StreamDataSource source;
    private volatile Consumer<String> partialSink = text -> { };

    Sphinx4Decoder(java.nio.file.Path dictionary, java.nio.file.Path languageModel, Sphinx4Recognizer.Search search) {
        ConfigurationManager cm;
        try {
            cm = new ConfigurationManager(ConfigurationManagerUtils.resourceToURL(DEFAULT_CONFIG));
        } catch (MalformedURLException e) {
            throw new AsrUnavailableException("sphinx4 default configuration not found", e);
        }
        // Sphinx4 logs through java.util.logging at INFO per utterance; only its warnings are useful
        java.util.logging.Logger.getLogger("edu.cmu.sphinx").setLevel(Level.WARNING);
        java.util.logging.Logger.getLogger("default.config").setLevel(Level.WARNING);
        cm.setGlobalProperty("logLevel", "WARNING");
        cm.setGlobalProperty("absoluteBeamWidth", Integer.toString(search.absoluteBeamWidth()));
        cm.setGlobalProperty("relativeBeamWidth", Double.toString(search.relativeBeamWidth()));
        cm.setGlobalProperty("absoluteWordBeamWidth", Integer.toString(search.absoluteWordBeamWidth()));
        cm.setGlobalProperty("languageWeight", Double.toString(search.languageWeight()));
        cm.setGlobalProperty("wordInsertionProbability", Double.toString(search.wordInsertionProbability()));
        String searchManager = search.phoneticLookahead() ? "wordPruningLookaheadSearchManager" : "wordPruningSearchManager";
        setProperty(cm, "decoder", "searchManager", searchManager);
        // only the best path is read: no lattice (keepAllTokens stays on: without it the lookahead
        // search manager prints debugging lines for every frame)
        setProperty(cm, searchManager, "buildWordLattice", "false");
        setProperty(cm, "acousticModelLoader", "location", ACOUSTIC_MODEL);
        setProperty(cm, "dictionary", "fillerPath", ACOUSTIC_MODEL + "/noisedict");
        setProperty(cm, "dictionary", "dictionaryPath", dictionary.toUri().toString());
        setProperty(cm, "simpleNGramModel", "location", languageModel.toUri().toString());
        setProperty(cm, "lexTreeLinguist", "languageModel", "simpleNGramModel");
        setProperty(cm, "dataSource", "sampleRate", "16000");
        // read 20 ms at a time so the decoder follows the call closely
        setProperty(cm, "dataSource", "bytesPerRead", "640");
        // a partial hypothesis every 0.1 s of audio: the end-of-turn rule reads it
        setProperty(cm, "decoder", "featureBlockSize", "10");
        setProperty(cm, "decoder", "fireNonFinalResults", "true");
        setProperty(cm, "memoryTracker", "showDetails", "false");
        setProperty(cm, "memoryTracker", "showSummary", "false");
        setProperty(cm, "speedTracker", "showDetails", "false");
        setProperty(cm, "speedTracker", "showSummary", "false");

        recognizer = cm.lookup("recognizer");
        source = cm.lookup("dataSource");
        recognizer.addResultListener(new ResultListener() {
            @Override
            public void newResult(Result result) {
                if (!result.isFinal()) {
                    partialSink.accept(words(result.getBestResultNoFiller()));
                }
            }

            @Override
            public void newProperties(PropertySheet ps) {
                // configured in code, nothing to read
            }
        });
        recognizer.allocate();
    }

    /**
     * Decodes one utterance until its audio stream ends. Sphinx4's end-pointer may cut the audio
     * into several speech segments; their words are joined.
     */
    String decode(InputStream audio, Consumer<String> partials) {
        StringBuilder text = new StringBuilder();
        partialSink = current -> partials.accept(join(text, current));
        try {
            source.setInputStream(audio);
            Result result;
            while ((result = recognizer.recognize()) != null) {
                String segment = words(result.getBestFinalResultNoFiller());
                if (!segment.isEmpty()) {
                    text.append(text.length() == 0 ? "" : " ").append(segment);
                    partials.accept(text.toString());
                }
            }
            return text.toString();
        } finally {
            partialSink = current -> { };
        }
    }

    private static String join(StringBuilder done, String current) {
        if (done.length() == 0) {
            return current;
        }
        return current.isEmpty() ? done.toString() : done + " " + current;
    }

    /** Drops sentence markers and filler tokens Sphinx4 may leave in a hypothesis. */
    private static String words(String hypothesis) {
        StringBuilder out = new StringBuilder();
        for (String token : hypothesis.trim().split("\\s+")) {
            if (token.isEmpty() || token.startsWith("<") || token.startsWith("[")) {
                continue;
            }
            out.append(out.length() == 0 ? "" : " ").append(token);
        }
        return out.toString();
    }

    @Override
    public void close() {
        if (recognizer.getState() == Recognizer.State.READY) {
            recognizer.deallocate();
        }
    }
}
