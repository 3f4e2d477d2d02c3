package dev.ringback.agent.tools;

import java.util.LinkedHashMap;
import java.util.Map;

/** Leaves a message for the owner: about is a catalogue id or "general", text the customer's request. */
public record CreateMessageForOwner(String customerPhone, String about, String text, String reason) implements ToolCall {
    public static final String NAME = "create_message_for_owner";

    public CreateMessageForOwner {
        Checks.matching(NAME, "customer_phone", customerPhone, Checks.E164);
        Checks.matching(NAME, "about", about, "[a-z0-9][a-z0-9-]{0,40}");
        text = Checks.text(NAME, "text", text, 2000);
        reason = Checks.text(NAME, "reason", reason, 200);
    }

    @Override public String tool() {
        return NAME;
    }

    @Override public Map<String, Object> args() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("customer_phone", customerPhone);
        args.put("about", about);
        args.put("text", text);
        args.put("reason", reason);
        return args;
    }
}
