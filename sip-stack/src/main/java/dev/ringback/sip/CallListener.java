package dev.ringback.sip;

/** Receives a call's events, in order, on the agent's single SIP event thread: must not block. */
@FunctionalInterface
public interface CallListener {
    void onEvent(CallEvent event);
}
