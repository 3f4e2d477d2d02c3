package dev.ringback.agent.policy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Where every sentence passes the policy before it is spoken: a blocked one is replaced by a safe one and counted. */
public final class PolicyGate {
    private static final Logger log = LoggerFactory.getLogger(PolicyGate.class);

    /** A sentence to say, and what to say instead if it is blocked. */
    public record Sentence(String text, Optional<String> fallback) {}

    private final SentencePolicy policy;
    private final String callId;
    private int blocked;

    public PolicyGate(SentencePolicy policy, String callId) {
        this.policy = policy;
        this.callId = callId;
    }

    public List<String> pass(List<Sentence> sentences, String customerWords, Set<String> knownServices) {
        List<String> spoken = new ArrayList<>();
        for (Sentence s : sentences) {
            Optional<PolicyRule> broken = policy.violation(s.text(), customerWords, knownServices);
            if (broken.isEmpty()) {
                spoken.add(s.text());
                continue;
            }
            blocked++;
            String replacement = s.fallback().filter(f -> policy.violation(f, customerWords, knownServices).isEmpty())
                    .orElse(safeSentence(broken.get()));
            log.warn("call {}: policy {} blocked '{}', saying '{}' instead", callId, broken.get(), s.text(), replacement);
            spoken.add(replacement);
        }
        return spoken;
    }

    public int blocked() {
        return blocked;
    }

    private static String safeSentence(PolicyRule rule) {
        return switch (rule) {
            case PRICE -> "I'm not able to give prices over the phone.";
            case COLD_OPEN -> "I'm calling about your text message.";
            case PUSH -> "Take your time.";
            case ASK_NUMBER -> "We'll call you on the number you texted from.";
            case INVENT_SCOPE -> "Someone can come and take a look.";
        };
    }
}
