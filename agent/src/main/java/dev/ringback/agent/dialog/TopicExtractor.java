package dev.ringback.agent.dialog;

import dev.ringback.agent.business.CatalogueService;
import dev.ringback.agent.language.Normalizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Lifts the topic out of the customer's SMS as a short noun phrase made only of their words: the catalogue
 * synonym, the modifiers before it ("kitchen", "Friday's"), nouns after it ("job", "system") and a short
 * description that follows ("that keeps running", "under the kitchen sink", "coming tomorrow").
 * "our"/"my" become "your"; nothing else is added except "the" or "that".
 */
public final class TopicExtractor {
    private static final Set<String> DETERMINERS = Set.of("the", "a", "an", "our", "my", "this", "your", "their");
    private static final Set<String> NOT_MODIFIERS = Set.of("to", "i", "we", "you", "it", "is", "are", "was", "and", "but", "or",
            "about", "with", "for", "of", "hi", "hey", "hello", "can", "could", "please", "pls", "need", "needs", "want", "cancel",
            "replace", "fix", "fixed", "get", "got", "have", "has", "ive", "that", "call", "me", "re", "just", "so", "if", "when",
            "how", "much", "what", "some", "any", "no", "not", "there", "at", "in", "on", "from", "up", "out", "again", "also");
    private static final Set<String> HEAD_NOUNS = Set.of("system", "job", "guy", "heater", "pipe", "unit", "cistern", "drain",
            "tap", "toilet", "sink", "booking", "appointment", "leak", "bowl", "seat", "plumber", "visit", "service", "repair");
    private static final Set<String> LINKING = Set.of("keeps", "kept", "is", "isnt", "was", "has", "hasnt", "wont", "won't", "isn't",
            "hasn't", "doesnt", "doesn't", "seems");
    private static final Set<String> PREPOSITIONS = Set.of("under", "in", "behind", "near", "outside", "inside", "upstairs", "downstairs", "around", "by");
    private static final Set<String> TEMPORAL = Set.of("last", "yesterday", "today", "tomorrow", "this", "next");
    private static final Set<String> STOPS = Set.of("and", "but", "so", "can", "could", "please", "pls", "because", "cause", "call",
            "since", "which", "who", "i", "we");
    private static final Set<String> DANGLING = Set.of("a", "an", "the", "in", "of", "to", "for", "with", "at", "on", "my", "our", "your", "and",
            "from", "by", "under", "near");
    private static final Set<String> CLAUSE_AUXILIARIES = Set.of("can", "could", "think", "just", "really", "definitely", "still");
    private static final Set<String> PRIVATE = Set.of("number", "phone", "mobile", "name", "address", "email", "details");

    private final List<CatalogueService> catalogue;

    public TopicExtractor(List<CatalogueService> catalogue) {
        this.catalogue = catalogue;
    }

    /** From the customer's messages, latest first; empty when none names a topic. */
    public Optional<Topic> extract(List<String> inboundTexts) {
        for (int i = inboundTexts.size() - 1; i >= 0; i--) {
            Optional<Topic> t = fromCatalogue(words(inboundTexts.get(i)));
            if (t.isPresent()) return t;
        }
        for (int i = inboundTexts.size() - 1; i >= 0; i--) {
            Optional<Topic> t = fromPossessive(words(inboundTexts.get(i)));
            if (t.isPresent()) return t;
        }
        return Optional.empty();
    }

    /** A word as written, its comparable form, and whether a clause ends after it. */
    private record Word(String text, String key, boolean boundaryAfter, boolean possessive) {}

    private static List<Word> words(String text) {
        List<Word> words = new ArrayList<>();
        String[] raw = text.replace('\u2019', '\'').split("\\s+");
        for (int i = 0; i < raw.length; i++) {
            String r = raw[i];
            String core = r.replaceAll("^[^\\p{L}\\p{N}]+|[^\\p{L}\\p{N}']+$", "").replaceAll("'+$", "");
            if (core.isEmpty()) {
                if (!words.isEmpty()) markBoundary(words);
                continue;
            }
            boolean boundary = !r.endsWith(core) || (i + 1 < raw.length && raw[i + 1].matches("[-–—]+"));
            String lower = core.toLowerCase(Locale.ROOT);
            boolean possessive = lower.endsWith("'s");
            String key = Normalizer.normalize(possessive ? lower.substring(0, lower.length() - 2) : lower);
            words.add(new Word(core, key, boundary, possessive));
        }
        return words;
    }

    private static void markBoundary(List<Word> words) {
        Word last = words.remove(words.size() - 1);
        words.add(new Word(last.text(), last.key(), true, last.possessive()));
    }

    private Optional<Topic> fromCatalogue(List<Word> words) {
        int bestStart = Integer.MAX_VALUE;
        int bestLength = 0;
        CatalogueService bestService = null;
        for (CatalogueService s : catalogue) {
            for (String synonym : s.synonyms()) {
                String[] parts = Normalizer.normalize(synonym).split(" ");
                for (int i = 0; i + parts.length <= words.size(); i++) {
                    if (matches(words, i, parts) && (i < bestStart || (i == bestStart && parts.length > bestLength))) {
                        bestStart = i;
                        bestLength = parts.length;
                        bestService = s;
                    }
                }
            }
        }
        if (bestService == null) return Optional.empty();
        int start = bestStart;
        int end = bestStart + bestLength;
        String mention = clause(words, start, end).orElseGet(() -> "about " + phrase(words, start, end));
        return Optional.of(new Topic(mention, Optional.of(bestService.id())));
    }

    private static boolean matches(List<Word> words, int at, String[] parts) {
        for (int k = 0; k < parts.length; k++) {
            String key = words.get(at + k).key();
            if (!(key.equals(parts[k]) || key.equals(parts[k] + "s"))) return false;
            if (k < parts.length - 1 && words.get(at + k).boundaryAfter()) return false;
        }
        return true;
    }

