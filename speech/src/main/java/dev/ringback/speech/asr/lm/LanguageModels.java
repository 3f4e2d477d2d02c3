package dev.ringback.speech.asr.lm;

import dev.ringback.speech.asr.AsrUnavailableException;
import dev.ringback.speech.asr.Expectation;
import dev.ringback.speech.asr.Words;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The recognisers' language models, built from the committed {@link Corpus} and cached (keyed by a hash of
 * the corpus, the dictionary and the settings): the default model weighs every section alike; the model for
 * an {@link Expectation.Kind} (a PocketSphinx named search) is the same corpus with that kind's section
 * counted {@code expectationWeight} times, so the expected answers are heard first while anything else a
 * caller says is still in the model. One dictionary serves them all. Files end in {@code .lm}: Sphinx4
 * picks its ARPA reader by that suffix.
 *
 * @param dictionary     the pronouncing dictionary every search uses
 * @param defaultModel   the search for no particular expectation
 * @param byExpectation  one model per expectation kind
 * @param droppedWords   corpus words without a pronunciation (left out of every model)
 */
public record LanguageModels(Path dictionary, Path defaultModel, Map<Expectation.Kind, Path> byExpectation, Set<String> droppedWords) {

    private static final Logger log = LoggerFactory.getLogger(LanguageModels.class);
    private static final String BUILD_VERSION = "searches-1";
    static final String GENERAL_WORDS_RESOURCE = "/dev/ringback/speech/asr/general-words.txt";

    /**
     * @param expectationWeight how many times the expected kind's sentences count in its search (1: no per-turn searches)
     * @param ownModels         the kinds that get a model of their own; the others use the default model
     * @param generalWords      add the commonest English words as unigrams, so words the corpus never saw can still be heard
     */
    public record Settings(double expectationWeight, Set<Expectation.Kind> ownModels, boolean generalWords) {
        public Settings {
            if (!(expectationWeight >= 1)) throw new IllegalArgumentException("expectationWeight must be at least 1, was " + expectationWeight);
            ownModels = expectationWeight == 1 || ownModels.isEmpty() ? Set.of()
                    : java.util.Collections.unmodifiableSet(java.util.EnumSet.copyOf(ownModels));
        }

        /** One model for everything. */
        public static Settings single(boolean generalWords) {
            return new Settings(1, Set.of(), generalWords);
        }

        public boolean hasOwnModel(Expectation.Kind kind) {
            return ownModels.contains(kind);
        }
    }

    private static Corpus.Section sectionOf(Expectation.Kind kind) {
        return switch (kind) {
            case OPEN -> Corpus.Section.OPEN;
            case WHEN -> Corpus.Section.WHEN;
            case YES_NO -> Corpus.Section.YES_NO;
            case NAME -> Corpus.Section.NAME;
            case CHOICE -> Corpus.Section.CHOICE;
            case ANYTHING_ELSE -> Corpus.Section.ANYTHING_ELSE;
        };
    }

