package dev.ringback.agent.tools;

import dev.ringback.agent.business.ArrivalWindow;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/** Books an open job into an arrival window on a date. */
public record BookJobTime(String jobId, LocalDate date, ArrivalWindow window) implements ToolCall {
    public static final String NAME = "book_job_time";

    public BookJobTime {
        Checks.matching(NAME, "job_id", jobId, Checks.JOB_ID);
        Checks.present(NAME, "date", date);
        Checks.present(NAME, "window", window);
    }

    @Override public String tool() {
        return NAME;
    }

    @Override public Map<String, Object> args() {
        return slotArgs(jobId, date, window);
    }

    /** The logged shape of a job placed in a window; booking and rescheduling share it. */
    static Map<String, Object> slotArgs(String jobId, LocalDate date, ArrivalWindow window) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("job_id", jobId);
        args.put("date", date.toString());
        args.put("window_start", window.start().toString());
        args.put("window_end", window.end().toString());
        return args;
    }
}
