package dev.ringback.sip;

/** Decides about a new incoming call; runs on the SIP event thread, must not block. */
@FunctionalInterface
public interface IncomingCallHandler {
    void onIncomingCall(IncomingCall call);
}
