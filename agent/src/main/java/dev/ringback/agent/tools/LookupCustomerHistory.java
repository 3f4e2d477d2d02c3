package dev.ringback.agent.tools;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the customer's name and jobs (read-only). */
public record LookupCustomerHistory(String customerPhone) implements ToolCall {
    public static final String NAME = "lookup_customer_history";

    public LookupCustomerHistory {
        Checks.matching(NAME, "customer_phone", customerPhone, Checks.E164);
    }

    @Override public String tool() {
        return NAME;
    }

    @Override public Map<String, Object> args() {
        return new LinkedHashMap<>(Map.of("customer_phone", customerPhone));
    }

    @Override public boolean readOnly() {
        return true;
    }
}
