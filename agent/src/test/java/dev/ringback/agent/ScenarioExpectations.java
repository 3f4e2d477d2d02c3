package dev.ringback.agent;

import dev.ringback.agent.business.BusinessProfile;
import dev.ringback.agent.business.CatalogueService;
import dev.ringback.agent.business.CustomerJob;
import dev.ringback.agent.business.SmsMessage;
import dev.ringback.agent.scenario.ConversationResult;
import dev.ringback.agent.scenario.Scenario;
import dev.ringback.agent.tools.ToolCallRecord;

import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a conversation against a scenario's expect block. The never-rules here are the test's own
 * patterns, written apart from the production policy, so the policy cannot grade its own homework.
 */
final class ScenarioExpectations {
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

    private ScenarioExpectations() {}

    static List<String> check(Scenario s, BusinessProfile business, ConversationResult r) {
        List<String> failures = new ArrayList<>();
        Map<String, Object> expect = s.expect();
        checkOpening(s, business, r, expect, failures);
        checkTools(r, expect, failures);
        if (expect.containsKey("outcome") && !expect.get("outcome").equals(r.outcome())) {
            failures.add("outcome: expected " + expect.get("outcome") + ", got " + r.outcome());
        }
        checkNever(s, business, r, expect, failures);
        checkSpeakable(r, failures);
        return failures;
    }

    @SuppressWarnings("unchecked")
    private static void checkOpening(Scenario s, BusinessProfile business, ConversationResult r, Map<String, Object> expect, List<String> failures) {
        if (!(expect.get("opening") instanceof Map<?, ?> raw)) return;
        Map<String, Object> opening = (Map<String, Object>) raw;
        String first = r.turns().isEmpty() ? "" : r.turns().get(0).text().toLowerCase(Locale.ROOT);
        for (Object idea : (List<Object>) opening.getOrDefault("must_mention", List.of())) {
            boolean ok = switch (String.valueOf(idea)) {
                case "ai" -> first.matches("(?s).*\\b(ai|a\\.i\\.|automated|virtual assistant|artificial intelligence)\\b.*");
                case "recorded" -> first.matches("(?s).*\\brecord(ed|ing)\\b.*");
                case "sms" -> first.matches("(?s).*\\b(text|texted|text message|message|sms)\\b.*");
                case "topic" -> mentionsTopic(s, business, first);
                default -> false;
            };
            if (!ok) failures.add("opening does not mention " + idea + ": " + first);
        }
        for (Object rule : (List<Object>) opening.getOrDefault("must_not", List.of())) {
            Pattern p = NEVER.get(String.valueOf(rule));
            if (p != null && p.matcher(first).find()) failures.add("opening breaks " + rule + ": " + first);
        }
    }

    /** Names the topic in the customer's words: a catalogue term that the customer's SMS itself contains. */
    private static boolean mentionsTopic(Scenario s, BusinessProfile business, String opening) {
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
    private static void checkTools(ConversationResult r, Map<String, Object> expect, List<String> failures) {
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
                    failures.add("missing tool call (in order) " + tool + " " + args + "; actual: " + summary(actual));
                } else {
                    matched.add(found);
                    from = found + 1;
                }
            }
            for (int i = 0; i < actual.size(); i++) {
                if (!matched.contains(i) && !READ_ONLY.contains(actual.get(i).tool())) {
                    failures.add("unexpected tool call " + actual.get(i).tool() + " " + actual.get(i).args());
                }
            }
        }
        if (expect.get("no_tools") instanceof List<?> banned) {
            for (ToolCallRecord c : actual) {
                if (banned.contains(c.tool())) failures.add("tool must not be called: " + c.tool());
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
    private static void checkNever(Scenario s, BusinessProfile business, ConversationResult r, Map<String, Object> expect, List<String> failures) {
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
                    inventedScope(s, business, customerSaid.toString().toLowerCase(Locale.ROOT), text).ifPresent(
                            w -> failures.add("invent_scope: '" + w + "' in: " + t.text()));
                } else if (NEVER.containsKey(name) && NEVER.get(name).matcher(text).find()) {
                    failures.add(name + ": " + t.text());
                }
            }
        }
    }

    /** Sentences go to TTS: times and dates as words, no digits or symbols, short sentences. */
    private static void checkSpeakable(ConversationResult r, List<String> failures) {
        for (ConversationResult.Turn t : r.turns()) {
            if (!t.speaker().equals("agent")) continue;
            if (t.text().matches("(?s).*[0-9&/$%#@*_].*")) failures.add("not speakable (digit or symbol): " + t.text());
            for (String sentence : t.text().split("(?<=[.?!]) ")) {
                if (sentence.split(" ").length > 30) failures.add("sentence too long for one breath: " + sentence);
            }
        }
    }

    private static java.util.Optional<String> inventedScope(Scenario s, BusinessProfile business, String customerSaid, String agent) {
        Set<String> jobServices = new java.util.HashSet<>();
        for (CustomerJob j : s.customer().jobs()) jobServices.add(j.service());
        for (CatalogueService service : business.services()) {
            boolean customerNamedIt = jobServices.contains(service.id())
                    || service.synonyms().stream().anyMatch(syn -> customerSaid.matches("(?s).*\\b" + Pattern.quote(syn) + ".*"));
            if (customerNamedIt) continue;
            List<String> terms = new ArrayList<>(service.synonyms());
            terms.add(service.name().toLowerCase(Locale.ROOT));
            for (String term : terms) {
                if (agent.matches("(?s).*\\b" + Pattern.quote(term) + "s?\\b.*")) return java.util.Optional.of(term);
            }
        }
        for (String w : WORK_WORDS) {
            if (agent.contains(w) && !customerSaid.contains(w)) return java.util.Optional.of(w.trim());
        }
        return java.util.Optional.empty();
    }

    static String inbound(Scenario s) {
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
