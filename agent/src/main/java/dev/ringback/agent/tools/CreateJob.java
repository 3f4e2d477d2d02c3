package dev.ringback.agent.tools;

import java.util.LinkedHashMap;
import java.util.Map;

/** Opens a job for the customer; service is a catalogue id, description the customer's own words. */
public record CreateJob(String customerPhone, String service, String description) implements ToolCall {
    public static final String NAME = "create_job";

    public CreateJob {
        Checks.matching(NAME, "customer_phone", customerPhone, Checks.E164);
        Checks.matching(NAME, "service", service, "[a-z0-9][a-z0-9-]{0,40}");
        description = Checks.text(NAME, "description", description, 500);
    }

    @Override public String tool() {
        return NAME;
    }

    @Override public Map<String, Object> args() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("customer_phone", customerPhone);
        args.put("service", service);
        args.put("description", description);
        return args;
    }
}
