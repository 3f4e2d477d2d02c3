package dev.ringback.server.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringback.agent.business.BusinessProfile;
import dev.ringback.agent.scenario.ConversationResult;
import dev.ringback.agent.scenario.CustomerGoal;
import dev.ringback.agent.scenario.Scenario;
import dev.ringback.agent.business.SmsMessage;
import dev.ringback.agent.tools.ToolCallRecord;
import dev.ringback.agent.store.ToolLogEntry;
import dev.ringback.media.RtpEngine;
import dev.ringback.server.RingbackServer;
import dev.ringback.server.call.CallActivity;
import dev.ringback.server.store.CallRecord;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One scenario as a real call: the scenario's customer record and calendar go into the server's store, its SMS
 * thread arrives as the webhook, Ringback dials the simulated customer through the loopback trunk, and the two talk
 * over SIP and RTP until one hangs up. The result holds the call as the server stored it and as the customer felt it.
 */
public final class ScenarioCall {

    /** Where calls are placed: the server under test, the trunk its calls go to, the phones' media. */
    public record Stage(RingbackServer server, LoopbackTrunk trunk, RtpEngine phoneMedia, BusinessProfile business, String host) {}

    /**
     * @param customer the call as the customer felt it
     * @param heard    what the server heard, with when it heard it (to find lines it split into two turns)
     */
    public record Result(Scenario scenario, String phone, String voice, CallRecord call, ConversationResult conversation,
                         SimulatedCustomer.Report customer, int splitTurns, long wallMillis) {
        public String outcome() {
            return conversation.outcome();
        }
    }

    /** Live activity of the call and what the customer said, for a console. */
    public interface Watcher {
        void activity(CallActivity activity);

        void customerSaid(CustomerScript.Say say);
    }

    private ScenarioCall() {}

    /**
     * Seeds the store, connects the customer's phone at {@code phone} (the scenario's own number, or another one when
     * the scenario runs more than once at a time), sends the webhook and completes when the call is over.
     */
    public static CompletableFuture<Result> place(Stage stage, Scenario scenario, String phone, CustomerVoice voice, Duration timeout,
                                                  Watcher watcher) throws Exception {
        Optional<CustomerGoal> goal = scenario.customerGoal();
        long started = System.nanoTime();
        stage.server().businessStore().seedCustomer(phone, scenario.customer().name(), scenario.customer().jobs());
        for (LocalDate day : scenario.calendarFull()) stage.server().businessStore().seedCalendarFull(day, stage.business());

        List<CustomerScript.Line> lines = scenario.customerSays().stream()
                .map(l -> new CustomerScript.Line(l.text(), l.bargeInAfterMs())).toList();
        CustomerScript script = new CustomerScript(lines, goal, new OfferReader(scenario.smsAt()));
        List<String> all = new ArrayList<>(lines.stream().map(CustomerScript.Line::text).toList());
        goal.ifPresent(g -> all.add(g.refuseOffer()));
        List<Instant> saidAt = new CopyOnWriteArrayList<>();
        List<Instant> heardAt = new CopyOnWriteArrayList<>();
        List<CustomerScript.Say> sayings = new CopyOnWriteArrayList<>();
        SimulatedCustomer customer = new SimulatedCustomer(stage.phoneMedia(), stage.host(), voice, script, all, say -> {
            saidAt.add(Instant.now());
            sayings.add(say);
            watcher.customerSaid(say);
        });
        stage.trunk().connect(phone, customer);

        CompletableFuture<CallActivity.Ended> ended = new CompletableFuture<>();
        String[] callId = {null};
        AutoCloseable watch = stage.server().monitor().watch(a -> {
            if (a instanceof CallActivity.Dialling d && d.customerPhone().equals(phone) && callId[0] == null) callId[0] = d.callId();
            if (callId[0] == null || !a.callId().equals(callId[0])) return;
            if (a instanceof CallActivity.AgentSaid s) customer.agentSaid(s.text());
            if (a instanceof CallActivity.CustomerSaid) heardAt.add(Instant.now());
            watcher.activity(a);
            if (a instanceof CallActivity.Ended e) ended.complete(e);
        });
        HttpResponse<String> reply = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stage.server().httpPort() + "/api/sms/inbound"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(webhookJson(scenario, phone, stage.business()))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (reply.statusCode() != 202) {
            watch.close();
            stage.trunk().disconnect(phone);
            customer.close();
            throw new IllegalStateException("the webhook was refused: " + reply.statusCode() + " " + reply.body());
        }
        return ended.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .thenCompose(end -> customer.ended().orTimeout(10, TimeUnit.SECONDS))
                .whenComplete((r, e) -> {
                    try {
                        watch.close();
                    } catch (Exception ignored) {
                        // removing a watcher cannot fail
                    }
                    stage.trunk().disconnect(phone);
                    customer.close();
                })
                .thenApply(report -> {
                    CallRecord call = stage.server().calls().find(callId[0]).orElseThrow();
                    ConversationResult conversation = conversation(scenario, call, sayings, saidAt,
                            toolCalls(stage.server().businessStore().toolLog(call.id())), ended.join().outcome());
                    return new Result(scenario, phone, voice.spec(), call, conversation, report, splitTurns(saidAt, heardAt),
                            (System.nanoTime() - started) / 1_000_000);
                });
    }

