package dev.ringback.agent.business;

import java.time.LocalDateTime;

/** A call back the customer asked for, at a business-local time. */
public record ScheduledCallback(long id, String customerPhone, LocalDateTime at, String note) {}
