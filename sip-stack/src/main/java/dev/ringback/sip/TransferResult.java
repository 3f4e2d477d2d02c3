package dev.ringback.sip;

import java.util.Objects;

/**
 * How a blind transfer (REFER) ended. The outcome says what to do next; the status is there to be recorded.
 *
 * @param sipStatus REJECTED: the REFER's final status (405, 501, 603…); the others: the last sipfrag status from the
 *                  far end's NOTIFYs (0 when none came)
 */
public record TransferResult(Outcome outcome, int sipStatus, String reason) {
    public enum Outcome {
        /** The transfer target answered (NOTIFY with sipfrag 2xx). The far end normally hangs up on us next. */
        ACCEPTED,
        /** The far end refused the REFER itself (or never answered it): it cannot transfer; bridge the call ourselves. */
        REJECTED,
        /** The REFER was taken but the transfer target was busy (486, 600). */
        BUSY,
        /** The REFER was taken but the transfer target did not answer (480, 408, 487). */
        NO_ANSWER,
        /** The REFER was taken but the transfer did not complete otherwise (target failed, no NOTIFY, call ended). */
        FAILED
    }

    public TransferResult {
        Objects.requireNonNull(outcome, "outcome");
        if (reason == null) reason = "";
    }
}
