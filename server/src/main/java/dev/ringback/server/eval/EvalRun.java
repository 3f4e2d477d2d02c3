package dev.ringback.server.eval;

import dev.ringback.server.sim.ScenarioCall;

import java.util.List;

/**
 * One scenario x voice call and how it scored.
 *
 * @param failures the scenario checks that did not hold (empty: passed)
 * @param error    why the call could not be run at all, if so
 */
public record EvalRun(String scenario, String voice, List<String> failures, String outcome, int turns, int repeats, int refusals,
                      int splitTurns, int agentOverCustomer, List<Double> latenciesMs, double answerToAgentMs, long wallMillis, String error) {

    public boolean passed() {
        return error == null && failures.isEmpty();
    }

    static EvalRun of(ScenarioCall.Result r, List<String> failures) {
        var c = r.customer();
        return new EvalRun(r.scenario().id(), r.voice(), List.copyOf(failures), r.outcome(), c.said().size(), c.repeats(), c.refusals(),
                r.splitTurns(), c.agentOverCustomer(), c.turnLatenciesMs(), c.answerToAgentMs(), r.wallMillis(), null);
    }

    static EvalRun failed(String scenario, String voice, String error) {
        return new EvalRun(scenario, voice, List.of(), "not run", 0, 0, 0, 0, 0, List.of(), Double.NaN, 0, error);
    }

    /** The first failed check, shortened for a table cell. */
    String firstFailure() {
        String f = error != null ? "error: " + error : failures.isEmpty() ? "" : failures.get(0);
        return f.length() <= 90 ? f : f.substring(0, 87) + "...";
    }
}
