package dev.ringback.agent.dialog;

import java.util.Optional;

/**
 * What the customer texted about, in their own words, ready to follow "You texted us":
 * "about your toilet that keeps running" or "that you can smell gas"; and the catalogue service if known.
 */
public record Topic(String mention, Optional<String> serviceId) {}
