package dev.ringback.agent.tools;

import java.util.Map;

/** The nine tools the agent may use; each record refuses malformed values, {@link ToolBounds} the ones that need the store. */
public sealed interface ToolCall permits LookupCustomerHistory, CreateJob, BookJobTime, RescheduleJobTime, CancelJobBooking,
        SuggestAlternativeTimes, CreateMessageForOwner, ScheduleCallback, TransferToOncall {

    /** The wire name, e.g. "book_job_time". */
    String tool();

    /** JSON-shaped arguments (strings, numbers, booleans); these and the call id and turn make the idempotency key. */
    Map<String, Object> args();

    /** Read-only tools change nothing in the business. */
    default boolean readOnly() {
        return false;
    }
}
