package dev.ringback.agent.scenario;

import dev.ringback.agent.business.BusinessProfile;
import dev.ringback.agent.business.CatalogueService;
import dev.ringback.agent.business.CustomerJob;
import dev.ringback.agent.business.SmsMessage;
import dev.ringback.agent.tools.ToolCallRecord;

import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Scores a conversation (text level or a real call) against its scenario's {@code expect} block, plus the
 * speakable-sentence rule every agent turn keeps. The never-rules here are this class's own patterns, written
 * apart from the production {@code SentencePolicy}, so the policy cannot grade its own homework.
 */
public final class ScenarioCheck {
    /** Which part of the contract a failure breaks. */
    public enum Part { OPENING, TOOLS, NO_TOOLS, OUTCOME, NEVER, SPEAKABLE }

    /** One broken expectation, said so that a reader of the report can find it in the transcript. */
    public record Failure(Part part, String detail) {
        public Failure {
            Objects.requireNonNull(part, "part");
            Objects.requireNonNull(detail, "detail");
        }

        @Override public String toString() {
            return part.name().toLowerCase(Locale.ROOT) + ": " + detail;
        }
    }

    private static final Set<String> READ_ONLY = Set.of("lookup_customer_history", "suggest_alternative_times");

    private static final Map<String, Pattern> NEVER = Map.of(
            "price", Pattern.compile("\\$|\\d+\\s*(dollars|bucks)|\\bdollars?\\b|\\b(hundred|thousand|grand)\\b|\\bper hour\\b"
                    + "|\\b(costs?|usually|typically|normally|starts? at|runs?) (about|around|roughly|from)\\b|\\bestimate (is|of|would)\\b"
                    + "|\\bballpark (is|of|would|figure)\\b|\\bcheaper\\b|\\bcall ?out fee\\b"),
            "ask_number", Pattern.compile("\\b(your|what'?s|what is|best|contact|phone|mobile|which) (phone |mobile |contact )?number\\b"
                    + "|number (to|we can|i can) (call|reach)|\\bnumber\\b[^.]*\\?"),
            "cold_open", Pattern.compile("good time|bad time|got a (minute|moment|sec)|have a (minute|moment|sec)|free to (talk|chat)"
                    + "|can you talk|sorry to (bother|disturb)"),
            "push", Pattern.compile("\\bkeen\\b|lock (it|you|that) in|go ahead with|don'?t miss|filling up|fill up|only \\w+ (slots?|spots?) left"
                    + "|\\bhurry\\b|\\blimited\\b|act (fast|now)|why not|you should book|\\bcommit|before (it'?s|they'?re) gone|last chance"));
    private static final List<String> WORK_WORDS = List.of("replac", "install", "upgrad", "new ");

    private final BusinessProfile business;

    /** business: the one the conversation was held for (its catalogue decides what naming a topic or a scope is). */
    public ScenarioCheck(BusinessProfile business) {
        this.business = Objects.requireNonNull(business, "business");
    }

    /** Every broken expectation, in the order of the expect block; empty when the conversation passes. */
    public List<Failure> check(Scenario s, ConversationResult r) {
        List<Failure> failures = new ArrayList<>();
        Map<String, Object> expect = s.expect();
        checkOpening(s, r, expect, failures);
        checkTools(r, expect, failures);
        if (expect.containsKey("outcome") && !expect.get("outcome").equals(r.outcome())) {
            failures.add(new Failure(Part.OUTCOME, "expected " + expect.get("outcome") + ", got " + r.outcome()));
        }
        checkNever(s, r, expect, failures);
        checkSpeakable(r, failures);
        return failures;
    }

