package dev.ringback.server.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The eval's table (one row per call, a summary line per voice) and the same as one JSON object. */
public final class EvalReport {

    private final List<EvalRun> runs;
    private final Map<String, String> settings;

    EvalReport(List<EvalRun> runs, Map<String, String> settings) {
        this.runs = List.copyOf(runs);
        this.settings = Map.copyOf(settings);
    }

    static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) return Double.NaN;
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    /** Failures of the scenarios' {@code never} rules (price, ask_number, cold_open, push, invent_scope), anywhere in the call. */
    static int violations(EvalRun r) {
        return (int) r.failures().stream().filter(f -> f.startsWith("never:") || f.contains("opening breaks")).count();
    }

    public void printTable(PrintStream out) {
        out.printf("%-28s %-14s %-6s %5s %4s %4s %5s %4s %7s %7s  %s%n", "scenario", "voice", "result", "turns", "rep", "ref", "split", "over",
                "p50 ms", "p95 ms", "first failed check");
        for (EvalRun r : runs) {
            out.printf(Locale.ROOT, "%-28s %-14s %-6s %5d %4d %4d %5d %4d %7s %7s  %s%n", r.scenario(), r.voice(), r.passed() ? "pass" : "FAIL",
                    r.turns(), r.repeats(), r.refusals(), r.splitTurns(), r.agentOverCustomer(), ms(percentile(r.latenciesMs(), 50)),
                    ms(percentile(r.latenciesMs(), 95)), r.firstFailure());
        }
        out.println();
        for (Map.Entry<String, List<EvalRun>> v : byVoice().entrySet()) {
            List<EvalRun> rs = v.getValue();
            List<Double> lat = rs.stream().flatMap(r -> r.latenciesMs().stream()).toList();
            List<Double> answer = rs.stream().map(EvalRun::answerToAgentMs).filter(d -> !Double.isNaN(d)).toList();
            out.printf(Locale.ROOT, "voice %-14s passed %d/%d, policy violations %d, repeats %d, refusals %d, split turns %d, agent over customer %d, "
                            + "turn latency p50 %s ms p95 %s ms, answer to first agent audio p50 %s ms p95 %s ms%n", v.getKey(),
                    rs.stream().filter(EvalRun::passed).count(), rs.size(),
                    rs.stream().mapToInt(EvalReport::violations).sum(), rs.stream().mapToInt(EvalRun::repeats).sum(),
                    rs.stream().mapToInt(EvalRun::refusals).sum(), rs.stream().mapToInt(EvalRun::splitTurns).sum(),
                    rs.stream().mapToInt(EvalRun::agentOverCustomer).sum(), ms(percentile(lat, 50)), ms(percentile(lat, 95)),
                    ms(percentile(answer, 50)), ms(percentile(answer, 95)));
        }
        settings.forEach((k, val) -> out.println("  " + k + ": " + val));
    }

    public String json() {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        ObjectNode s = root.putObject("settings");
        settings.forEach(s::put);
        ArrayNode rows = root.putArray("runs");
        for (EvalRun r : runs) {
            ObjectNode row = rows.addObject();
            row.put("scenario", r.scenario()).put("voice", r.voice()).put("passed", r.passed()).put("outcome", r.outcome())
                    .put("turns", r.turns()).put("repeats", r.repeats()).put("refusals", r.refusals()).put("split_turns", r.splitTurns())
                    .put("agent_over_customer", r.agentOverCustomer()).put("policy_violations", violations(r)).put("wall_ms", r.wallMillis());
            putLatency(row, r.latenciesMs());
            if (!Double.isNaN(r.answerToAgentMs())) row.put("answer_to_agent_ms", Math.round(r.answerToAgentMs()));
            ArrayNode f = row.putArray("failures");
            r.failures().forEach(f::add);
            if (r.error() != null) row.put("error", r.error());
        }
        ObjectNode voices = root.putObject("voices");
        for (Map.Entry<String, List<EvalRun>> v : byVoice().entrySet()) {
            List<EvalRun> rs = v.getValue();
            ObjectNode n = voices.putObject(v.getKey());
            n.put("passed", rs.stream().filter(EvalRun::passed).count()).put("total", rs.size())
                    .put("policy_violations", rs.stream().mapToInt(EvalReport::violations).sum())
                    .put("repeats", rs.stream().mapToInt(EvalRun::repeats).sum()).put("refusals", rs.stream().mapToInt(EvalRun::refusals).sum())
                    .put("split_turns", rs.stream().mapToInt(EvalRun::splitTurns).sum())
                    .put("agent_over_customer", rs.stream().mapToInt(EvalRun::agentOverCustomer).sum());
            putLatency(n, rs.stream().flatMap(r -> r.latenciesMs().stream()).toList());
            List<Double> answer = rs.stream().map(EvalRun::answerToAgentMs).filter(d -> !Double.isNaN(d)).toList();
            if (!answer.isEmpty()) {
                n.put("answer_to_agent_p50_ms", Math.round(percentile(answer, 50)));
                n.put("answer_to_agent_p95_ms", Math.round(percentile(answer, 95)));
            }
        }
        return root.toPrettyString();
    }

    private static void putLatency(ObjectNode n, List<Double> lat) {
        if (lat.isEmpty()) return;
        n.put("turn_latency_p50_ms", Math.round(percentile(lat, 50)));
        n.put("turn_latency_p95_ms", Math.round(percentile(lat, 95)));
    }

    private Map<String, List<EvalRun>> byVoice() {
        Map<String, List<EvalRun>> by = new LinkedHashMap<>();
        for (EvalRun r : runs) by.computeIfAbsent(r.voice(), k -> new ArrayList<>()).add(r);
        return by;
    }

    private static String ms(double v) {
        return Double.isNaN(v) ? "-" : String.valueOf(Math.round(v));
    }
}
