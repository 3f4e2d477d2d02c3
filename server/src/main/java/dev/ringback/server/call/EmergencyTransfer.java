package dev.ringback.server.call;

import dev.ringback.agent.AgentTurn;
import dev.ringback.agent.tools.ScheduleCallback;
import dev.ringback.agent.tools.ToolCallRecord;
import dev.ringback.agent.tools.ToolContext;
import dev.ringback.agent.tools.ToolRunner;
import dev.ringback.media.RtpSession;
import dev.ringback.server.sms.CallbackRequest;
import dev.ringback.server.sms.ThreadMessage;
import dev.ringback.sip.SipCall;
import dev.ringback.sip.TransferResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Hands a caller with a genuine after-hours emergency to the on-call person: blind transfer with REFER where the
 * trunk does it, else (REFER refused, or {@code sip.refer: false}) a bridged transfer through a second call, with the
 * on-call person briefed first and the caller told now and then that we are still connecting. When neither connects,
 * the caller is told so honestly, the owner gets an urgent message and a call back is booked: never silence, never
 * a dead end. Runs on the call's serial executor, as {@link VoiceCall} does.
 */
final class EmergencyTransfer {
    private static final Logger log = LoggerFactory.getLogger(EmergencyTransfer.class);
    private static final String TRANSFER_FAILED = "I'm sorry, I couldn't put you through just now.";
    private static final String OWNER_TOLD = "I've sent an urgent message to the person on call, and they will call you straight back.";
    private static final String OWNER_TOLD_AND_BOOKED =
            "I've sent an urgent message to the person on call and booked a call back, so they will call you straight back.";
    private static final String STILL_CONNECTING = "Still connecting you, please stay on the line.";
    private static final String ON_CALL_ANSWERED = "They've picked up. I'm telling them about your emergency, then I'll connect you.";
    private static final Duration STILL_CONNECTING_EVERY = Duration.ofSeconds(10);
    private static final Duration REFER_HANG_UP_GRACE = Duration.ofSeconds(3);
    /** A failed emergency transfer books a call back this soon, as a safety net behind the owner's urgent message. */
    private static final Duration EMERGENCY_CALLBACK_AFTER = Duration.ofMinutes(10);
    /** Tool-log turn of the fallback callback: outside the dialog's own turn numbers, so its idempotency key is its own. */
    private static final int TRANSFER_FALLBACK_TURN = 1000;

    /** What the transfer needs of its call. */
    interface Call {
        /** The caller and the on-call person are connected: the call's outcome is "transferred". */
        void connected();

        /** Nothing connected: say these sentences and end the call (its outcome is "transfer-failed"). */
        void failed(AgentTurn apology);

        /** Our leg is to end now (the far end took the REFER, or the on-call person hung up), for this reason. */
        void end(String reason);
    }

    private enum State { REFERRING, BRIDGING, BRIDGED, DONE }

    /** Synthesised on the workers while the on-call phone rings, so no one waits for the TTS once it is answered. */
    private record TransferAudio(String briefing, CompletableFuture<short[]> briefingPcm, CompletableFuture<short[]> answered,
                                 CompletableFuture<short[]> stillConnecting) {}

    private final CallServices services;
    private final CallbackRequest request;
    private final String callId;
    private final String onCall;
    /** The reason the agent gave transfer_to_oncall: what the on-call person is told the emergency is. */
    private final String reason;
    /** The transfer_to_oncall tool call this transfer carries out: its log row gets the transfer's path and result. */
    private final String toolKey;
    private final SerialExecutor serial;
    private final SipCall sip;
    private final RtpSession media;
    private final AgentVoice voice;
    private final Call call;
    private final LocalDateTime startedAt;

    private State state;
    private String path;
    private OnCallLeg onCallLeg;
    private ScheduledFuture<?> stillConnectingTimer;
    private TransferAudio audio;

    EmergencyTransfer(CallServices services, CallbackRequest request, String callId, ToolCallRecord transferCall, String onCall,
                      SerialExecutor serial, SipCall sip, RtpSession media, AgentVoice voice, Call call) {
        this.services = services;
        this.request = request;
        this.callId = callId;
        this.onCall = onCall;
        this.reason = transferCall == null ? "" : String.valueOf(transferCall.args().getOrDefault("reason", ""));
        this.toolKey = transferCall == null ? null : transferCall.idempotencyKey();
        this.serial = serial;
        this.sip = sip;
        this.media = media;
        this.voice = voice;
        this.call = call;
        this.startedAt = LocalDateTime.now(services.business().timezone()).truncatedTo(ChronoUnit.MINUTES);
    }

