package dev.ringback.sip;

/** An INVITE we received. Answer it or reject it; {@link #hangUp()} before answering declines it (603). */
public interface IncomingCall extends SipCall {
    String fromUser();

    String toUser();

    /** The caller's media, with the codec chosen from its offer (PCMU preferred). */
    MediaAnswer offered();

    /** Sends 180 then 200 with our SDP answer; Answered follows the ACK, Ended a BYE either way. */
    void answer(MediaOffer local, CallListener listener);

    void reject(int status, String reason);
}
