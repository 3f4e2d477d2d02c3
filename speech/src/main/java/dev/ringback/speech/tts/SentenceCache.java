package dev.ringback.speech.tts;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Bounded LRU of synthesised sentences (8 kHz PCM), shared by all calls. */
final class SentenceCache {

    private final int capacity;
    private final LinkedHashMap<String, short[]> entries;

    SentenceCache(int capacity) {
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, short[]> eldest) {
                return size() > SentenceCache.this.capacity;
            }
        };
    }

    /** A copy, so callers may keep or change it. */
    synchronized Optional<short[]> get(String sentence) {
        short[] pcm = entries.get(sentence);
        return pcm == null ? Optional.empty() : Optional.of(pcm.clone());
    }

    synchronized void put(String sentence, short[] pcm) {
        if (capacity > 0) {
            entries.put(sentence, pcm);
        }
    }
}