    /** Starts it: REFER where the trunk does it, else the bridge. */
    void start() {
        if (!services.callConfig().referSupported()) {
            bridge("REFER not used (sip.refer: false)", null);
            return;
        }
        log.info("call {} transferring to the on-call number {} with REFER", callId, onCall);
        state = State.REFERRING;
        path = "refer";
        services.calls().transferStarted(callId, "refer", onCall, "REFER sent", null);
        sip.transfer(onCall).whenComplete((result, error) -> serial.execute(() -> onReferResult(result, error)));
    }

    /** Whether the caller and the on-call person are talking. */
    boolean bridged() {
        return state == State.BRIDGED;
    }

    /** The call is over: the on-call leg goes with it. */
    void close() {
        state = State.DONE;
        cancelStillConnecting();
        if (onCallLeg != null) onCallLeg.hangUp();
    }

    private void onReferResult(TransferResult result, Throwable error) {
        if (state != State.REFERRING) return;
        if (error == null && result.outcome() == TransferResult.Outcome.ACCEPTED) {
            state = State.DONE;
            call.connected();
            connected("REFER accepted: " + result.sipStatus() + " " + result.reason());
            services.calls().addTurn(callId, "system", "transferred to " + onCall + " by REFER", null, false);
            // the transferee's side normally ends our leg now; if it does not, we do
            services.timers().schedule(() -> serial.execute(() -> call.end(null)), REFER_HANG_UP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        String why = error != null ? error.toString() : result.outcome() + " " + result.sipStatus() + " " + result.reason();
        if (error == null && result.outcome() == TransferResult.Outcome.REJECTED) {
            // the trunk cannot transfer: we join the on-call person to the caller ourselves
            log.info("call {} REFER refused ({}); bridging the transfer instead", callId, why);
            bridge(result.reason().isBlank() ? "REFER refused: " + result.sipStatus() : result.reason(), result.sipStatus());
            return;
        }
        // REFER taken but the target did not answer: ringing them again ourselves would only double the wait
        int status = error == null ? result.sipStatus() : 0;
        String failure = error != null ? "failed" : switch (result.outcome()) {
            case BUSY -> "busy";
            case NO_ANSWER -> "no-answer";
            default -> "failed";
        };
        giveUp(failure, "REFER transfer failed: " + why, status == 0 ? null : status);
    }

    private void bridge(String why, Integer referStatus) {
        state = State.BRIDGING;
        path = "bridge";
        services.calls().transferStarted(callId, "bridge", onCall, why, referStatus);
        services.calls().addTurn(callId, "system", why + "; calling " + onCall + " to bridge the caller", null, false);
        String briefing = briefing().sentence();
        audio = new TransferAudio(briefing, synthesiseLater(briefing), synthesiseLater(ON_CALL_ANSWERED), synthesiseLater(STILL_CONNECTING));
        onCallLeg = new OnCallLeg(services, callId, onCall, serial, new OnCallLeg.Listener() {
            @Override
            public void onAnswered() {
                onCallAnswered();
            }

            @Override
            public void onFailed(String result, String detail, Integer sipStatus) {
                if (state == State.BRIDGING) giveUp(result, detail, sipStatus);
            }

            @Override
            public void onHungUp(String detail) {
                onCallHungUp(detail);
            }
        });
        onCallLeg.dial().ifPresent(legCallId -> services.calls().onCallLeg(callId, legCallId));
        // the caller was told they are being connected; while it rings (and while the on-call person is briefed)
        // they hear now and then that we are still on it
        stillConnectingTimer = services.timers().scheduleAtFixedRate(() -> serial.execute(this::sayStillConnecting),
                STILL_CONNECTING_EVERY.toMillis(), STILL_CONNECTING_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void sayStillConnecting() {
        if (state != State.BRIDGING || voice.isPlaying()) return;
        short[] pcm = audio.stillConnecting().getNow(null);
        if (pcm == null) return;
        voice.play(pcm);
        said(STILL_CONNECTING);
    }

    /** The on-call person picked up: they hear who and what first, the caller hears that they are nearly there. */
    private void onCallAnswered() {
        if (state != State.BRIDGING) return;
        voice.flush();
        audio.answered().thenAccept(pcm -> serial.execute(() -> {
            if (state == State.BRIDGING) voice.play(pcm);
        }));
        said(ON_CALL_ANSWERED);
        audio.briefingPcm().whenComplete((pcm, e) -> serial.execute(() -> brief(pcm, e)));
    }

    private void brief(short[] pcm, Throwable synthesisError) {
        if (state != State.BRIDGING) return;
        if (synthesisError != null) {
            log.warn("call {} briefing could not be synthesised; connecting the on-call person without it", callId, synthesisError);
            connect();
            return;
        }
        services.calls().addTurn(callId, "to-oncall", audio.briefing(), null, false);
        services.monitor().publish(new CallActivity.AgentSaid(callId, "(to the on-call person) " + audio.briefing()));
        onCallLeg.play(pcm).whenComplete((r, e) -> serial.execute(this::connect));
    }

    private void connect() {
        if (state != State.BRIDGING) return;
        state = State.BRIDGED;
        cancelStillConnecting();
        voice.flush();
        onCallLeg.bridgeTo(media);
        call.connected();
        connected("bridged: caller and on-call person connected");
        services.calls().addTurn(callId, "system", "bridged to " + onCall, null, false);
        log.info("call {} bridged to the on-call person {}", callId, onCall);
    }

    private void onCallHungUp(String detail) {
        if (state == State.BRIDGED) {
            state = State.DONE;
            services.calls().addTurn(callId, "system", detail, null, false);
            call.end(detail);
        } else if (state == State.BRIDGING) {
            giveUp("failed", detail + " before being connected", null);
        }
    }

    private void said(String sentence) {
        services.calls().addTurn(callId, "agent", sentence, null, false);
        services.monitor().publish(new CallActivity.AgentSaid(callId, sentence));
    }

    private OnCallBriefing briefing() {
        ZoneId zone = services.business().timezone();
        Optional<ThreadMessage> lastText = request.thread().stream()
                .filter(m -> m.direction() == ThreadMessage.Direction.INBOUND).reduce((a, b) -> b);
        return new OnCallBriefing(services.businessStore().customerName(request.customerPhone()), request.customerPhone(),
                reason, lastText.map(m -> m.at().atZoneSameInstant(zone)));
    }

    private CompletableFuture<short[]> synthesiseLater(String sentence) {
        return CompletableFuture.supplyAsync(() -> services.speech().tts().synthesise(sentence), services.workers());
    }

    private void connected(String detail) {
        services.calls().transferConnected(callId, detail);
        logOutcome("connected", detail);
    }

    /** The tool log tells how the transfer it asked for ended: path and result next to the call's own result. */
    private void logOutcome(String result, String detail) {
        if (toolKey == null) return;
        try {
            toolRunner().recordOutcome(toolKey, Map.of("path", path == null ? "none" : path, "result", result, "detail", detail == null ? "" : detail));
        } catch (RuntimeException e) {
            log.warn("call {} transfer outcome not added to the tool log: {}", callId, e.getMessage());
        }
    }

    private ToolRunner toolRunner() {
        LocalDateTime now = LocalDateTime.now(services.business().timezone()).truncatedTo(ChronoUnit.MINUTES);
        return new ToolRunner(services.businessStore(), new ToolContext(callId, request.customerPhone(), now, services.business()));
    }

    /** Neither REFER nor the bridge connected: an honest sentence, the owner's urgent message and a booked call back. */
    private void giveUp(String result, String why, Integer sipStatus) {
        log.warn("call {} transfer to {} did not complete: {} ({})", callId, onCall, result, why);
        state = State.DONE;
        cancelStillConnecting();
        onCallLeg = null;
        services.calls().transferFailed(callId, result, why, sipStatus);
        logOutcome(result, why);
        services.businessStore().createMessageForOwner(request.customerPhone(), "URGENT: emergency, transfer failed",
                "Emergency caller " + request.customerPhone() + " could not be put through to " + onCall
                        + " (" + why + "). Call them now. Their texts: " + request.customerTexts(), why);
        boolean booked = scheduleCallback(why);
        voice.flush();
        call.failed(new AgentTurn(List.of(TRANSFER_FAILED, booked ? OWNER_TOLD_AND_BOOKED : OWNER_TOLD), List.of(), true, Optional.empty()));
    }

    /**
     * Books a call back through the agent's schedule_callback tool. The time comes from when the transfer started
     * and the turn is fixed, so a retry of this step yields the same idempotency key and no second callback.
     */
    private boolean scheduleCallback(String why) {
        LocalDateTime now = LocalDateTime.now(services.business().timezone()).truncatedTo(ChronoUnit.MINUTES);
        LocalDateTime at = startedAt.plus(EMERGENCY_CALLBACK_AFTER);
        if (!at.isAfter(now)) at = now.plusMinutes(1); // a transfer that took longer than the safety margin
        try {
            ToolCallRecord t = toolRunner().run(TRANSFER_FALLBACK_TURN, new ScheduleCallback(request.customerPhone(), at,
                    cut("Emergency transfer failed (" + why + "). Call back at once. Their texts: " + request.customerTexts(), 500)));
            services.monitor().publish(new CallActivity.ToolCalled(callId, t.tool(), t.args(), t.result(), t.idempotencyKey()));
            return true;
        } catch (RuntimeException e) {
            log.warn("call {} no call back could be booked after the failed transfer: {}", callId, e.getMessage());
            return false;
        }
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    private void cancelStillConnecting() {
        if (stillConnectingTimer != null) stillConnectingTimer.cancel(false);
    }
}
