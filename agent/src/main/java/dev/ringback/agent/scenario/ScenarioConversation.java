package dev.ringback.agent.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ringback.agent.AgentTurn;
import dev.ringback.agent.CallbackContext;
import dev.ringback.agent.business.ArrivalWindow;
import dev.ringback.agent.business.BusinessProfile;
import dev.ringback.agent.business.CustomerJob;
import dev.ringback.agent.business.SmsMessage;
import dev.ringback.agent.dialog.DialogManager;
import dev.ringback.agent.store.BusinessStore;
import dev.ringback.agent.tools.ToolCallRecord;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/** Runs one scenario at the text level against a fresh store: the customer's lines in, the agent's turns and tool calls out. */
public final class ScenarioConversation {
    /** Speaking rate used to place a scripted barge-in inside the agent's sentences (about 165 words a minute). */
    static final double SPOKEN_CHARS_PER_SECOND = 15.0;

    private ScenarioConversation() {}

    public static Scenario load(Path yaml) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(yaml.toFile());
        } catch (IOException e) {
            throw new InvalidScenarioException(yaml, "(file)", "cannot read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) throw new InvalidScenarioException(yaml, "(root)", "expected a mapping", null);
        String id = required(yaml, root, "id").asText();
        LocalDateTime smsAt = dateTime(yaml, "sms_at", required(yaml, root, "sms_at").asText());
        JsonNode c = required(yaml, root, "customer");
        String phone = required(yaml, c, "phone", "customer.phone").asText();
        Optional<String> name = Optional.ofNullable(c.get("name")).filter(n -> !n.isNull()).map(JsonNode::asText);
        List<CustomerJob> jobs = new ArrayList<>();
        JsonNode jobsNode = c.path("jobs");
        for (int i = 0; i < jobsNode.size(); i++) jobs.add(job(yaml, "customer.jobs[" + i + "]", phone, jobsNode.get(i)));
        List<LocalDate> full = new ArrayList<>();
        JsonNode fullNode = root.path("calendar_full");
        for (int i = 0; i < fullNode.size(); i++) full.add(date(yaml, "calendar_full[" + i + "]", fullNode.get(i).asText()));
        List<SmsMessage> thread = new ArrayList<>();
        JsonNode threadNode = required(yaml, root, "sms_thread");
        for (int i = 0; i < threadNode.size(); i++) thread.add(sms(yaml, "sms_thread[" + i + "]", smsAt, threadNode.get(i)));
        List<Scenario.CustomerLine> lines = new ArrayList<>();
        JsonNode says = required(yaml, root, "customer_says");
        for (int i = 0; i < says.size(); i++) {
            JsonNode line = says.get(i);
            if (line.isTextual()) {
                lines.add(new Scenario.CustomerLine(line.asText(), OptionalLong.empty()));
            } else {
                String text = required(yaml, line, "text", "customer_says[" + i + "].text").asText();
                OptionalLong barge = line.has("barge_in_after_ms") ? OptionalLong.of(line.get("barge_in_after_ms").asLong()) : OptionalLong.empty();
                lines.add(new Scenario.CustomerLine(text, barge));
            }
        }
        Optional<CustomerGoal> goal = root.hasNonNull("customer_goal")
                ? Optional.of(customerGoal(yaml, root.get("customer_goal"), smsAt.toLocalDate())) : Optional.empty();
        @SuppressWarnings("unchecked")
        Map<String, Object> expect = root.has("expect")
                ? new ObjectMapper().convertValue(root.get("expect"), LinkedHashMap.class) : Map.of();
        return new Scenario(id, yaml, smsAt, new Scenario.Customer(phone, name, jobs), full, thread, lines, goal, expect);
    }

    public static ConversationResult run(Scenario s, BusinessProfile business, DataSource freshDb) {
        BusinessStore store = new BusinessStore(freshDb);
        store.replaceOnCallRoster(business.onCall());
        store.seedCustomer(s.customer().phone(), s.customer().name(), s.customer().jobs());
        for (LocalDate day : s.calendarFull()) store.seedCalendarFull(day, business);
        String callId = "converse-" + s.id();
        store.recordSmsThread(s.customer().phone(), callId, s.smsThread());
        CallbackContext context = new CallbackContext(callId, s.customer().phone(), s.customer().name(), s.smsThread(),
                s.smsAt().atZone(business.timezone()));
        DialogManager dialog = new DialogManager(business, store, context);

        List<ConversationResult.Turn> turns = new ArrayList<>();
        List<ToolCallRecord> calls = new ArrayList<>();
        AgentTurn agent = dialog.open();
        record(agent, turns, calls);
        for (Scenario.CustomerLine line : s.customerSays()) {
            if (agent.endCall() || agent.transferTo().isPresent()) break;
            if (line.bargeInAfterMs().isPresent()) interrupt(dialog, agent.sentences(), line.bargeInAfterMs().getAsLong());
            turns.add(new ConversationResult.Turn("customer", line.text()));
            agent = dialog.onCustomerTurn(line.text());
            record(agent, turns, calls);
        }
        return new ConversationResult(s.id(), turns, calls, dialog.outcome().orElse("ended"), dialog.blockedSentences());
    }

    /** Tells the dialog which sentence the customer cut into, assuming the agent speaks at a steady rate. */
    private static void interrupt(DialogManager dialog, List<String> sentences, long afterMs) {
        double startMs = 0;
        for (String sentence : sentences) {
            double lengthMs = sentence.length() / SPOKEN_CHARS_PER_SECOND * 1000;
            if (afterMs < startMs + lengthMs) {
                dialog.onInterrupted(sentence, (afterMs - startMs) / lengthMs);
                return;
            }
            startMs += lengthMs;
        }
    }

    private static void record(AgentTurn agent, List<ConversationResult.Turn> turns, List<ToolCallRecord> calls) {
        if (!agent.sentences().isEmpty()) turns.add(new ConversationResult.Turn("agent", agent.text()));
        calls.addAll(agent.toolCalls());
    }

    private static CustomerJob job(Path file, String key, String phone, JsonNode j) {
        String id = required(file, j, "id", key + ".id").asText();
        String service = required(file, j, "service", key + ".service").asText();
        if (j.hasNonNull("booked")) {
            // "2026-12-02T09:00-11:00"
            String booked = j.get("booked").asText();
            int t = booked.indexOf('T');
            if (t < 0) throw new InvalidScenarioException(file, key + ".booked", "expected DATE'T'HH:mm-HH:mm, got '" + booked + "'", null);
            LocalDate date = date(file, key + ".booked", booked.substring(0, t));
            ArrivalWindow window;
            try {
                window = ArrivalWindow.parse(booked.substring(t + 1));
            } catch (RuntimeException e) {
                throw new InvalidScenarioException(file, key + ".booked", e.getMessage(), e);
            }
            return new CustomerJob(id, phone, service, service, CustomerJob.Status.BOOKED, Optional.of(date), Optional.of(window), Optional.empty());
        }
        if (j.hasNonNull("done")) {
            LocalDate done = date(file, key + ".done", j.get("done").asText());
            return new CustomerJob(id, phone, service, service, CustomerJob.Status.DONE, Optional.empty(), Optional.empty(), Optional.of(done));
        }
        return new CustomerJob(id, phone, service, service, CustomerJob.Status.OPEN, Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static final Set<String> GOAL_KEYS = Set.of("accepts", "refuse_offer");
    private static final Set<String> ACCEPTS_KEYS = Set.of("date", "window_starts_before", "window_starts_at_or_after");

    private static CustomerGoal customerGoal(Path file, JsonNode g, LocalDate smsDay) {
        if (!g.isObject()) throw new InvalidScenarioException(file, "customer_goal", "expected a mapping with accepts and refuse_offer", null);
        onlyKeys(file, g, "customer_goal", GOAL_KEYS);
        JsonNode a = required(file, g, "accepts", "customer_goal.accepts");
        if (!a.isObject()) {
            throw new InvalidScenarioException(file, "customer_goal.accepts", "expected a mapping of " + String.join(", ", sorted(ACCEPTS_KEYS)), null);
        }
        onlyKeys(file, a, "customer_goal.accepts", ACCEPTS_KEYS);
        Optional<LocalDate> date = a.hasNonNull("date")
                ? Optional.of(date(file, "customer_goal.accepts.date", a.get("date").asText())) : Optional.empty();
        if (date.isPresent() && date.get().isBefore(smsDay)) {
            throw new InvalidScenarioException(file, "customer_goal.accepts.date", date.get() + " is before the SMS day " + smsDay, null);
        }
        Optional<LocalTime> before = time(file, a, "window_starts_before");
        Optional<LocalTime> atOrAfter = time(file, a, "window_starts_at_or_after");
        JsonNode refuse = required(file, g, "refuse_offer", "customer_goal.refuse_offer");
        if (!refuse.isTextual() || refuse.asText().isBlank()) {
            throw new InvalidScenarioException(file, "customer_goal.refuse_offer", "expected what the customer says to another time", null);
        }
        try {
            return new CustomerGoal(new CustomerGoal.AcceptedTime(date, before, atOrAfter), refuse.asText().strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidScenarioException(file, "customer_goal.accepts", e.getMessage(), e);
        }
    }

    private static Optional<LocalTime> time(Path file, JsonNode parent, String field) {
        if (!parent.hasNonNull(field)) return Optional.empty();
        String text = parent.get(field).asText();
        try {
            return Optional.of(LocalTime.parse(text));
        } catch (DateTimeParseException e) {
            throw new InvalidScenarioException(file, "customer_goal.accepts." + field, "expected HH:mm, got '" + text + "'", e);
        }
    }

    private static void onlyKeys(Path file, JsonNode node, String key, Set<String> allowed) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new InvalidScenarioException(file, key + "." + name, "unknown key (expected " + String.join(", ", sorted(allowed)) + ")", null);
            }
        }
    }

    private static List<String> sorted(Set<String> keys) {
        return keys.stream().sorted().toList();
    }

    /** "at" is "HH:mm" on the SMS day (the day before if that would be after the SMS) or a full date-time. */
    private static SmsMessage sms(Path file, String key, LocalDateTime smsAt, JsonNode m) {
        String from = required(file, m, "from", key + ".from").asText();
        SmsMessage.Direction direction = from.equalsIgnoreCase("customer") ? SmsMessage.Direction.INBOUND : SmsMessage.Direction.OUTBOUND;
        LocalDateTime at = smsAt;
        if (m.hasNonNull("at")) {
            String text = m.get("at").asText();
            try {
                if (text.contains("T")) {
                    at = LocalDateTime.parse(text);
                } else {
                    at = LocalDateTime.of(smsAt.toLocalDate(), LocalTime.parse(text));
                    if (at.isAfter(smsAt.plusMinutes(5))) at = at.minusDays(1);
                }
            } catch (DateTimeParseException e) {
                throw new InvalidScenarioException(file, key + ".at", "expected HH:mm or a date-time, got '" + text + "'", e);
            }
        }
        return new SmsMessage(direction, at, required(file, m, "text", key + ".text").asText());
    }

    private static LocalDateTime dateTime(Path file, String key, String text) {
        try {
            return text.length() <= 10 ? LocalDate.parse(text).atStartOfDay() : LocalDateTime.parse(text.replace(' ', 'T'));
        } catch (DateTimeParseException e) {
            throw new InvalidScenarioException(file, key, "expected an ISO date-time, got '" + text + "'", e);
        }
    }

    private static LocalDate date(Path file, String key, String text) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidScenarioException(file, key, "expected an ISO date, got '" + text + "'", e);
        }
    }

    private static JsonNode required(Path file, JsonNode parent, String field) {
        return required(file, parent, field, field);
    }

    private static JsonNode required(Path file, JsonNode parent, String field, String key) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) throw new InvalidScenarioException(file, key, "missing", null);
        return n;
    }
}
