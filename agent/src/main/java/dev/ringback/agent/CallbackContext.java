package dev.ringback.agent;

import dev.ringback.agent.business.SmsMessage;

import java.time.ZonedDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What the agent knows when it calls: who, the SMS thread, and when the SMS arrived (the dialog's clock). */
public record CallbackContext(String callId, String customerPhone, Optional<String> customerName, List<SmsMessage> thread,
                              ZonedDateTime smsAt) {
    public CallbackContext {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(customerPhone, "customerPhone");
        Objects.requireNonNull(smsAt, "smsAt");
        customerName = customerName == null ? Optional.empty() : customerName.filter(n -> !n.isBlank());
        thread = List.copyOf(thread);
    }
}
