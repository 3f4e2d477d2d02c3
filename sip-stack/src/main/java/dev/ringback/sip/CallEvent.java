package dev.ringback.sip;

/**
 * What happened to a call. Each call emits Ringing, EarlyMedia and Answered at most once, MediaChanged any number of
 * times between Answered and the end, and exactly one Ended or Failed.
 */
public sealed interface CallEvent permits CallEvent.Ringing, CallEvent.EarlyMedia, CallEvent.Answered, CallEvent.MediaChanged,
        CallEvent.Ended, CallEvent.Failed {
    String callId();

    record Ringing(String callId, int status) implements CallEvent {}

    record EarlyMedia(String callId, MediaAnswer media) implements CallEvent {}

    record Answered(String callId, MediaAnswer media) implements CallEvent {}

    /**
     * The far end changed the session with a re-INVITE or UPDATE (hold, resume, new RTP address) and we accepted it.
     *
     * @param media     where to send RTP now and the codec in use
     * @param direction what WE now do, as written in our answer: SENDRECV talk normally; RECVONLY the far end put us
     *                  on hold (do not send); INACTIVE no audio either way; SENDONLY the far end only listens
     */
    record MediaChanged(String callId, MediaAnswer media, MediaDirection direction) implements CallEvent {}

    record Ended(String callId, boolean byRemote, String reason) implements CallEvent {}

    record Failed(String callId, CallOutcome outcome, int sipStatus, String reason) implements CallEvent {}
}
