package dev.ringback.speech.asr;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pronunciations of a chosen set of words, taken from the CMU dictionary inside sphinx4-data
 * plus the project's own additions. Keeping only the words the language model can produce makes
 * each decoder load a few hundred entries instead of 135,000.
 */
final class PronouncingDictionary {

    static final String CMUDICT_RESOURCE = "/edu/cmu/sphinx/models/en-us/cmudict-en-us.dict";
    static final String ADDITIONS_RESOURCE = "/dev/ringback/speech/asr/domain-pronunciations.dict";

    /** word -> dictionary lines ("word PH ON ES", "word(2) ..."). */
    private final Map<String, List<String>> entries;

    private PronouncingDictionary(Map<String, List<String>> entries) {
        this.entries = entries;
    }

    /** Reads the pronunciations of the given words; words without one are simply absent. */
    static PronouncingDictionary forWords(Set<String> words) {
        Map<String, List<String>> entries = new LinkedHashMap<>();
        read(CMUDICT_RESOURCE, words, entries);
        read(ADDITIONS_RESOURCE, words, entries);
        return new PronouncingDictionary(entries);
    }

    boolean contains(String word) {
        return entries.containsKey(word);
    }

    Set<String> words() {
        return entries.keySet();
    }

    /** The dictionary in Sphinx text format. */
    String text() {
        StringBuilder text = new StringBuilder();
        entries.values().forEach(lines -> lines.forEach(l -> text.append(l).append('\n')));
        return text.toString();
    }

    private static void read(String resource, Collection<String> wanted, Map<String, List<String>> into) {
        InputStream in = PronouncingDictionary.class.getResourceAsStream(resource);
        if (in == null) {
            throw new AsrUnavailableException("pronouncing dictionary " + resource + " is not on the class path");
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
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
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
