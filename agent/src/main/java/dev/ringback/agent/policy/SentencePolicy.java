package dev.ringback.agent.policy;

import dev.ringback.agent.business.CatalogueService;
import dev.ringback.agent.language.Normalizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The guardrail every sentence passes before it is spoken. Patterns run over the sentence as written and
 * in normalised form; scope is checked against what the customer said (SMS and call) and their job records.
 */
public final class SentencePolicy {
    private static final Pattern PRICE = Pattern.compile(
            "\\$|€|£|\\b\\d+\\s*(dollars?|bucks|aud)\\b|\\bdollars?\\b|\\bbucks\\b|\\b(per|an|a) hour\\b|\\bhourly rate\\b"
                    + "|\\bcall ?out (fee|charge)\\b|\\b(costs?|charges?|runs?|priced|starts?) (at |from )?(about|around|roughly|approximately|from|between|up to|under|over)\\b"
                    + "|\\b(about|around|roughly|approximately|under|over) (\\d|a few hundred|a couple of hundred|hundred|thousand)"
                    + "|\\bhundred\\b|\\bthousand\\b|\\bgrand\\b|\\bballpark (is|would be|figure is|of)\\b|\\bestimate (is|would be|of)\\b"
                    + "|\\bcheap|\\bexpensive\\b|\\baffordable\\b|\\bfree of charge\\b|\\bno charge\\b|\\bdiscount");
    private static final Pattern COLD_OPEN = Pattern.compile(
            "\\bis (this|now|it) (a |an )?(good|bad|convenient|ok|okay|alright) time\\b|\\b(have|got) you got a (minute|moment|sec|second)\\b"
                    + "|\\bdo you have a (minute|moment|sec|second|few minutes)\\b|\\bgot a (minute|moment|sec|second)\\b"
                    + "|\\bare you free to (talk|chat)\\b|\\bcan you (talk|chat) (right )?now\\b|\\bhope i'?m not (disturbing|interrupting)\\b"
                    + "|\\bsorry to (bother|disturb)\\b|\\bhow are you (doing )?today\\b");
    private static final Pattern PUSH = Pattern.compile(
            "\\bkeen\\b|\\bgo ahead with\\b|\\block (it|that|you|this) in\\b|\\bbefore (it|they|someone|the slot|the spot)s? (go|goes|gone|fill|fills|is taken)"
                    + "|\\bdon'?t (want to )?miss\\b|\\bfilling up\\b|\\bfills? up\\b|\\bonly (one|two|three|a few|\\d+) (spots?|slots?|places?|times?) left\\b"
                    + "|\\blast (spot|slot|chance)\\b|\\blimited\\b|\\bact (fast|now|quickly)\\b|\\bhurry\\b|\\bspecial offer\\b|\\bwhy not\\b"
                    + "|\\byou should (really )?book\\b|\\byou'?d better\\b|\\bwouldn'?t want to wait\\b|\\bsecure (your|a|the|that)\\b"
                    + "|\\bready to (book|commit|go ahead)\\b|\\bwant to go ahead\\b|\\bcommit\\b|\\bdon'?t wait\\b|\\bright now or\\b");
    private static final Pattern ASK_NUMBER = Pattern.compile(
            "\\b(what'?s|what is|which|best|your|contact|phone|mobile|callback|call back|cell) (phone |mobile |contact |cell )?number\\b"
                    + "|\\bnumber (to|we can|i can|for) (call|reach|ring|contact)\\b|\\b(can|could|may) (i|we) (get|have|grab|take) (your|a) (phone|mobile|number|contact)\\b"
                    + "|\\bwhat number\\b|\\b(mobile|phone) details\\b");
    /** Words that name work; saying them needs the customer to have said them first. */
    private static final List<String> WORK_WORDS = List.of("replac", "install", "upgrad", "renovat", "new ", "service your", "inspect", "quote for");

    private final List<CatalogueService> catalogue;
    private final List<Pattern> servicePatterns = new ArrayList<>();

    public SentencePolicy(List<CatalogueService> catalogue) {
        this.catalogue = List.copyOf(catalogue);
        for (CatalogueService s : catalogue) {
            List<String> terms = new ArrayList<>(s.synonyms());
            terms.add(s.name());
            StringBuilder alternatives = new StringBuilder();
            for (String term : terms) {
                if (alternatives.length() > 0) alternatives.append('|');
                alternatives.append(Pattern.quote(Normalizer.normalize(term)));
            }
            servicePatterns.add(Pattern.compile("\\b(" + alternatives + ")s?\\b"));
        }
    }

    /**
     * The first rule the sentence breaks, if any. customerWords: everything the customer said (SMS and call);
     * knownServices: catalogue ids the customer mentioned or has jobs for.
     */
    public Optional<PolicyRule> violation(String sentence, String customerWords, Set<String> knownServices) {
        String lower = sentence.toLowerCase(Locale.ROOT);
        String normalized = Normalizer.normalize(sentence);
        if (PRICE.matcher(lower).find()) return Optional.of(PolicyRule.PRICE);
        if (COLD_OPEN.matcher(lower).find()) return Optional.of(PolicyRule.COLD_OPEN);
        if (PUSH.matcher(lower).find()) return Optional.of(PolicyRule.PUSH);
        if (ASK_NUMBER.matcher(lower).find()) return Optional.of(PolicyRule.ASK_NUMBER);
        for (int i = 0; i < catalogue.size(); i++) {
            if (!knownServices.contains(catalogue.get(i).id()) && servicePatterns.get(i).matcher(normalized).find()) {
                return Optional.of(PolicyRule.INVENT_SCOPE);
            }
        }
        String said = " " + customerWords.toLowerCase(Locale.ROOT) + " ";
        for (String work : WORK_WORDS) {
            if (lower.contains(work) && !said.contains(work)) return Optional.of(PolicyRule.INVENT_SCOPE);
        }
        return Optional.empty();
    }
}
