package dev.ringback.agent.business;

import java.time.Instant;

/** A message left for the business owner. */
public record OwnerMessage(long id, String customerPhone, String about, String text, String reason, Instant createdAt) {}
