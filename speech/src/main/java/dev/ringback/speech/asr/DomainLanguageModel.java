package dev.ringback.speech.asr;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The phone-call language model: a trigram model of the committed domain corpus (what customers
 * say to a trades business), optionally widened with common everyday words, written as the
 * ARPA file ({@code .lm}, the suffix Sphinx4 dispatches on) and the matching small dictionary.
 */
record DomainLanguageModel(Path languageModel, Path dictionary, Set<String> vocabulary, Set<String> droppedWords) {

    static final String CORPUS_RESOURCE = "/dev/ringback/speech/asr/domain-corpus.txt";
    static final String GENERAL_WORDS_RESOURCE = "/dev/ringback/speech/asr/general-words.txt";

    private static final Logger log = LoggerFactory.getLogger(DomainLanguageModel.class);

    /** Bump when the way the model is built changes, so cached models are rebuilt. */
    private static final String BUILD_VERSION = "arpa-trigram-1";

    /**
     * The model of the committed corpus from {@code cacheDir} when it was built before from the same
     * sources (the subdirectory is named by a hash of them), else built and cached there. Scanning
     * the 135,000-word CMU dictionary is the slow part of building.
     */
    static DomainLanguageModel cached(Path cacheDir, boolean withGeneralWords) {
        String key = sourceHash(withGeneralWords);
        Path dir = cacheDir.resolve(key);
        Path lm = dir.resolve("domain.lm");
        Path dict = dir.resolve("domain.dict");
        Path droppedFile = dir.resolve("dropped.txt");
        try {
            if (Files.isRegularFile(lm) && Files.isRegularFile(dict) && Files.isRegularFile(droppedFile)) {
                Set<String> vocabulary = new TreeSet<>();
                for (String line : Files.readAllLines(dict, StandardCharsets.UTF_8)) {
                    String spelling = line.split(" ", 2)[0];
                    int variant = spelling.indexOf('(');
                    vocabulary.add(variant > 0 ? spelling.substring(0, variant) : spelling);
                }
                Set<String> dropped = new TreeSet<>(Files.readAllLines(droppedFile, StandardCharsets.UTF_8));
                dropped.remove("");
                return new DomainLanguageModel(lm, dict, Set.copyOf(vocabulary), Set.copyOf(dropped));
            }
            Files.createDirectories(cacheDir);
            // build beside the cache and move into place, so a concurrent start never reads half a model
            Path building = Files.createTempDirectory(cacheDir, key + ".building-");
            DomainLanguageModel built = write(building, withGeneralWords);
            Files.writeString(building.resolve("dropped.txt"), String.join("\n", built.droppedWords()), StandardCharsets.UTF_8);
            try {
                Files.move(building, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) {
                if (!Files.isDirectory(dir)) {
                    throw raced;
                }
                log.debug("another process cached the ASR language model first");
                deleteTree(building);
            }
            return new DomainLanguageModel(lm, dict, built.vocabulary(), built.droppedWords());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot cache the ASR language model in " + cacheDir, e);
        }
    }

    private static String sourceHash(boolean withGeneralWords) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            sha.update(BUILD_VERSION.getBytes(StandardCharsets.UTF_8));
            sha.update(resourceBytes(CORPUS_RESOURCE));
            sha.update(resourceBytes(PronouncingDictionary.ADDITIONS_RESOURCE));
            if (withGeneralWords) {
                sha.update(resourceBytes(GENERAL_WORDS_RESOURCE));
            }
            return "lm-" + java.util.HexFormat.of().formatHex(sha.digest(), 0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static byte[] resourceBytes(String resource) {
        try (InputStream in = DomainLanguageModel.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new AsrUnavailableException("resource " + resource + " is not on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Builds the model from the committed corpus into {@code dir}. */
    static DomainLanguageModel write(Path dir, boolean withGeneralWords) {
        List<String> corpus = lines(CORPUS_RESOURCE);
        List<String> general = withGeneralWords ? lines(GENERAL_WORDS_RESOURCE) : List.of();
        return write(dir, corpus, general);
    }

    /**
     * Builds a model from example sentences (one per entry) and extra vocabulary. Words without a
     * pronunciation are dropped: a sentence is split there, so no n-gram spans the gap.
     */
    static DomainLanguageModel write(Path dir, List<String> sentences, List<String> extraWords) {
        List<List<String>> tokenized = new ArrayList<>();
        Set<String> wanted = new TreeSet<>();
        for (String sentence : sentences) {
            List<String> words = Words.of(sentence);
            tokenized.add(words);
            wanted.addAll(words);
        }
        for (String word : extraWords) {
            wanted.addAll(Words.of(word));
        }
        PronouncingDictionary pronunciations = PronouncingDictionary.forWords(wanted);

        ArpaLanguageModelBuilder builder = new ArpaLanguageModelBuilder();
        Set<String> dropped = new TreeSet<>();
        for (List<String> words : tokenized) {
            List<String> run = new ArrayList<>();
            for (String word : words) {
                if (pronunciations.contains(word)) {
                    run.add(word);
                } else {
                    dropped.add(word);
                    builder.addSentence(run);
                    run = new ArrayList<>();
                }
            }
            builder.addSentence(run);
        }
        List<String> extra = new ArrayList<>();
        extraWords.forEach(w -> Words.of(w).stream().filter(pronunciations::contains).forEach(extra::add));
        builder.addVocabulary(extra);
        if (!dropped.isEmpty()) {
            log.warn("ASR language model: no pronunciation for {} (add them to {})", dropped, PronouncingDictionary.ADDITIONS_RESOURCE);
        }
        try {
            Files.createDirectories(dir);
            Path lm = dir.resolve("domain.lm");
            Path dict = dir.resolve("domain.dict");
            Files.writeString(lm, builder.build(), StandardCharsets.UTF_8);
            Files.writeString(dict, pronunciations.text(), StandardCharsets.UTF_8);
            return new DomainLanguageModel(lm, dict, Set.copyOf(pronunciations.words()), Set.copyOf(dropped));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the ASR language model into " + dir, e);
        }
    }

    /** Non-empty, non-comment lines of a class-path text resource. */
    static List<String> lines(String resource) {
        try (InputStream in = DomainLanguageModel.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new AsrUnavailableException("resource " + resource + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
