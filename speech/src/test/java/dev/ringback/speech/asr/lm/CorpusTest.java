package dev.ringback.speech.asr.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.ringback.speech.asr.Expectation;
import dev.ringback.speech.asr.TelephoneSpeech;
import dev.ringback.speech.asr.Words;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusTest {

    @Test
    void aTemplateStandsForItsFillingsWeighingOneSentenceTogether() {
        Map<String, List<String>> slots = Corpus.slots("""
                pre = ~ | yeah
                fixture = tap | toilet
                place = under the {fixture} | in the laundry
                """);
        List<Corpus.Sentence> out = Corpus.expand("{pre} water is leaking {place}", slots);
        Set<String> texts = new HashSet<>();
        out.forEach(s -> texts.add(String.join(" ", s.words())));
        assertTrue(texts.contains("water is leaking in the laundry"), "an empty filling leaves nothing: " + texts);
        assertTrue(texts.contains("yeah water is leaking in the laundry"), texts.toString());
        assertTrue(texts.stream().anyMatch(t -> t.matches(".*under the (tap|toilet)")), "nested slots are filled: " + texts);
        assertTrue(texts.stream().noneMatch(t -> t.contains("{") || t.contains("fixture")), texts.toString());
        assertEquals(1.0, out.stream().mapToDouble(Corpus.Sentence::weight).sum(), 1e-9);
    }

    @Test
    void theHeldOutSetsAreNotInTheCorpus() throws Exception {
        Set<String> written = new HashSet<>(Corpus.load().writtenSentences());
        assertTrue(written.size() > 500, "corpus has " + written.size() + " written sentences");
        List<String> leaked = new ArrayList<>();
        for (String set : List.of("held-out", "held-out-new", "held-out-fresh", "out-of-corpus")) {
            for (String row : TelephoneSpeech.resourceLines("sets/" + set + ".tsv")) {
                String text = Words.normalize(row.split("\t")[1]);
                if (written.contains(text)) leaked.add(set + ": " + text);
            }
        }
        assertTrue(leaked.isEmpty(), "held-out sentences in the corpus:\n" + String.join("\n", leaked));
    }

    @Test
    void everyCorpusWordCanBePronouncedAndEveryExpectationHasItsModel(@TempDir Path cache) throws Exception {
        LanguageModels models = LanguageModels.cached(cache, Corpus.load(),
                new PronouncingDictionary.Source.Resource(PronouncingDictionary.SPHINX4_CMUDICT_RESOURCE), new LanguageModels.Settings(5, java.util.EnumSet.allOf(Expectation.Kind.class), false));
        assertEquals(Set.of(), models.droppedWords(), "corpus words without a pronunciation (add them to domain-pronunciations.dict)");
        for (Expectation.Kind kind : Expectation.Kind.values()) {
            assertTrue(Files.size(models.byExpectation().get(kind)) > 10_000, kind + " has a model");
        }
        assertTrue(Files.readString(models.dictionary()).contains("\narvo AA R V OW\n"), "project pronunciations are added");
        // built once: a second start reads the cache
        long t0 = System.nanoTime();
        LanguageModels again = LanguageModels.cached(cache, Corpus.load(),
                new PronouncingDictionary.Source.Resource(PronouncingDictionary.SPHINX4_CMUDICT_RESOURCE), new LanguageModels.Settings(5, java.util.EnumSet.allOf(Expectation.Kind.class), false));
        assertEquals(models.defaultModel(), again.defaultModel());
        assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "cached models are read, not rebuilt");
    }
}
