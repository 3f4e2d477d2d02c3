package dev.ringback.agent.dialog;

import dev.ringback.agent.business.BusinessProfile;
import dev.ringback.agent.business.CatalogueService;
import dev.ringback.agent.language.Normalizer;
import dev.ringback.agent.language.Signal;
import dev.ringback.agent.language.Utterance;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Whether an emergency in a turn can be acted on at once. A thread that already says so, an explicit
 * "emergency"/"urgent", an emergency named the way the catalogue names one ("pipe burst", "water everywhere",
 * "smell gas") or two cues together count; a lone word ("burst" in "burst the morning", which was "Thursday
 * morning") or words the recogniser was unsure of, against a thread about something else, get one short
 * question first.
 */
final class UrgentCues {
    private static final Set<String> EXPLICIT = Set.of("emergency", "urgent", "urgently");
    /** Word confidence below which an urgent word is taken as a possible mishearing. */
    private static final double WORD_UNSURE_BELOW = 0.6;

    private final Set<String> emergencyPhrases = new HashSet<>();
    private final boolean threadUrgent;

    UrgentCues(BusinessProfile business, boolean threadUrgent) {
        for (CatalogueService s : business.services()) {
            if (s.emergency()) s.synonyms().forEach(syn -> emergencyPhrases.add(Normalizer.normalize(syn)));
        }
        this.threadUrgent = threadUrgent;
    }

    /** An emergency only the recogniser may have heard: check before acting on it. */
    boolean unsure(Reading r) {
        Utterance u = r.utterance();
        if (threadUrgent || !u.has(Signal.EMERGENCY)) return false;
        if (!clear(u)) return true;
        return u.urgentWords().stream().allMatch(w -> r.confidenceOf(w) < WORD_UNSURE_BELOW);
    }

    /** Said in so many words: explicit, a catalogue emergency, or more than one cue. */
    boolean clear(Utterance u) {
        List<String> words = u.urgentWords();
        if (words.stream().anyMatch(w -> EXPLICIT.contains(w) || emergencyPhrases.contains(w))) return true;
        return words.stream().distinct().count() >= 2;
    }
}
