package dev.ringback.sip;

/** A call in progress. */
public interface SipCall {
    /** The SIP Call-ID; also the id every event of this call carries. */
    String callId();

    /** CANCEL before answer, BYE after. Idempotent; the call's terminal event is emitted once. */
    void hangUp();

    /**
     * Blind transfer: sends REFER (Refer-To {@code sip:<targetE164>@trunk}) in this answered call and follows the far
     * end's NOTIFYs. Completes on the agent's event thread (do not block there); never completes exceptionally.
     * The call itself stays up: the far end normally hangs up after ACCEPTED, otherwise {@link #hangUp()} or bridge.
     * A call not answered yet, or with a transfer already running, completes at once as FAILED.
     *
     * @throws IllegalArgumentException if {@code targetE164} cannot be a SIP user part
     */
    java.util.concurrent.CompletableFuture<TransferResult> transfer(String targetE164);
}