    @SuppressWarnings("unchecked")
    private void checkOpening(Scenario s, ConversationResult r, Map<String, Object> expect, List<Failure> failures) {
        if (!(expect.get("opening") instanceof Map<?, ?> raw)) return;
        Map<String, Object> opening = (Map<String, Object>) raw;
        String first = r.turns().stream().filter(t -> t.speaker().equals("agent")).findFirst()
                .map(t -> t.text().toLowerCase(Locale.ROOT)).orElse("");
        for (Object idea : (List<Object>) opening.getOrDefault("must_mention", List.of())) {
            boolean ok = switch (String.valueOf(idea)) {
                case "ai" -> first.matches("(?s).*\\b(ai|a\\.i\\.|automated|virtual assistant|artificial intelligence)\\b.*");
                case "recorded" -> first.matches("(?s).*\\brecord(ed|ing)\\b.*");
                case "sms" -> first.matches("(?s).*\\b(text|texted|text message|message|sms)\\b.*");
                case "topic" -> mentionsTopic(s, first);
                default -> false;
            };
            if (!ok) failures.add(new Failure(Part.OPENING, "does not mention " + idea + ": " + first));
        }
        for (Object rule : (List<Object>) opening.getOrDefault("must_not", List.of())) {
            Pattern p = NEVER.get(String.valueOf(rule));
            if (p != null && p.matcher(first).find()) failures.add(new Failure(Part.OPENING, "breaks " + rule + ": " + first));
        }
    }

