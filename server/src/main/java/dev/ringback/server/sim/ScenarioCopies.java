package dev.ringback.server.sim;

import dev.ringback.agent.business.CustomerJob;
import dev.ringback.agent.scenario.Scenario;

import java.util.List;
import java.util.Map;

/**
 * A scenario's k-th copy for running it more than once at a time against one server: another customer number and
 * job ids of its own (the store keys both), mapped back when its tool calls are checked against the scenario.
 */
public final class ScenarioCopies {
    private ScenarioCopies() {}

    /** Copy 0 is the scenario itself. */
    public static Scenario copy(Scenario s, int k) {
        if (k == 0) return s;
        List<CustomerJob> jobs = s.customer().jobs().stream()
                .map(j -> new CustomerJob(jobId(j.id(), k), phone(s.customer().phone(), k), j.service(), j.description(), j.status(),
                        j.date(), j.window(), j.doneOn()))
                .toList();
        return new Scenario(s.id(), s.source(), s.smsAt(), new Scenario.Customer(phone(s.customer().phone(), k), s.customer().name(), jobs),
                s.calendarFull(), s.smsThread(), s.customerSays(), s.customerGoal(), s.expect());
    }

    /** Another number in the same country: the last three digits become 900 + k. */
    public static String phone(String e164, int k) {
        return k == 0 ? e164 : e164.substring(0, e164.length() - 3) + (900 + k);
    }

    static String jobId(String id, int k) {
        return k == 0 ? id : id + "-" + k;
    }

    /** A copy's tool arguments with its job ids and number as the scenario wrote them. */
    public static Map<String, Object> original(Map<String, Object> args, Scenario original, int k) {
        if (k == 0) return args;
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        args.forEach((key, v) -> {
            Object value = v;
            if (v instanceof String str) {
                for (CustomerJob j : original.customer().jobs()) if (str.equals(jobId(j.id(), k))) value = j.id();
                if (str.equals(phone(original.customer().phone(), k))) value = original.customer().phone();
            }
            out.put(key, value);
        });
        return out;
    }
}
