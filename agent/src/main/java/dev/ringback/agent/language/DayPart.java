package dev.ringback.agent.language;

/** A part of the day the customer asked for. */
public enum DayPart { ANY, MORNING, AFTERNOON, FIRST_THING, LATE, EVENING }