    /** Names the topic in the customer's words: a catalogue term that the customer's SMS itself contains. */
    private boolean mentionsTopic(Scenario s, String opening) {
        String sms = inbound(s).toLowerCase(Locale.ROOT);
        for (CatalogueService service : business.services()) {
            for (String synonym : service.synonyms()) {
                for (String word : synonym.split(" ")) {
                    if (word.length() >= 3 && sms.matches("(?s).*\\b" + Pattern.quote(word) + ".*") && opening.matches("(?s).*\\b" + Pattern.quote(word) + ".*")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private static void checkTools(ConversationResult r, Map<String, Object> expect, List<Failure> failures) {
        List<ToolCallRecord> actual = r.toolCalls();
        if (expect.get("tools") instanceof List<?> wanted) {
            int from = 0;
            List<Integer> matched = new ArrayList<>();
            for (Object w : wanted) {
                Map<String, Object> want = (Map<String, Object>) w;
                String tool = String.valueOf(want.get("tool"));
                Map<String, Object> args = (Map<String, Object>) want.getOrDefault("args", Map.of());
                int found = -1;
                for (int i = from; i < actual.size(); i++) {
                    if (actual.get(i).tool().equals(tool) && argsMatch(actual.get(i).args(), args)) {
                        found = i;
                        break;
                    }
                }
                if (found < 0) {
                    failures.add(new Failure(Part.TOOLS, "missing (in order) " + tool + " " + args + "; actual: " + summary(actual)));
                } else {
                    matched.add(found);
                    from = found + 1;
                }
            }
            for (int i = 0; i < actual.size(); i++) {
                if (!matched.contains(i) && !READ_ONLY.contains(actual.get(i).tool())) {
                    failures.add(new Failure(Part.TOOLS, "unexpected " + actual.get(i).tool() + " " + actual.get(i).args()));
                }
            }
        }
        if (expect.get("no_tools") instanceof List<?> banned) {
            for (ToolCallRecord c : actual) {
                if (banned.contains(c.tool())) failures.add(new Failure(Part.NO_TOOLS, "must not be called: " + c.tool()));
            }
        }
    }

    private static boolean argsMatch(Map<String, Object> actual, Map<String, Object> wanted) {
        for (Map.Entry<String, Object> e : wanted.entrySet()) {
            String key = e.getKey();
            Object value = e.getValue();
            boolean ok;
            if (key.equals("window_starts_before")) {
                ok = actual.containsKey("window_start") && LocalTime.parse((String) actual.get("window_start")).isBefore(LocalTime.parse(value.toString()));
            } else if (key.equals("window_starts_at_or_after")) {
                ok = actual.containsKey("window_start") && !LocalTime.parse((String) actual.get("window_start")).isBefore(LocalTime.parse(value.toString()));
            } else if (key.equals("mentions")) {
                String all = String.join(" ", actual.values().stream().map(String::valueOf).toList()).toLowerCase(Locale.ROOT);
                ok = ((List<?>) value).stream().allMatch(m -> all.contains(m.toString().toLowerCase(Locale.ROOT)));
            } else if (key.endsWith("_mentions")) {
                String field = String.valueOf(actual.get(key.substring(0, key.length() - "_mentions".length()))).toLowerCase(Locale.ROOT);
                ok = ((List<?>) value).stream().allMatch(m -> field.contains(m.toString().toLowerCase(Locale.ROOT)));
            } else if (key.equals("at")) {
                ok = actual.containsKey("at") && LocalDateTime.parse(actual.get("at").toString()).equals(LocalDateTime.parse(value.toString()));
            } else {
                ok = String.valueOf(actual.get(key)).equals(String.valueOf(value));
            }
            if (!ok) return false;
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private void checkNever(Scenario s, ConversationResult r, Map<String, Object> expect, List<Failure> failures) {
        List<Object> rules = (List<Object>) expect.getOrDefault("never", List.of());
        StringBuilder customerSaid = new StringBuilder(inbound(s)).append(' ');
        for (ConversationResult.Turn t : r.turns()) {
            if (t.speaker().equals("customer")) {
                customerSaid.append(t.text()).append(' ');
                continue;
            }
            String text = t.text().toLowerCase(Locale.ROOT);
            for (Object rule : rules) {
                String name = String.valueOf(rule);
                if (name.equals("invent_scope")) {
                    inventedScope(s, customerSaid.toString().toLowerCase(Locale.ROOT), text).ifPresent(
                            w -> failures.add(new Failure(Part.NEVER, "invent_scope: '" + w + "' in: " + t.text())));
                } else if (NEVER.containsKey(name) && NEVER.get(name).matcher(text).find()) {
                    failures.add(new Failure(Part.NEVER, name + ": " + t.text()));
                }
            }
        }
    }

    /** Sentences go to TTS: times and dates as words, no digits or symbols, short sentences. */
    private static void checkSpeakable(ConversationResult r, List<Failure> failures) {
        for (ConversationResult.Turn t : r.turns()) {
            if (!t.speaker().equals("agent")) continue;
            if (t.text().matches("(?s).*[0-9&/$%#@*_].*")) failures.add(new Failure(Part.SPEAKABLE, "digit or symbol: " + t.text()));
            for (String sentence : t.text().split("(?<=[.?!]) ")) {
                if (sentence.split(" ").length > 30) failures.add(new Failure(Part.SPEAKABLE, "sentence too long for one breath: " + sentence));
            }
        }
    }

    private Optional<String> inventedScope(Scenario s, String customerSaid, String agent) {
        Set<String> jobServices = new HashSet<>();
        for (CustomerJob j : s.customer().jobs()) jobServices.add(j.service());
        for (CatalogueService service : business.services()) {
            boolean customerNamedIt = jobServices.contains(service.id())
                    || service.synonyms().stream().anyMatch(syn -> customerSaid.matches("(?s).*\\b" + Pattern.quote(syn) + ".*"));
            if (customerNamedIt) continue;
            List<String> terms = new ArrayList<>(service.synonyms());
            terms.add(service.name().toLowerCase(Locale.ROOT));
            for (String term : terms) {
                if (agent.matches("(?s).*\\b" + Pattern.quote(term) + "s?\\b.*")) return Optional.of(term);
            }
        }
        for (String w : WORK_WORDS) {
            if (agent.contains(w) && !customerSaid.contains(w)) return Optional.of(w.trim());
        }
        return Optional.empty();
    }

    private static String inbound(Scenario s) {
        StringBuilder b = new StringBuilder();
        for (SmsMessage m : s.smsThread()) if (m.direction() == SmsMessage.Direction.INBOUND) b.append(m.text()).append(' ');
        return b.toString();
    }

    private static String summary(List<ToolCallRecord> calls) {
        List<String> parts = new ArrayList<>();
        for (ToolCallRecord c : calls) parts.add(c.tool() + c.args());
        return String.join(", ", parts);
    }
}
