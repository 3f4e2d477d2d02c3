package dev.ringback.agent.tools;

import dev.ringback.agent.business.BusinessProfile;

import java.time.LocalDateTime;
import java.util.Objects;

/** Who the tools act for and the dialog's clock (business-local), so bounds do not depend on the wall clock. */
public record ToolContext(String callId, String customerPhone, LocalDateTime now, BusinessProfile business) {
    public ToolContext {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(customerPhone, "customerPhone");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(business, "business");
    }
}
