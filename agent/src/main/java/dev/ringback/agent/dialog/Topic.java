package dev.ringback.agent.dialog;

import java.util.Optional;

/** What the customer texted about, in their own words ("your toilet that keeps running"), and the catalogue service if known. */
public record Topic(String phrase, Optional<String> serviceId) {}
