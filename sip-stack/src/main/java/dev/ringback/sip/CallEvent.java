package dev.ringback.sip;

/** What happened to a call. Each call emits Ringing, EarlyMedia and Answered at most once, and exactly one Ended or Failed. */
public sealed interface CallEvent permits CallEvent.Ringing, CallEvent.EarlyMedia, CallEvent.Answered, CallEvent.Ended, CallEvent.Failed {
    String callId();

    record Ringing(String callId, int status) implements CallEvent {}

    record EarlyMedia(String callId, MediaAnswer media) implements CallEvent {}

    record Answered(String callId, MediaAnswer media) implements CallEvent {}

    record Ended(String callId, boolean byRemote, String reason) implements CallEvent {}

    record Failed(String callId, CallOutcome outcome, int sipStatus, String reason) implements CallEvent {}
}