    /**
     * The call as the scenario checks read it: the agent's sentences joined per turn, the customer's lines as the
     * customer said them (the checks judge the agent against what was really said, not what was misheard).
     */
    static ConversationResult conversation(Scenario scenario, CallRecord call, List<CustomerScript.Say> said, List<Instant> saidAt,
                                           List<ToolCallRecord> tools, String outcome) {
        record Timed(Instant at, String speaker, String text) {}
        List<Timed> timed = new ArrayList<>();
        for (CallRecord.Turn t : call.turns()) if (t.speaker().equals("agent")) timed.add(new Timed(t.at(), "agent", t.text()));
        for (int i = 0; i < said.size() && i < saidAt.size(); i++) timed.add(new Timed(saidAt.get(i), "customer", said.get(i).line().text()));
        timed.sort(Comparator.comparing(Timed::at));
        List<ConversationResult.Turn> turns = new ArrayList<>();
        for (Timed t : timed) {
            int last = turns.size() - 1;
            if (last >= 0 && turns.get(last).speaker().equals(t.speaker())) {
                turns.set(last, new ConversationResult.Turn(t.speaker(), turns.get(last).text() + " " + t.text()));
            } else {
                turns.add(new ConversationResult.Turn(t.speaker(), t.text()));
            }
        }
        return new ConversationResult(scenario.id(), turns, tools, outcome, 0);
    }

    /** Recognised turns beyond the first within the time of one customer line: the recogniser cut the line in two. */
    static int splitTurns(List<Instant> saidAt, List<Instant> heardAt) {
        int split = 0;
        for (int i = 0; i < saidAt.size(); i++) {
            Instant from = saidAt.get(i);
            Instant to = i + 1 < saidAt.size() ? saidAt.get(i + 1) : Instant.MAX;
            long heard = heardAt.stream().filter(h -> !h.isBefore(from) && h.isBefore(to)).count();
            if (heard > 1) split += (int) (heard - 1);
        }
        return split;
    }

    private static List<ToolCallRecord> toolCalls(List<ToolLogEntry> log) {
        ObjectMapper json = new ObjectMapper();
        List<ToolCallRecord> calls = new ArrayList<>();
        for (ToolLogEntry e : log) {
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> args = json.readValue(e.argsJson(), LinkedHashMap.class);
                @SuppressWarnings("unchecked")
                Map<String, Object> result = json.readValue(e.resultJson(), LinkedHashMap.class);
                calls.add(new ToolCallRecord(e.tool(), args, result, e.idempotencyKey(), e.durationMicros()));
            } catch (Exception ex) {
                throw new IllegalStateException("tool log row " + e.idempotencyKey() + " is not JSON", ex);
            }
        }
        return calls;
    }

    /** The webhook the upstream SMS assistant would send for this scenario's thread, from {@code phone}. */
    public static String webhookJson(Scenario scenario, String phone, BusinessProfile business) {
        var mapper = new ObjectMapper();
        ObjectNode body = mapper.createObjectNode();
        body.put("from", phone);
        body.put("to", business.phone());
        ArrayNode thread = body.putArray("thread");
        for (SmsMessage m : scenario.smsThread()) {
            thread.addObject()
                    .put("direction", m.direction() == SmsMessage.Direction.INBOUND ? "inbound" : "outbound")
                    .put("at", m.at().atZone(business.timezone()).toOffsetDateTime().toString())
                    .put("text", m.text());
        }
        body.put("callbackRequested", true);
        return body.toString();
    }

}
