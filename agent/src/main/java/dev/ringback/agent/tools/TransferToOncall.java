package dev.ringback.agent.tools;

import java.util.LinkedHashMap;
import java.util.Map;

/** Hands a genuine after-hours emergency to the on-call person; the result names the number to transfer to. */
public record TransferToOncall(String customerPhone, String reason) implements ToolCall {
    public static final String NAME = "transfer_to_oncall";

    public TransferToOncall {
        Checks.matching(NAME, "customer_phone", customerPhone, Checks.E164);
        reason = Checks.text(NAME, "reason", reason, 500);
    }

    @Override public String tool() {
        return NAME;
    }

    @Override public Map<String, Object> args() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("customer_phone", customerPhone);
        args.put("reason", reason);
        return args;
    }
}