    /** The models for this corpus, dictionary and settings from {@code cacheDir}, built there first when missing. */
    public static LanguageModels cached(Path cacheDir, Corpus corpus, PronouncingDictionary.Source cmuDictionary, Settings settings) {
        String key = key(corpus, cmuDictionary, settings);
        Path dir = cacheDir.resolve(key);
        try {
            if (!Files.isRegularFile(dir.resolve("complete"))) {
                Files.createDirectories(cacheDir);
                // built beside the cache and moved into place, so a concurrent start never reads half a model
                Path building = Files.createTempDirectory(cacheDir, key + ".building-");
                write(building, corpus, cmuDictionary, settings);
                try {
                    Files.move(building, dir, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException raced) {
                    if (!Files.isRegularFile(dir.resolve("complete"))) throw raced;
                    deleteTree(building);
                }
            }
            Map<Expectation.Kind, Path> models = new EnumMap<>(Expectation.Kind.class);
            for (Expectation.Kind kind : Expectation.Kind.values()) {
                models.put(kind, settings.hasOwnModel(kind) ? dir.resolve(fileName(kind)) : dir.resolve("default.lm"));
            }
            Set<String> dropped = new TreeSet<>(Files.readAllLines(dir.resolve("dropped.txt"), StandardCharsets.UTF_8));
            dropped.remove("");
            return new LanguageModels(dir.resolve("searches.dict"), dir.resolve("default.lm"), models, Set.copyOf(dropped));
        } catch (IOException e) {
            throw new AsrUnavailableException("cannot build the ASR language models in " + cacheDir + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path dir, Corpus corpus, PronouncingDictionary.Source cmuDictionary, Settings settings) throws IOException {
        List<Corpus.Sentence> all = corpus.all();
        Set<String> wanted = new TreeSet<>();
        all.forEach(s -> wanted.addAll(s.words()));
        List<String> general = settings.generalWords() ? generalWords() : List.of();
        wanted.addAll(general);
        PronouncingDictionary pronunciations = PronouncingDictionary.forWords(wanted, cmuDictionary);
        Set<String> dropped = new TreeSet<>();
        for (String w : wanted) if (!pronunciations.contains(w)) dropped.add(w);
        if (!dropped.isEmpty()) {
            log.warn("ASR language model: no pronunciation for {} (add them to {})", dropped, PronouncingDictionary.ADDITIONS_RESOURCE);
        }
        List<String> extra = general.stream().filter(pronunciations::contains).toList();
        Files.writeString(dir.resolve("default.lm"), model(all, List.of(), 1, extra, pronunciations), StandardCharsets.UTF_8);
        for (Expectation.Kind kind : Expectation.Kind.values()) {
            if (!settings.hasOwnModel(kind)) continue;
            List<Corpus.Sentence> expected = corpus.section(sectionOf(kind));
            Files.writeString(dir.resolve(fileName(kind)), model(all, expected, settings.expectationWeight() - 1, extra, pronunciations),
                    StandardCharsets.UTF_8);
        }
        Files.writeString(dir.resolve("searches.dict"), pronunciations.text(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("dropped.txt"), String.join("\n", dropped), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("complete"), BUILD_VERSION, StandardCharsets.UTF_8);
    }

    /** An ARPA model of every sentence, the expected ones counted {@code extraWeight} times more; unpronounceable words split a sentence. */
    private static String model(List<Corpus.Sentence> all, List<Corpus.Sentence> expected, double extraWeight, List<String> extraWords,
                                PronouncingDictionary pronunciations) {
        ArpaLanguageModelBuilder builder = new ArpaLanguageModelBuilder();
        for (Corpus.Sentence s : all) add(builder, s.words(), s.weight(), pronunciations);
        if (extraWeight > 0) for (Corpus.Sentence s : expected) add(builder, s.words(), s.weight() * extraWeight, pronunciations);
        builder.addVocabulary(extraWords);
        return builder.build();
    }

    private static void add(ArpaLanguageModelBuilder builder, List<String> words, double weight, PronouncingDictionary pronunciations) {
        List<String> run = new ArrayList<>();
        for (String w : words) {
            if (pronunciations.contains(w)) {
                run.add(w);
            } else {
                builder.addSentence(run, weight);
                run = new ArrayList<>();
            }
        }
        builder.addSentence(run, weight);
    }

    private static String fileName(Expectation.Kind kind) {
        return kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ".lm";
    }

    private static List<String> generalWords() {
        try (InputStream in = LanguageModels.class.getResourceAsStream(GENERAL_WORDS_RESOURCE)) {
            if (in == null) throw new AsrUnavailableException("resource " + GENERAL_WORDS_RESOURCE + " is not on the class path");
            List<String> words = new ArrayList<>();
            new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(l -> words.addAll(Words.of(l)));
            return words;
        } catch (IOException e) {
            throw new AsrUnavailableException("cannot read " + GENERAL_WORDS_RESOURCE, e);
        }
    }

    private static String key(Corpus corpus, PronouncingDictionary.Source cmuDictionary, Settings settings) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((BUILD_VERSION + corpus.hash() + settings + cmuDictionary.fingerprint()).getBytes(StandardCharsets.UTF_8));
            try (InputStream in = LanguageModels.class.getResourceAsStream(PronouncingDictionary.ADDITIONS_RESOURCE)) {
                if (in != null) sha.update(in.readAllBytes());
            }
            if (settings.generalWords()) {
                try (InputStream in = LanguageModels.class.getResourceAsStream(GENERAL_WORDS_RESOURCE)) {
                    if (in != null) sha.update(in.readAllBytes());
                }
            }
            return "lm-" + HexFormat.of().formatHex(sha.digest(), 0, 12);
        } catch (IOException e) {
            throw new AsrUnavailableException("cannot read " + cmuDictionary.name() + ": " + e.getMessage(), e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
