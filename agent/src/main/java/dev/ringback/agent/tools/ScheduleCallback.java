package dev.ringback.agent.tools;

import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/** Schedules a call back to the customer at a business-local time (minute precision). */
public record ScheduleCallback(String customerPhone, LocalDateTime at, String note) implements ToolCall {
    public static final String NAME = "schedule_callback";

    public ScheduleCallback {
        Checks.matching(NAME, "customer_phone", customerPhone, Checks.E164);
        at = Checks.present(NAME, "at", at).truncatedTo(ChronoUnit.MINUTES);
        note = Checks.text(NAME, "note", note, 500);
    }

    @Override public String tool() {
        return NAME;
    }

    @Override public Map<String, Object> args() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("customer_phone", customerPhone);
        args.put("at", at.toString());
        args.put("note", note);
        return args;
    }
}