    private Optional<Topic> fromPossessive(List<Word> words) {
        for (int i = 0; i + 1 < words.size(); i++) {
            String k = words.get(i).key();
            if ((k.equals("my") || k.equals("our")) && !words.get(i).boundaryAfter()) {
                Word noun = words.get(i + 1);
                if (PRIVATE.contains(noun.key()) || NOT_MODIFIERS.contains(noun.key()) || noun.key().isEmpty()) continue;
                return Optional.of(new Topic("about " + phrase(words, i + 1, i + 2), Optional.empty()));
            }
        }
        return Optional.empty();
    }

    /**
     * When the match is what the customer does ("I can smell gas"), a noun phrase would be wrong: the
     * clause is kept and turned to the second person ("that you can smell gas near the heater").
     */
    private static Optional<String> clause(List<Word> words, int start, int end) {
        int subject = -1;
        for (int i = start - 1; i >= 0 && start - i <= 3; i--) {
            Word w = words.get(i);
            if (w.boundaryAfter()) break;
            if (w.key().equals("i") || w.key().equals("we")) {
                subject = i;
                break;
            }
            if (!CLAUSE_AUXILIARIES.contains(w.key())) break;
        }
        if (subject < 0) return Optional.empty();
        List<String> out = new ArrayList<>(List.of("that", "you"));
        for (int i = subject + 1; i < end; i++) out.add(display(words.get(i), false));
        Word last = words.get(end - 1);
        if (!last.boundaryAfter() && end < words.size() && PREPOSITIONS.contains(words.get(end).key())) addPlace(words, end, out);
        return Optional.of(String.join(" ", out));
    }

    private static String phrase(List<Word> words, int start, int end) {
        // modifiers before the match, up to a determiner
        int from = start;
        String determiner = null;
        while (from > 0 && start - from < 2) {
            Word prev = words.get(from - 1);
            if (prev.boundaryAfter()) break;
            if (DETERMINERS.contains(prev.key())) {
                determiner = prev.key();
                break;
            }
            if (NOT_MODIFIERS.contains(prev.key()) || !prev.key().matches("[a-z]+")) break;
            from--;
            if (prev.possessive()) break;
        }
        int to = end;
        while (to < words.size() && to - end < 2 && !words.get(to - 1).boundaryAfter() && HEAD_NOUNS.contains(words.get(to).key())) to++;
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) out.add(display(words.get(i), i == 0));
        // a short description after the noun phrase, in their words
        Word last = words.get(to - 1);
        if (last.possessive() && to < words.size()) {
            String head = out.remove(out.size() - 1);
            out.add(head.substring(0, head.length() - 2));
            out.add("that's");
            addUntilStop(words, to, 2, out);
        } else if (to < words.size() && !last.boundaryAfter()) {
            Word next = words.get(to);
            if (LINKING.contains(next.key())) {
                out.add("that");
                addUntilStop(words, to, 5, out);
            } else if (next.key().endsWith("ing") && next.key().length() > 4) {
                addUntilStop(words, to, 2, out);
            } else if (PREPOSITIONS.contains(next.key())) {
                addPlace(words, to, out);
            } else if (TEMPORAL.contains(next.key())) {
                addUntilStop(words, to, 2, out);
            }
        }
        boolean bare = words.get(from).possessive() || words.get(from).key().equals("no");
        String lead = determiner == null ? (bare ? "" : "the ")
                : switch (determiner) {
                    case "our", "my", "your" -> "your ";
                    case "a", "an" -> determiner + " ";
                    default -> "the ";
                };
        return lead + String.join(" ", out);
    }

    /** Adds words up to a clause end, a stop word or the limit, then drops a dangling "a", "the", "in"... */
    private static void addUntilStop(List<Word> words, int from, int max, List<String> out) {
        int added = 0;
        for (int i = from; i < words.size() && i - from < max; i++) {
            Word w = words.get(i);
            if (STOPS.contains(w.key()) || PRIVATE.contains(w.key())) break;
            out.add(display(w, false));
            added++;
            if (w.boundaryAfter()) break;
        }
        while (added > 0 && DANGLING.contains(out.get(out.size() - 1).toLowerCase(Locale.ROOT))) {
            out.remove(out.size() - 1);
            added--;
        }
    }

    /** "under the kitchen sink", "in the laundry": a preposition, a determiner and up to three nouns, no verbs. */
    private static void addPlace(List<Word> words, int from, List<String> out) {
        List<String> place = new ArrayList<>();
        place.add(display(words.get(from), false));
        int nouns = 0;
        for (int i = from + 1; i < words.size() && nouns < 3 && !words.get(i - 1).boundaryAfter(); i++) {
            Word w = words.get(i);
            boolean determiner = DETERMINERS.contains(w.key());
            if (determiner && place.size() > 1) break;
            if (!determiner && (STOPS.contains(w.key()) || LINKING.contains(w.key()) || NOT_MODIFIERS.contains(w.key())
                    || w.key().endsWith("ed") || w.key().endsWith("ing") || !w.key().matches("[a-z]+"))) break;
            place.add(determiner && (w.key().equals("our") || w.key().equals("my")) ? "your" : display(w, false));
            if (!determiner) nouns++;
        }
        if (nouns > 0) out.addAll(place);
    }

    /** Lower-cases a sentence-initial word unless it is a day name or "I". */
    private static String display(Word w, boolean sentenceStart) {
        if (!sentenceStart) return w.text();
        String lower = w.text().toLowerCase(Locale.ROOT);
        return lower.matches("(monday|tuesday|wednesday|thursday|friday|saturday|sunday).*") ? w.text() : lower;
    }
}
