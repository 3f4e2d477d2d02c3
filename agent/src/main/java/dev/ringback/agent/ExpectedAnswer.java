package dev.ringback.agent;

/** The kind of answer the question the agent just asked waits for: the recogniser listens for it first. */
public enum ExpectedAnswer {
    /** Anything: the reason for the call, a description of the job, a message. */
    OPEN,
    /** A day or a time. */
    WHEN,
    /** Yes or no (with a correction behind a no). */
    YES_NO,
    /** A person's name. */
    NAME,
    /** One of the times or bookings just offered. */
    CHOICE,
    /** The answer to "anything else?". */
    ANYTHING_ELSE
}
