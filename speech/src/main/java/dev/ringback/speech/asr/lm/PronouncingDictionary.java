package dev.ringback.speech.asr.lm;

import dev.ringback.speech.asr.AsrUnavailableException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pronunciations of a chosen set of words, taken from a CMU pronouncing dictionary (the one in
 * sphinx4-data, or the one beside PocketSphinx's acoustic model) plus the project's own additions.
 * Keeping only the words the language model can produce makes each decoder load a few thousand
 * entries instead of 135,000.
 */
public final class PronouncingDictionary {

    /** The CMU dictionary inside sphinx4-data, on the class path. */
    public static final String SPHINX4_CMUDICT_RESOURCE = "/edu/cmu/sphinx/models/en-us/cmudict-en-us.dict";
    /** Words the CMU dictionary lacks (Australian words, trade terms), in the same format. */
    public static final String ADDITIONS_RESOURCE = "/dev/ringback/speech/asr/domain-pronunciations.dict";

    /** Where a dictionary's text comes from: a class-path resource or a file. */
    public sealed interface Source {
        InputStream open() throws IOException;

        /** A name for messages. */
        String name();

        /** Changes when the dictionary's content may have changed (for cache keys). */
        String fingerprint() throws IOException;

        record Resource(String path) implements Source {
            @Override
            public InputStream open() throws IOException {
                InputStream in = PronouncingDictionary.class.getResourceAsStream(path);
                if (in == null) throw new IOException("resource " + path + " is not on the class path");
                return in;
            }

            @Override
            public String name() {
                return "resource:" + path;
            }

            @Override
            public String fingerprint() {
                return name(); // a resource changes only with the jar, whose other resources are hashed already
            }
        }

        record File(Path path) implements Source {
            @Override
            public InputStream open() throws IOException {
                return Files.newInputStream(path);
            }

            @Override
            public String name() {
                return path.toAbsolutePath().toString();
            }

            @Override
            public String fingerprint() throws IOException {
                return name() + ":" + Files.size(path) + ":" + Files.getLastModifiedTime(path);
            }
        }
    }

    /** word -> dictionary lines ("word PH ON ES", "word(2) ..."). */
    private final Map<String, List<String>> entries;

    private PronouncingDictionary(Map<String, List<String>> entries) {
        this.entries = entries;
    }

    /** The given words' pronunciations from {@code base} and the project's additions; words without one are absent. */
    public static PronouncingDictionary forWords(Set<String> words, Source base) {
        Map<String, List<String>> entries = new LinkedHashMap<>();
        read(base, words, entries);
        read(new Source.Resource(ADDITIONS_RESOURCE), words, entries);
        return new PronouncingDictionary(entries);
    }

    public boolean contains(String word) {
        return entries.containsKey(word);
    }

    public Set<String> words() {
        return entries.keySet();
    }

    /** The dictionary in Sphinx text format. */
    public String text() {
        StringBuilder text = new StringBuilder();
        entries.values().forEach(lines -> lines.forEach(l -> text.append(l).append('\n')));
        return text.toString();
    }

    private static void read(Source source, Collection<String> wanted, Map<String, List<String>> into) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(source.open(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                int space = line.indexOf(' ');
                if (space <= 0 || line.startsWith("#")) {
                    continue;
                }
                String spelling = line.substring(0, space);
                int variant = spelling.indexOf('(');
                String word = variant > 0 ? spelling.substring(0, variant) : spelling;
                if (wanted.contains(word)) {
                    into.computeIfAbsent(word, w -> new ArrayList<>()).add(line.trim());
                }
            }
        } catch (IOException e) {
            throw new AsrUnavailableException("pronouncing dictionary " + source.name() + " cannot be read: " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new AsrUnavailableException("pronouncing dictionary " + source.name() + " cannot be read", e);
        }
    }
}
