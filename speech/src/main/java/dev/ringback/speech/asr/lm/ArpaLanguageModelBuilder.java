package dev.ringback.speech.asr.lm;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Builds a trigram language model in ARPA text form from example sentences, with interpolated
 * Witten-Bell smoothing written as a backoff model.
 *
 * <p>Witten-Bell suits a corpus of a few hundred sentences: it needs no held-out data, and the
 * probability left for unseen words after a history grows with the number of different words seen
 * after it. For the interpolated form the backoff weight of a history h is exactly
 * T(h) / (N(h) + T(h)) (T distinct successors, N successor tokens), which keeps every conditional
 * distribution summing to one.
 */
public final class ArpaLanguageModelBuilder {

    static final String SENTENCE_START = "<s>";
    static final String SENTENCE_END = "</s>";

    private final Map<List<String>, Double> unigrams = new HashMap<>();
    private final Map<List<String>, Double> bigrams = new HashMap<>();
    private final Map<List<String>, Double> trigrams = new HashMap<>();
    private final TreeSet<String> extraVocabulary = new TreeSet<>();

    /** Adds one sentence (its words, without sentence markers). Empty sentences are ignored. */
    public ArpaLanguageModelBuilder addSentence(List<String> words) {
        return addSentence(words, 1.0);
    }

    /**
     * Adds one sentence counted {@code weight} times: more than one for the answers a search listens for
     * first, less than one for the many sentences a template expands to (so they do not outweigh what
     * people were written saying). Empty sentences are ignored.
     */
    public ArpaLanguageModelBuilder addSentence(List<String> words, double weight) {
        if (words.isEmpty()) {
            return this;
        }
        if (!(weight > 0)) {
            throw new IllegalArgumentException("a sentence's weight must be positive, was " + weight);
        }
        List<String> tokens = new ArrayList<>(words.size() + 2);
        tokens.add(SENTENCE_START);
        tokens.addAll(words);
        tokens.add(SENTENCE_END);
        for (int i = 1; i < tokens.size(); i++) {
            unigrams.merge(List.of(tokens.get(i)), weight, Double::sum);
            bigrams.merge(List.copyOf(tokens.subList(i - 1, i + 1)), weight, Double::sum);
            if (i >= 2) {
                trigrams.merge(List.copyOf(tokens.subList(i - 2, i + 1)), weight, Double::sum);
            }
        }
        return this;
    }

    /**
     * Adds words that may be recognised although no example sentence uses them (for example common
     * words of everyday speech); they share the unigram backoff mass with unseen domain words.
     */
    public ArpaLanguageModelBuilder addVocabulary(Collection<String> words) {
        for (String word : words) {
            if (!word.isBlank() && !word.equals(SENTENCE_START) && !word.equals(SENTENCE_END)) {
                extraVocabulary.add(word);
            }
        }
        return this;
    }

    /** The model as ARPA text. */
    public String build() {
        if (unigrams.isEmpty()) {
            throw new IllegalStateException("no sentences were added");
        }
        TreeSet<String> vocabulary = new TreeSet<>(extraVocabulary);
        unigrams.keySet().forEach(k -> vocabulary.add(k.get(0)));
        vocabulary.remove(SENTENCE_START);

        Map<List<String>, Successors> bigramHistories = successors(bigrams);
        Map<List<String>, Successors> trigramHistories = successors(trigrams);

        // unigrams: Witten-Bell interpolation with a uniform distribution over the vocabulary
        double tokenCount = unigrams.values().stream().mapToDouble(Double::doubleValue).sum();
        int typeCount = unigrams.size();
        double uniform = 1.0 / vocabulary.size();
        Map<String, Double> unigramProb = new TreeMap<>();
        for (String word : vocabulary) {
            double count = unigrams.getOrDefault(List.of(word), 0.0);
            unigramProb.put(word, (count + typeCount * uniform) / (tokenCount + typeCount));
        }

        Map<List<String>, Double> bigramProb = new TreeMap<>(ArpaLanguageModelBuilder::compare);
        bigrams.forEach((ngram, count) -> {
            Successors history = bigramHistories.get(ngram.subList(0, 1));
            double lower = unigramProb.get(ngram.get(1));
            bigramProb.put(ngram, (count + history.types * lower) / (history.tokens + history.types));
        });

        Map<List<String>, Double> trigramProb = new TreeMap<>(ArpaLanguageModelBuilder::compare);
        trigrams.forEach((ngram, count) -> {
            Successors history = trigramHistories.get(ngram.subList(0, 2));
            double lower = bigramProb.get(ngram.subList(1, 3));
            trigramProb.put(ngram, (count + history.types * lower) / (history.tokens + history.types));
        });

        StringBuilder arpa = new StringBuilder(64 * (vocabulary.size() + bigramProb.size() + trigramProb.size()));
        arpa.append("\\data\\\n");
        arpa.append("ngram 1=").append(vocabulary.size() + 1).append('\n');
        arpa.append("ngram 2=").append(bigramProb.size()).append('\n');
        arpa.append("ngram 3=").append(trigramProb.size()).append("\n\n");

        arpa.append("\\1-grams:\n");
        line(arpa, -99.0, List.of(SENTENCE_START), backoff(bigramHistories, List.of(SENTENCE_START)));
        unigramProb.forEach((word, p) -> line(arpa, Math.log10(p), List.of(word),
                word.equals(SENTENCE_END) ? null : backoff(bigramHistories, List.of(word))));

        arpa.append("\n\\2-grams:\n");
        bigramProb.forEach((ngram, p) -> line(arpa, Math.log10(p), ngram, backoffIfHistory(trigramHistories, ngram)));

        arpa.append("\n\\3-grams:\n");
        trigramProb.forEach((ngram, p) -> line(arpa, Math.log10(p), ngram, null));

        arpa.append("\n\\end\\\n");
        return arpa.toString();
    }

    private static Map<List<String>, Successors> successors(Map<List<String>, Double> ngrams) {
        Map<List<String>, Successors> histories = new HashMap<>();
        ngrams.forEach((ngram, count) -> {
            Successors s = histories.computeIfAbsent(ngram.subList(0, ngram.size() - 1), k -> new Successors());
            s.types++;
            s.tokens += count;
        });
        return histories;
    }

    /** Backoff weight T/(N+T) of a history; a word never seen as a history backs off with weight one. */
    private static Double backoff(Map<List<String>, Successors> histories, List<String> history) {
        Successors s = histories.get(history);
        return s == null ? 0.0 : Math.log10((double) s.types / (s.tokens + s.types));
    }

    private static Double backoffIfHistory(Map<List<String>, Successors> histories, List<String> history) {
        return histories.containsKey(history) ? backoff(histories, history) : null;
    }

    private static void line(StringBuilder arpa, double log10Prob, List<String> ngram, Double log10Backoff) {
        arpa.append(String.format(Locale.ROOT, "%.6f", log10Prob)).append('\t').append(String.join(" ", ngram));
        if (log10Backoff != null) {
            arpa.append('\t').append(String.format(Locale.ROOT, "%.6f", log10Backoff));
        }
        arpa.append('\n');
    }

    private static int compare(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static final class Successors {
        int types;
        double tokens;
    }
}
