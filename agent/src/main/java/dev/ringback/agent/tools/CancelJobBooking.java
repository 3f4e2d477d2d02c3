package dev.ringback.agent.tools;

import java.util.LinkedHashMap;
import java.util.Map;

/** Cancels a job and frees its arrival window. */
public record CancelJobBooking(String jobId, String reason) implements ToolCall {
    public static final String NAME = "cancel_job_booking";

    public CancelJobBooking {
        Checks.matching(NAME, "job_id", jobId, Checks.JOB_ID);
        reason = Checks.text(NAME, "reason", reason, 500);
    }

    @Override public String tool() {
        return NAME;
    }

    @Override public Map<String, Object> args() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("job_id", jobId);
        args.put("reason", reason);
        return args;
    }
}
