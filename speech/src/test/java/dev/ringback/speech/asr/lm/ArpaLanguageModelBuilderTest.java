package dev.ringback.speech.asr.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.ringback.speech.asr.Words;

import org.junit.jupiter.api.Test;

class ArpaLanguageModelBuilderTest {

    /** An ARPA model read back, with the standard backoff rule for unseen n-grams. */
    private static final class Arpa {
        final Map<List<String>, double[]> entries = new HashMap<>();
        final Map<Integer, Integer> declared = new HashMap<>();
        final List<String> vocabulary = new ArrayList<>();

        Arpa(String text) {
            int order = 0;
            for (String line : text.split("\n")) {
                if (line.startsWith("ngram ")) {
                    String[] kv = line.substring(6).split("=");
                    declared.put(Integer.parseInt(kv[0]), Integer.parseInt(kv[1]));
                } else if (line.matches("\\\\\\d-grams:")) {
                    order = line.charAt(1) - '0';
                } else if (order > 0 && !line.isBlank() && !line.startsWith("\\")) {
                    String[] f = line.split("\t");
                    List<String> ngram = List.of(f[1].split(" "));
                    assertEquals(order, ngram.size(), line);
                    entries.put(ngram, new double[] {Double.parseDouble(f[0]), f.length > 2 ? Double.parseDouble(f[2]) : 0});
                    if (order == 1 && !ngram.get(0).equals("<s>")) {
                        vocabulary.add(ngram.get(0));
                    }
                }
            }
        }

        long count(int order) {
            return entries.keySet().stream().filter(k -> k.size() == order).count();
        }

        double log10Prob(List<String> history, String word) {
            List<String> ngram = new ArrayList<>(history);
            ngram.add(word);
            double[] e = entries.get(ngram);
            if (e != null) {
                return e[0];
            }
            double[] h = entries.get(history);
            return (h == null ? 0 : h[1]) + log10Prob(history.subList(1, history.size()), word);
        }

        double total(List<String> history) {
            return vocabulary.stream().mapToDouble(w -> Math.pow(10, log10Prob(history, w))).sum();
        }
    }

    private static String model() {
        return new ArpaLanguageModelBuilder()
                .addSentence(Words.of("could someone come out on thursday morning"))
                .addSentence(Words.of("could someone come tomorrow"))
                .addSentence(Words.of("yes that works"))
                .addSentence(Words.of("no that's everything thanks"))
                .addSentence(Words.of("yes thanks"))
                .addVocabulary(List.of("people", "water"))
                .build();
    }

    @Test
    void everyHistoryDistributesExactlyOneUnitOfProbability() {
        Arpa arpa = new Arpa(model());
        assertEquals(1.0, arpa.total(List.of()), 1e-4, "unigrams");
        for (List<String> ngram : arpa.entries.keySet()) {
            if (ngram.size() < 3 && !ngram.get(ngram.size() - 1).equals("</s>")) {
                assertEquals(1.0, arpa.total(ngram), 1e-4, "after " + ngram);
            }
        }
    }

    @Test
    void headerCountsMatchTheSections() {
        Arpa arpa = new Arpa(model());
        for (int order = 1; order <= 3; order++) {
            assertEquals(arpa.declared.get(order).longValue(), arpa.count(order), "order " + order);
        }
    }

    @Test
    void seenContinuationsAreLikelierThanUnseenOnes() {
        Arpa arpa = new Arpa(model());
        assertTrue(arpa.log10Prob(List.of("could", "someone"), "come") > arpa.log10Prob(List.of("could", "someone"), "thanks"));
        assertTrue(arpa.log10Prob(List.of("<s>"), "yes") > arpa.log10Prob(List.of("<s>"), "water"));
        assertTrue(arpa.vocabulary.contains("water"), "extra vocabulary is in the model");
    }

    @Test
    void anEmptyModelIsRefused() {
        assertThrows(IllegalStateException.class, () -> new ArpaLanguageModelBuilder().build());
    }
}
