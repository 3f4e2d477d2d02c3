package dev.ringback.server.call;

import dev.ringback.media.Codec;
import dev.ringback.media.PlayoutResult;
import dev.ringback.media.RtpBridge;
import dev.ringback.media.RtpSession;
import dev.ringback.sip.CallEvent;
import dev.ringback.sip.CallOutcome;
import dev.ringback.sip.MediaAnswer;
import dev.ringback.sip.MediaOffer;
import dev.ringback.sip.SipCall;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The second call of a bridged transfer: rings the on-call person (giving up after the configured ring
 * timeout), lets the agent brief them, then joins their audio to the caller's with {@link RtpBridge}.
 * Every listener call runs on the owning call's serial executor, and so must every method here.
 */
final class OnCallLeg {
    private static final Logger log = LoggerFactory.getLogger(OnCallLeg.class);

    /** What the caller's side needs to hear about this leg; each leg reports exactly one failure or hang-up. */
    interface Listener {
        void onAnswered();

        /** @param result "no-answer", "busy", "declined" or "failed" */
        void onFailed(String result, String why, Integer sipStatus);

        void onHungUp(String why);
    }

    private final CallServices services;
    private final String callId;
    private final String target;
    private final SerialExecutor serial;
    private final Listener listener;

    private RtpSession media;
    private SipCall sip;
    private RtpBridge bridge;
    private ScheduledFuture<?> ringTimer;
    private boolean answered;
    private int payloadType;
    private boolean ringTimedOut;
    private boolean done;
    private boolean hungUp;

    OnCallLeg(CallServices services, String callId, String target, SerialExecutor serial, Listener listener) {
        this.services = services;
        this.callId = callId;
        this.target = target;
        this.serial = serial;
        this.listener = listener;
    }

    /** Opens RTP and sends the INVITE; returns the leg's SIP Call-ID. Failures are reported to the listener. */
    Optional<String> dial() {
        try {
            media = services.rtp().open(callId);
            sip = services.sip().dial(target, new MediaOffer(services.rtpHost(), media.localPort()),
                    event -> serial.execute(() -> onSipEvent(event)));
            long ringMs = services.callConfig().onCallRingTimeout().toMillis();
            ringTimer = services.timers().schedule(() -> serial.execute(this::onRingTimeout), ringMs, TimeUnit.MILLISECONDS);
            log.info("call {} bridged transfer: dialling the on-call number {} (leg {})", callId, target, sip.callId());
            return Optional.of(sip.callId());
        } catch (RuntimeException e) {
            log.error("call {} cannot dial the on-call number {}", callId, target, e);
            fail("failed", "could not dial the on-call number: " + e.getMessage(), null);
            return Optional.empty();
        }
    }

    /** Plays audio to the on-call person only; completes when the last of it has been sent. */
    CompletableFuture<PlayoutResult> play(short[] pcm8k) {
        return media.play(pcm8k).done();
    }

    /** Joins the on-call person and the caller both ways; the caller's queued audio goes first. */
    void bridgeTo(RtpSession caller) {
        bridge = RtpBridge.connect(caller, media);
    }

    /** CANCEL while ringing, BYE once answered; no listener call follows. */
    void hangUp() {
        if (hungUp) return;
        hungUp = true;
        done = true;
        cancelRingTimer();
        if (sip != null) sip.hangUp();
        close();
    }

    private void onSipEvent(CallEvent event) {
        if (done) return;
        if (event instanceof CallEvent.Answered a) {
            onAnswered(a.media());
        } else if (event instanceof CallEvent.Failed f) {
            fail(result(f.outcome()), describe(f), f.sipStatus());
        } else if (event instanceof CallEvent.Ended e) {
            if (!answered) {
                // we cancelled it: the ring timeout ran out (or the caller left, and then done is already set)
                fail("no-answer", ringTimedOut ? "no answer within " + services.callConfig().onCallRingTimeout().toSeconds() + " s"
                        : "cancelled before answer: " + e.reason(), null);
            } else {
                done = true;
                close();
                listener.onHungUp(e.byRemote() ? "on-call person hung up" : "on-call leg ended: " + e.reason());
            }
        } else if (event instanceof CallEvent.Ringing r) {
            log.info("call {} on-call phone ringing ({})", callId, r.status());
        } else if (event instanceof CallEvent.MediaChanged m && answered) {
            RemoteMedia.follow(callId, media, payloadType, m);
        }
    }

    private void onAnswered(MediaAnswer answer) {
        cancelRingTimer();
        Optional<Codec> codec = Codec.forPayloadType(answer.payloadType());
        if (codec.isEmpty()) {
            fail("failed", "on-call phone answered with unsupported payload type " + answer.payloadType(), null);
            sip.hangUp();
            return;
        }
        answered = true;
        payloadType = codec.get().payloadType();
        RemoteMedia.start(media, answer, codec.get());
        log.info("call {} on-call person answered ({})", callId, codec.get());
        listener.onAnswered();
    }

    private void onRingTimeout() {
        if (done || answered) return;
        ringTimedOut = true;
        log.info("call {} on-call phone not answered within {}; cancelling", callId, services.callConfig().onCallRingTimeout());
        sip.hangUp();
    }

    private void fail(String result, String why, Integer sipStatus) {
        if (done) return;
        done = true;
        cancelRingTimer();
        close();
        listener.onFailed(result, why, sipStatus);
    }

    private void cancelRingTimer() {
        if (ringTimer != null) ringTimer.cancel(false);
    }

    private void close() {
        if (bridge != null) bridge.close();
        if (media != null) media.close();
    }

    private static String result(CallOutcome outcome) {
        return switch (outcome) {
            case BUSY -> "busy";
            case NO_ANSWER -> "no-answer";
            case DECLINED -> "declined";
            default -> "failed";
        };
    }

    private static String describe(CallEvent.Failed f) {
        String reason = f.reason() == null || f.reason().isBlank() ? "" : ": " + f.reason();
        return "on-call leg " + f.outcome().name().toLowerCase().replace('_', '-') + " (SIP " + f.sipStatus() + reason + ")";
    }
}
