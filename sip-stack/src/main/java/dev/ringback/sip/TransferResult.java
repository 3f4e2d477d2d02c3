package dev.ringback.sip;

import java.util.Objects;

/**
 * How a blind transfer (REFER) ended.
 *
 * @param sipStatus REJECTED: the REFER's final status (405, 501, 603…); ACCEPTED/FAILED: the last sipfrag status from
 *                  the far end's NOTIFYs (0 when none came)
 */
public record TransferResult(Outcome outcome, int sipStatus, String reason) {
    public enum Outcome {
        /** The transfer target answered (NOTIFY with sipfrag 2xx). The far end normally hangs up on us next. */
        ACCEPTED,
        /** The far end refused the REFER itself: it cannot transfer; bridge the call ourselves instead. */
        REJECTED,
        /** The REFER was taken but the transfer did not complete (target failed, no NOTIFY, call ended). */
        FAILED
    }

    public TransferResult {
        Objects.requireNonNull(outcome, "outcome");
        if (reason == null) reason = "";
    }

    /** Whether the call is still ours to bridge some other way: the REFER was refused or the target never answered. */
    public boolean shouldFallBackToBridge() {
        return outcome != Outcome.ACCEPTED;
    }
}
