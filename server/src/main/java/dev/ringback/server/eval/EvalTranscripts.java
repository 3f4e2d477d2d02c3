package dev.ringback.server.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ringback.server.sim.ScenarioCall;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** One file per eval call: what was said and heard on both sides, the tool calls, the checks that failed. */
final class EvalTranscripts {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);

    private EvalTranscripts() {}

    static void write(Path dir, ScenarioCall.Result result, EvalRun run, int copy) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("scenario", result.scenario().id());
        doc.put("voice", result.voice());
        doc.put("passed", run.passed());
        doc.put("failures", run.failures());
        doc.put("outcome", result.outcome());
        var c = result.customer();
        Map<String, Object> customer = new LinkedHashMap<>();
        customer.put("said", c.said().stream().map(say -> Map.of("text", say.line().text(), "why", say.reason().name().toLowerCase())).toList());
        customer.put("repeats", c.repeats());
        customer.put("refusals", c.refusals());
        customer.put("agent_over_customer", c.agentOverCustomer());
        customer.put("turn_latency_ms", c.turnLatenciesMs());
        if (!Double.isNaN(c.answerToAgentMs())) customer.put("answer_to_agent_ms", c.answerToAgentMs());
        customer.put("hung_up_first", c.customerHungUp());
        doc.put("customer", customer);
        doc.put("split_turns", result.splitTurns());
        doc.put("call", result.call());
        doc.put("conversation", result.conversation());
        String name = result.scenario().id() + (copy > 0 ? "-" + copy : "") + "-" + result.voice().replaceAll("[^A-Za-z0-9._-]", "_") + ".json";
        JSON.writeValue(dir.resolve(name).toFile(), doc);
    }
}
