package dev.ringback.speech.asr.lm;

import dev.ringback.speech.asr.AsrUnavailableException;
import dev.ringback.speech.asr.Words;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What customers say to a trades business on the phone, as example sentences in sections, one per kind of
 * answer ({@code corpus/<section>.txt} on the class path). A line is a sentence, or a template whose
 * {@code {slot}}s are filled from {@code corpus/slots.txt} ({@code slot = one | two | ~}, {@code ~} for nothing); a template
 * stands for all its fillings, together weighing as much as one written sentence, so the language model
 * learns the word orders without the generated lines outweighing the written ones.
 */
public final class Corpus {

    /** The sections, one per kind of answer a dialog turn waits for. */
    public enum Section {
        OPEN("open"), WHEN("when"), YES_NO("yes-no"), CHOICE("choice"), ANYTHING_ELSE("anything-else"), NAME("name");

        final String file;

        Section(String file) {
            this.file = file;
        }
    }

    /** A sentence's words and how many times it counts. */
    public record Sentence(List<String> words, double weight) {
        public Sentence {
            words = List.copyOf(words);
        }
    }

    static final String DIR = "/dev/ringback/speech/asr/corpus/";
    private static final Pattern SLOT = Pattern.compile("\\{([a-z-]+)\\}");
    /** A slot filling that is nothing at all ("{pre} the tap is dripping" also stands for "the tap is dripping"). */
    private static final String EMPTY = "~";
    /** Fillings kept per template (picked with a fixed seed, so every build is the same). */
    private static final int MAX_FILLINGS = 300;

    private final Map<Section, List<Sentence>> sections;
    private final String hash;

    private Corpus(Map<Section, List<Sentence>> sections, String hash) {
        this.sections = sections;
        this.hash = hash;
    }

    /** The committed corpus. */
    public static Corpus load() {
        MessageDigest sha = sha256();
        Map<String, List<String>> slots = slots(text("slots.txt", sha));
        Map<Section, List<Sentence>> sections = new EnumMap<>(Section.class);
        for (Section s : Section.values()) {
            List<Sentence> sentences = new ArrayList<>();
            for (String line : lines(text(s.file + ".txt", sha))) sentences.addAll(expand(line, slots));
            sections.put(s, List.copyOf(sentences));
        }
        return new Corpus(sections, java.util.HexFormat.of().formatHex(sha.digest(), 0, 12));
    }

    public List<Sentence> section(Section section) {
        return sections.get(section);
    }

    /** Every sentence of every section. */
    public List<Sentence> all() {
        List<Sentence> all = new ArrayList<>();
        sections.values().forEach(all::addAll);
        return all;
    }

    /** A hash of the corpus files, for cache keys. */
    public String hash() {
        return hash;
    }

    /** The written (non-template) sentences of every section, normalised: to check held-out sets stay out of it. */
    public List<String> writtenSentences() {
        List<String> out = new ArrayList<>();
        for (List<Sentence> s : sections.values()) {
            for (Sentence sentence : s) if (sentence.weight() == 1.0) out.add(String.join(" ", sentence.words()));
        }
        return out;
    }

    /**
     * The fillings of one line: every combination when there are at most {@link #MAX_FILLINGS}, else that many
     * combinations drawn with a fixed seed. A filling that brings its own slots ({@code place-phrase = under the
     * {fixture}}) has them filled by a draw too.
     */
    static List<Sentence> expand(String line, Map<String, List<String>> slots) {
        List<String> names = slotNames(line);
        if (names.isEmpty()) return List.of(new Sentence(Words.of(line), 1.0));
        List<List<String>> values = new ArrayList<>();
        long combinations = 1;
        for (String name : names) {
            List<String> v = slots.get(name);
            if (v == null) throw new AsrUnavailableException("corpus template uses an unknown slot {" + name + "}: " + line);
            values.add(v);
            combinations = Math.min(Long.MAX_VALUE / 1000, combinations * v.size());
        }
        Random random = new Random(line.hashCode());
        java.util.Set<String> fillings = new java.util.LinkedHashSet<>();
        if (combinations <= MAX_FILLINGS) {
            for (long n = 0; n < combinations; n++) {
                long rest = n;
                String filled = line;
                for (int i = 0; i < names.size(); i++) {
                    List<String> v = values.get(i);
                    filled = fill(filled, names.get(i), v.get((int) (rest % v.size())));
                    rest /= v.size();
                }
                fillings.add(nested(filled, slots, random, 0));
            }
        } else {
            for (int tries = 0; fillings.size() < MAX_FILLINGS && tries < 4 * MAX_FILLINGS; tries++) {
                String filled = line;
                for (int i = 0; i < names.size(); i++) {
                    List<String> v = values.get(i);
                    filled = fill(filled, names.get(i), v.get(random.nextInt(v.size())));
                }
                fillings.add(nested(filled, slots, random, 0));
            }
        }
        double weight = 1.0 / fillings.size();
        List<Sentence> out = new ArrayList<>();
        for (String f : fillings) out.add(new Sentence(Words.of(f), weight));
        return out;
    }

    private static String nested(String text, Map<String, List<String>> slots, Random random, int depth) {
        List<String> names = slotNames(text);
        if (names.isEmpty()) return text;
        if (depth > 3) throw new AsrUnavailableException("corpus slots nest too deep: " + text);
        String filled = text;
        for (String name : names) {
            List<String> v = slots.get(name);
            if (v == null) throw new AsrUnavailableException("corpus slot filling uses an unknown slot {" + name + "}: " + text);
            filled = fill(filled, name, v.get(random.nextInt(v.size())));
        }
        return nested(filled, slots, random, depth + 1);
    }

    private static List<String> slotNames(String text) {
        Matcher m = SLOT.matcher(text);
        List<String> names = new ArrayList<>();
        while (m.find()) names.add(m.group(1));
        return names;
    }

    private static String fill(String text, String slot, String value) {
        return text.replaceFirst(Pattern.quote("{" + slot + "}"), Matcher.quoteReplacement(value));
    }

    static Map<String, List<String>> slots(String text) {
        Map<String, List<String>> slots = new LinkedHashMap<>();
        for (String line : lines(text)) {
            int eq = line.indexOf('=');
            if (eq < 0) throw new AsrUnavailableException("corpus slot line without '=': " + line);
            List<String> values = new ArrayList<>();
            for (String v : line.substring(eq + 1).split("\\|")) {
                if (v.isBlank()) continue;
                values.add(v.strip().equals(EMPTY) ? "" : v.strip());
            }
            slots.put(line.substring(0, eq).strip(), values);
        }
        return slots;
    }

    private static List<String> lines(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    private static String text(String file, MessageDigest sha) {
        try (InputStream in = Corpus.class.getResourceAsStream(DIR + file)) {
            if (in == null) throw new AsrUnavailableException("corpus file " + DIR + file + " is not on the class path");
            byte[] bytes = in.readAllBytes();
            sha.update(file.getBytes(StandardCharsets.UTF_8));
            sha.update(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AsrUnavailableException("cannot read corpus file " + file, e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
