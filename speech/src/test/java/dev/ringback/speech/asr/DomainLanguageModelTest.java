package dev.ringback.speech.asr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DomainLanguageModelTest {

    @Test
    void theCommittedCorpusIsLargeAndEveryWordCanBePronounced(@TempDir Path dir) throws Exception {
        List<String> corpus = DomainLanguageModel.lines(DomainLanguageModel.CORPUS_RESOURCE);
        assertTrue(corpus.size() >= 300, "corpus has " + corpus.size() + " sentences");
        DomainLanguageModel model = DomainLanguageModel.write(dir, true);
        assertEquals(Set.of(), model.droppedWords(), "corpus words without a pronunciation");
        assertTrue(model.languageModel().getFileName().toString().endsWith(".lm"), "Sphinx4 picks the ARPA reader by the .lm suffix");
        assertTrue(Files.readString(model.dictionary()).contains("\ndunny D AH N IY\n"), "project pronunciations are added");
        assertTrue(model.vocabulary().containsAll(Set.of("thursday", "cancel", "invoice", "pouring", "three", "people")));
    }

    @Test
    void theCorpusContainsEveryScenarioCustomerLine() throws Exception {
        Set<String> corpus = Set.copyOf(DomainLanguageModel.lines(DomainLanguageModel.CORPUS_RESOURCE).stream().map(Words::normalize).toList());
        for (TelephoneSpeech.Line line : TelephoneSpeech.scenarioLines()) {
            assertTrue(corpus.contains(Words.normalize(line.text())), line.text());
        }
        for (String heldOut : TelephoneSpeech.resourceLines("held-out-lines.txt")) {
            assertTrue(!corpus.contains(Words.normalize(heldOut)), "held-out line is in the corpus: " + heldOut);
        }
    }

    @Test
    void wordsWithoutPronunciationSplitTheSentenceAndAreReported(@TempDir Path dir) throws Exception {
        DomainLanguageModel model = DomainLanguageModel.write(dir, List.of("the zzqxv toilet is blocked"), List.of());
        assertEquals(Set.of("zzqxv"), model.droppedWords());
        String arpa = Files.readString(model.languageModel());
        assertTrue(arpa.contains("\t<s> toilet"), "the words after the gap start a sentence");
        assertTrue(!arpa.contains("zzqxv"));
    }
}
