package dev.ringback.agent.tools;

import dev.ringback.agent.business.ArrivalWindow;

import java.time.LocalDate;
import java.util.Map;

/** Moves a booked job to another arrival window. */
public record RescheduleJobTime(String jobId, LocalDate date, ArrivalWindow window) implements ToolCall {
    public static final String NAME = "reschedule_job_time";

    public RescheduleJobTime {
        Checks.matching(NAME, "job_id", jobId, Checks.JOB_ID);
        Checks.present(NAME, "date", date);
        Checks.present(NAME, "window", window);
    }

    @Override public String tool() {
        return NAME;
    }

    @Override public Map<String, Object> args() {
        return BookJobTime.slotArgs(jobId, date, window);
    }
}
