package dev.ringback.sip;

import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands one call's events to its listener and enforces the contract: Ringing, EarlyMedia and Answered at most once,
 * exactly one terminal event (Ended or Failed), nothing after it. A throwing listener is logged, never propagated.
 */
final class CallEventSink {
    private static final Logger LOG = LoggerFactory.getLogger(CallEventSink.class);

    private final String callId;
    private final CallListener listener;
    private boolean ringing;
    private boolean earlyMedia;
    private boolean answered;
    private boolean terminated;

    CallEventSink(String callId, CallListener listener) {
        this.callId = callId;
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    boolean terminated() {
        return terminated;
    }

    void ringing(int status) {
        if (ringing || answered || terminated) return;
        ringing = true;
        deliver(new CallEvent.Ringing(callId, status));
    }

    void earlyMedia(MediaAnswer media) {
        if (earlyMedia || answered || terminated) return;
        earlyMedia = true;
        deliver(new CallEvent.EarlyMedia(callId, media));
    }

    void answered(MediaAnswer media) {
        if (answered || terminated) return;
        answered = true;
        deliver(new CallEvent.Answered(callId, media));
    }

    void mediaChanged(MediaAnswer media, MediaDirection direction) {
        if (!answered || terminated) return;
        deliver(new CallEvent.MediaChanged(callId, media, direction));
    }

    void ended(boolean byRemote, String reason) {
        if (terminated) return;
        terminated = true;
        deliver(new CallEvent.Ended(callId, byRemote, reason));
    }

    void failed(CallOutcome outcome, int sipStatus, String reason) {
        if (terminated) return;
        terminated = true;
        deliver(new CallEvent.Failed(callId, outcome, sipStatus, reason));
    }

    private void deliver(CallEvent event) {
        LOG.info("call {}: {}", callId, event);
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            LOG.warn("call {}: listener threw on {}", callId, event, e);
        }
    }
}
