package dev.ringback.agent.language;

import dev.ringback.agent.business.CatalogueService;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds catalogue services in normalised text through their synonyms (a plural "s" allowed). */
public final class ServiceMatcher {
    /** One synonym found: which service, where. */
    public record Hit(CatalogueService service, String synonym, int start, int end) {}

    private record Entry(CatalogueService service, String synonym, Pattern pattern) {}

    private final List<Entry> entries = new ArrayList<>();

    public ServiceMatcher(List<CatalogueService> catalogue) {
        for (CatalogueService s : catalogue) {
            for (String synonym : s.synonyms()) {
                String norm = Normalizer.normalize(synonym);
                entries.add(new Entry(s, synonym, Pattern.compile("\\b" + norm.replace(" ", "\\s+") + "s?\\b")));
            }
        }
    }

    /** Every hit, earliest first; at one position the longest synonym wins and overlapping hits are dropped. */
    public List<Hit> find(String normalized) {
        List<Hit> all = new ArrayList<>();
        for (Entry e : entries) {
            Matcher m = e.pattern().matcher(normalized);
            while (m.find()) all.add(new Hit(e.service(), e.synonym(), m.start(), m.end()));
        }
        all.sort(Comparator.comparingInt(Hit::start).thenComparing(Comparator.comparingInt((Hit h) -> h.end() - h.start()).reversed()));
        List<Hit> kept = new ArrayList<>();
        int covered = -1;
        for (Hit h : all) {
            if (h.start() >= covered) {
                kept.add(h);
                covered = h.end();
            }
        }
        return kept;
    }
}
