package dev.ringback.server.eval;

import dev.ringback.agent.BusinessProfile;
import dev.ringback.agent.ConversationResult;
import dev.ringback.agent.Scenario;

import java.util.ArrayList;
import java.util.List;

/** PLACEHOLDER until the agent's scenario checks are in main code: outcome only. */
public final class EvalScoring {
    private EvalScoring() {}

    public static List<String> failures(Scenario s, BusinessProfile b, ConversationResult r) {
        List<String> f = new ArrayList<>();
        Object want = s.expect().get("outcome");
        if (want != null && !want.equals(r.outcome())) f.add("outcome: expected " + want + ", got " + r.outcome());
        return f;
    }
}
