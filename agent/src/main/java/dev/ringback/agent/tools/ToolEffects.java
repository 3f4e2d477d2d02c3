package dev.ringback.agent.tools;

import dev.ringback.agent.business.ArrivalWindow;
import dev.ringback.agent.business.BusinessProfile;
import dev.ringback.agent.business.CustomerJob;
import dev.ringback.agent.business.OnCallPerson;
import dev.ringback.agent.business.OwnerMessage;
import dev.ringback.agent.store.BusinessStore;
import dev.ringback.agent.store.StoreSql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What each tool does to the store, on the runner's transaction; business refusals (a full window) are results, not exceptions. */
final class ToolEffects {
    private final ToolContext context;

    ToolEffects(ToolContext context) {
        this.context = context;
    }

    Map<String, Object> apply(Connection c, ToolCall call) throws SQLException {
        if (call instanceof LookupCustomerHistory l) return lookup(c, l);
        if (call instanceof CreateJob j) return createJob(c, j);
        if (call instanceof BookJobTime b) return book(c, b);
        if (call instanceof RescheduleJobTime r) return reschedule(c, r);
        if (call instanceof CancelJobBooking x) return cancel(c, x);
        if (call instanceof SuggestAlternativeTimes s) return suggest(c, s);
        if (call instanceof CreateMessageForOwner m) return message(c, m);
        if (call instanceof ScheduleCallback s) return callback(c, s);
        if (call instanceof TransferToOncall t) return transfer(c, t);
        throw new IllegalStateException("unknown tool " + call.tool());
    }

