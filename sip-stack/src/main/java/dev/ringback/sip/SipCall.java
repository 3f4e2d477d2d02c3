package dev.ringback.sip;

/** A call in progress. */
public interface SipCall {
    /** The SIP Call-ID; also the id every event of this call carries. */
    String callId();

    /** CANCEL before answer, BYE after. Idempotent; the call's terminal event is emitted once. */
    void hangUp();
}