    private Map<String, Object> lookup(Connection c, LookupCustomerHistory l) throws SQLException {
        Map<String, Object> result = new LinkedHashMap<>();
        var name = StoreSql.customerName(c, l.customerPhone());
        result.put("found", name.isPresent());
        name.ifPresent(n -> result.put("name", n));
        List<Map<String, Object>> jobs = new ArrayList<>();
        for (CustomerJob job : StoreSql.jobs(c, l.customerPhone())) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("job_id", job.id());
            j.put("service", job.service());
            j.put("status", job.status().name().toLowerCase());
            job.date().ifPresent(d -> j.put("date", d.toString()));
            job.window().ifPresent(w -> {
                j.put("window_start", w.start().toString());
                j.put("window_end", w.end().toString());
            });
            job.doneOn().ifPresent(d -> j.put("done_on", d.toString()));
            jobs.add(j);
        }
        result.put("jobs", jobs);
        return result;
    }

    private Map<String, Object> createJob(Connection c, CreateJob j) throws SQLException {
        StoreSql.upsertCustomer(c, j.customerPhone(), null);
        String id = StoreSql.nextJobId(c);
        StoreSql.insertJob(c, id, j.customerPhone(), j.service(), j.description(), CustomerJob.Status.OPEN, null);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("job_id", id);
        result.put("service", j.service());
        result.put("status", "open");
        return result;
    }

    private Map<String, Object> book(Connection c, BookJobTime b) throws SQLException {
        if (!StoreSql.takeSlot(c, b.jobId(), b.date(), b.window(), context.business().jobsPerWindow())) {
            return refusal("window_full", b.date(), b.window());
        }
        StoreSql.setJobStatus(c, b.jobId(), CustomerJob.Status.BOOKED);
        return booked(b.jobId(), b.date(), b.window());
    }

    private Map<String, Object> reschedule(Connection c, RescheduleJobTime r) throws SQLException {
        CustomerJob before = StoreSql.jobs(c, context.customerPhone()).stream()
                .filter(j -> j.id().equals(r.jobId())).findFirst().orElseThrow();
        StoreSql.releaseSlot(c, r.jobId());
        if (!StoreSql.takeSlot(c, r.jobId(), r.date(), r.window(), context.business().jobsPerWindow())) {
            // put the old booking back: it was ours a moment ago in this same transaction
            StoreSql.takeSlot(c, r.jobId(), before.date().orElseThrow(), before.window().orElseThrow(), Integer.MAX_VALUE);
            return refusal("window_full", r.date(), r.window());
        }
        Map<String, Object> result = booked(r.jobId(), r.date(), r.window());
        result.put("previous_date", before.date().orElseThrow().toString());
        result.put("previous_window_start", before.window().orElseThrow().start().toString());
        return result;
    }

    private Map<String, Object> cancel(Connection c, CancelJobBooking x) throws SQLException {
        StoreSql.releaseSlot(c, x.jobId());
        StoreSql.setJobStatus(c, x.jobId(), CustomerJob.Status.CANCELLED);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("ok", true);
        result.put("job_id", x.jobId());
        result.put("status", "cancelled");
        return result;
    }

    /** Nearest days first (a later day before an earlier one at the same distance), the first free matching window of each. */
    private Map<String, Object> suggest(Connection c, SuggestAlternativeTimes s) throws SQLException {
        BusinessProfile business = context.business();
        LocalDate today = context.now().toLocalDate();
        LocalDate last = today.plusDays(business.horizonDays());
        List<Map<String, Object>> options = new ArrayList<>();
        for (int distance = 0; options.size() < s.maxOptions() && distance <= business.horizonDays() * 2; distance++) {
            for (LocalDate day : distance == 0 ? List.of(s.around()) : List.of(s.around().plusDays(distance), s.around().minusDays(distance))) {
                if (options.size() >= s.maxOptions() || day.isBefore(today) || day.isAfter(last)) continue;
                for (ArrivalWindow w : business.windowsOn(day)) {
                    if (s.startsAtOrAfter().isPresent() && w.start().isBefore(s.startsAtOrAfter().get())) continue;
                    if (s.startsBefore().isPresent() && !w.start().isBefore(s.startsBefore().get())) continue;
                    if (!business.stillBookable(day, w, context.now())) continue;
                    if (StoreSql.bookedCount(c, day, w) >= business.jobsPerWindow()) continue;
                    Map<String, Object> option = new LinkedHashMap<>();
                    option.put("date", day.toString());
                    option.put("window_start", w.start().toString());
                    option.put("window_end", w.end().toString());
                    options.add(option);
                    break;
                }
            }
        }
        return new LinkedHashMap<>(Map.of("options", options));
    }

    private Map<String, Object> message(Connection c, CreateMessageForOwner m) throws SQLException {
        OwnerMessage saved = BusinessStore.insertOwnerMessage(c, m.customerPhone(), m.about(), m.text(), m.reason());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("message_id", saved.id());
        return result;
    }

    private Map<String, Object> callback(Connection c, ScheduleCallback s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO agent_scheduled_callback (customer_phone, call_at, note) VALUES (?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, s.customerPhone());
            ps.setTimestamp(2, Timestamp.valueOf(s.at()));
            ps.setString(3, s.note());
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("callback_id", keys.getLong(1));
                result.put("at", s.at().toString());
                return result;
            }
        }
    }

    private Map<String, Object> transfer(Connection c, TransferToOncall t) throws SQLException {
        List<OnCallPerson> roster = StoreSql.onCallRoster(c);
        OnCallPerson person = roster.isEmpty() ? context.business().onCall().get(0) : roster.get(0);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("transfer_to", person.phone());
        result.put("name", person.name());
        return result;
    }

    private static Map<String, Object> booked(String jobId, LocalDate date, ArrivalWindow window) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("ok", true);
        result.put("job_id", jobId);
        result.put("date", date.toString());
        result.put("window_start", window.start().toString());
        result.put("window_end", window.end().toString());
        return result;
    }

    private static Map<String, Object> refusal(String error, LocalDate date, ArrivalWindow window) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("ok", false);
        result.put("error", error);
        result.put("date", date.toString());
        result.put("window_start", window.start().toString());
        return result;
    }

    static boolean isRefusal(Map<String, Object> result) {
        return result.containsKey("error");
    }
}
