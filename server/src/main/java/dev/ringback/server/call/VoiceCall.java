package dev.ringback.server.call;

import dev.ringback.agent.AgentTurn;
import dev.ringback.agent.CallbackContext;
import dev.ringback.agent.dialog.DialogManager;
import dev.ringback.agent.tools.ToolCallRecord;
import dev.ringback.agent.tools.TransferToOncall;
import dev.ringback.media.AudioListener;
import dev.ringback.media.Codec;
import dev.ringback.media.RtpSession;
import dev.ringback.server.sms.CallbackRequest;
import dev.ringback.server.sms.RequestState;
import dev.ringback.sip.CallEvent;
import dev.ringback.sip.CallOutcome;
import dev.ringback.sip.MediaAnswer;
import dev.ringback.sip.MediaOffer;
import dev.ringback.sip.SipCall;
import dev.ringback.speech.turn.TurnDetector;
import dev.ringback.speech.turn.SpeechStarted;
import dev.ringback.speech.turn.TurnEvent;
import dev.ringback.speech.turn.UserTurn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One outbound callback call: SIP dialog, RTP session, turn-taking and the dialog manager, tied
 * together by one call id. SIP and speech callbacks only enqueue onto the call's serial executor;
 * barge-in is the exception: it flushes queued audio at once from the speech thread.
 */
public final class VoiceCall {
    private static final Logger log = LoggerFactory.getLogger(VoiceCall.class);
    private static final String CLOSING = "Thanks for your time. Goodbye.";
    /** TRANSFERRING: REFER sent or the on-call leg ringing or being briefed; BRIDGED: caller and on-call person talk. */
    private enum Phase { DIALLING, RINGING, TALKING, TRANSFERRING, BRIDGED, HANGING_UP, ENDED }

    private final CallServices services;
    private final CallbackRequest request;
    private final String callId;
    private final SerialExecutor serial;
    private final CompletableFuture<String> finished = new CompletableFuture<>();
    private final AtomicBoolean ended = new AtomicBoolean();

    private volatile Phase phase = Phase.DIALLING;
    /** Set when the customer answers. */
    private Codec codec;
    /** Set when the call's real result differs from what the dialog intended (a transfer that failed). */
    private String outcomeOverride;
    private RtpSession media;
    private AgentVoice voice;
    private SipCall sip;
    private TurnDetector turns;
    private AudioListener turnInput;
    private AudioListener echoReference;
    private DialogManager dialog;
    private CallbackContext context;
    /** The agent's first turn, made and synthesised while the phone rings. */
    private AgentTurn opening;
    private ScheduledFuture<?> silenceTimer;
    private ScheduledFuture<?> maxDurationTimer;
    /** The emergency transfer, once the dialog asked for one. */
    private EmergencyTransfer transfer;
    /** Why the call ended when SIP alone cannot say (the on-call person hung up and we sent the BYE). */
    private String endReason;

    VoiceCall(CallServices services, CallbackRequest request) {
        this.services = services;
        this.request = request;
        this.serial = new SerialExecutor(services.workers());
        this.callId = services.calls().create(request.id(), request.customerPhone());
    }

    public String id() {
        return callId;
    }

    /** Completes with the outcome when the call is over, whatever happened. */
    public CompletableFuture<String> finished() {
        return finished;
    }

    /** Opens media and sends the INVITE; returns at once. */
    void dial() {
        services.monitor().publish(new CallActivity.Dialling(callId, request.id(), request.customerPhone()));
        try {
            media = services.rtp().open(callId);
            voice = new AgentVoice(services.speech().tts(), media, services.workers());
            sip = services.sip().dial(request.customerPhone(),
                    new MediaOffer(services.rtpHost(), media.localPort()),
                    event -> serial.execute(() -> onSipEvent(event)));
            double sinceWebhookMs = (System.nanoTime() - request.receivedNanos()) / 1e6;
            services.calls().inviteSent(callId, sip.callId(), sinceWebhookMs);
            log.info("call {} INVITE to {} sent {} ms after the webhook", callId, request.customerPhone(),
                    String.format("%.1f", sinceWebhookMs));
            serial.execute(this::prepareOpening);
        } catch (RuntimeException e) {
            log.error("call {} could not be placed", callId, e);
            fail(RequestState.FAILED, "failed", "could not place the call: " + e.getMessage(), null);
        }
    }

    private void onSipEvent(CallEvent event) {
        if (phase == Phase.ENDED) return;
        if (event instanceof CallEvent.Ringing r) {
            if (phase == Phase.DIALLING) {
                phase = Phase.RINGING;
                services.requests().transition(request.id(), RequestState.RINGING, "ringing (" + r.status() + ")");
                services.calls().state(callId, "ringing");
                services.monitor().publish(new CallActivity.Ringing(callId));
            }
        } else if (event instanceof CallEvent.EarlyMedia e) {
            log.debug("call {} early media from {}:{}", callId, e.media().host(), e.media().rtpPort());
        } else if (event instanceof CallEvent.Answered a) {
            onAnswered(a.media());
        } else if (event instanceof CallEvent.Ended e) {
            onEnded(e.byRemote() ? "customer hung up" : "agent hung up");
        } else if (event instanceof CallEvent.Failed f) {
            onFailed(f);
        } else if (event instanceof CallEvent.MediaChanged m) {
            if (codec != null) RemoteMedia.follow(callId, media, codec.payloadType(), m);
        }
    }

    private void onAnswered(MediaAnswer answer) {
        Optional<Codec> negotiated = Codec.forPayloadType(answer.payloadType());
        if (negotiated.isEmpty()) {
            log.warn("call {} answered with unsupported payload type {}", callId, answer.payloadType());
            sip.hangUp();
            return;
        }
        phase = Phase.TALKING;
        codec = negotiated.get();
        services.requests().transition(request.id(), RequestState.ANSWERED, "answered, " + codec);
        services.calls().answered(callId);
        services.monitor().publish(new CallActivity.Answered(callId, codec.name()));
        RemoteMedia.start(media, answer, codec);
        record();
        services.businessStore().recordSmsThread(request.customerPhone(), callId, context.thread());
        if (opening == null) prepareOpening();
        turns = services.speech().newTurnDetector(this::onTurnEvent);
        turnInput = turns::accept;
        echoReference = turns::agentAudio;
        media.onAudio(turnInput);
        // what the agent sends, as it leaves: its echo from the customer's phone must not count as the customer
        media.onSentAudio(echoReference);
        maxDurationTimer = services.timers().schedule(() -> serial.execute(this::closePolitely),
                services.callConfig().maxDuration().toMillis(), TimeUnit.MILLISECONDS);
        speak(opening, 0);
    }

    /**
     * While the phone rings: the dialog and its opening, synthesised into the TTS cache, so the customer hears the
     * agent the moment they answer rather than after the synthesis of its first sentence.
     */
    private void prepareOpening() {
        if (opening != null || phase == Phase.ENDED) return;
        context = SmsThreadContext.of(callId, request, services.business().timezone(),
                services.businessStore().customerName(request.customerPhone()));
        dialog = new DialogManager(services.business(), services.businessStore(), context);
        opening = dialog.open();
        voice.prepare(opening.sentences());
    }

    /** Only where the business tells callers so: the agent's disclosure and the recording go together. */
    private void record() {
        if (!services.business().recordingDisclosure()) return;
        Path wav = services.recordingOf(callId);
        try {
            Files.createDirectories(wav.getParent());
            media.record(wav);
        } catch (IOException | RuntimeException e) {
            log.error("call {} cannot be recorded to {}; the call goes on unrecorded", callId, wav, e);
        }
    }

    /** Runs on a speech worker. Onsets while the agent talks are barge-ins: flush now, tell the dialog after. */
    private void onTurnEvent(TurnEvent event) {
        if (event instanceof SpeechStarted) {
            if (phase == Phase.TALKING && voice.isPlaying()) {
                int dropped = voice.interrupt();
                turns.setAgentSpeaking(false);
                log.info("call {} barge-in: dropped {} queued frames ({})", callId, dropped, turns.echoState());
                serial.execute(this::reportInterruption);
            }
            serial.execute(this::cancelSilenceTimer);
        } else if (event instanceof UserTurn t) {
            serial.execute(() -> onCustomerTurn(t));
        }
    }

    private void reportInterruption() {
        voice.interrupted().ifPresent(cut -> {
            dialog.onInterrupted(cut.sentence(), cut.fractionHeard());
            services.monitor().publish(new CallActivity.BargeIn(callId, cut.sentence()));
        });
    }

    private void onCustomerTurn(UserTurn turn) {
        if (phase != Phase.TALKING) return;
        String heard = turn.text().trim();
        if (heard.isEmpty()) {
            armSilenceTimer();
            return;
        }
        services.calls().addTurn(callId, "customer", heard, null, false);
        services.monitor().publish(new CallActivity.CustomerSaid(callId, heard));
        AgentTurn reply = dialog.onCustomerTurn(RecognitionExpectations.heard(turn.heard()));
        speak(reply, turn.speechEndNanos());
    }

    /**
     * Synthesises sentence by sentence and queues audio as it comes, so the first RTP packet of the reply leaves
     * while later sentences are still being synthesised. The synthesis runs on the call's speaker queue, never on
     * its event queue: a BYE, a re-INVITE or a barge-in report is handled at once, not after the TTS is done.
     */
    private void speak(AgentTurn turn, long customerSpeechEndNanos) {
        cancelSilenceTimer();
        for (ToolCallRecord t : turn.toolCalls()) {
            services.monitor().publish(new CallActivity.ToolCalled(callId, t.tool(), t.args(), t.result(), t.idempotencyKey()));
        }
        turns.setExpectation(RecognitionExpectations.of(dialog));
        // while the agent talks, onsets must be longer to count: echo and "mm-hm" should not interrupt
        turns.setAgentSpeaking(true);
        Runnable then;
        if (turn.transferTo().isPresent()) {
            String onCall = turn.transferTo().get();
            ToolCallRecord transferCall = turn.toolCalls().stream().filter(t -> t.tool().equals(TransferToOncall.NAME)).reduce((a, b) -> b).orElse(null);
            then = () -> transfer(onCall, transferCall);
        } else if (turn.endCall()) {
            then = this::hangUp;
        } else {
            then = this::armSilenceTimer;
        }
        boolean[] first = {true};
        voice.say(turn.sentences(), (sentence, firstAudioNanos) -> {
            Double latencyMs = first[0] && customerSpeechEndNanos > 0 && firstAudioNanos > 0 ? (firstAudioNanos - customerSpeechEndNanos) / 1e6 : null;
            first[0] = false;
            services.calls().addTurn(callId, "agent", sentence, latencyMs, false);
            services.monitor().publish(new CallActivity.AgentSaid(callId, sentence));
        }, spokenTurn -> serial.execute(() -> {
            if (!voice.isCurrent(spokenTurn)) return;
            turns.setAgentSpeaking(false);
            then.run();
        }));
    }

    private void armSilenceTimer() {
        cancelSilenceTimer();
        if (phase != Phase.TALKING) return;
        silenceTimer = services.timers().schedule(() -> serial.execute(this::closePolitely),
                services.callConfig().silenceTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void cancelSilenceTimer() {
        if (silenceTimer != null) silenceTimer.cancel(false);
    }

    /** The customer went quiet or the call ran too long: one closing sentence, then BYE. */
    private void closePolitely() {
        if (phase != Phase.TALKING) return;
        speak(new AgentTurn(List.of(CLOSING), List.of(), true, Optional.empty()), 0);
    }

    private void hangUp() {
        if (phase == Phase.ENDED || phase == Phase.HANGING_UP) return;
        phase = Phase.HANGING_UP;
        sip.hangUp();
    }

    /** The dialog put the caller through to the on-call person: the call leaves the agent's hands. */
    private void transfer(String onCall, ToolCallRecord transferCall) {
        if (phase != Phase.TALKING) return;
        phase = Phase.TRANSFERRING;
        cancelSilenceTimer();
        // the dialog is over: what the caller says now is for the on-call person, not the speech recogniser
        media.removeAudioListener(turnInput);
        media.removeSentAudioListener(echoReference);
        transfer = new EmergencyTransfer(services, request, callId, transferCall, onCall, serial, sip, media, voice, new EmergencyTransfer.Call() {
            @Override
            public void connected() {
                if (phase == Phase.TRANSFERRING) phase = Phase.BRIDGED;
                outcomeOverride = "transferred";
            }

            @Override
            public void failed(AgentTurn apology) {
                outcomeOverride = "transfer-failed";
                phase = Phase.TALKING;
                speak(apology, 0);
            }

            @Override
            public void end(String reason) {
                if (reason != null) endReason = reason;
                hangUp();
            }
        });
        transfer.start();
    }

    private void onEnded(String reason) {
        if (transfer != null) transfer.close();
        if (endReason != null) reason = endReason;
        String outcome = outcomeOverride != null ? outcomeOverride
                : dialog == null ? "ended" : dialog.outcome().orElse("ended");
        finish(RequestState.COMPLETED, outcome, reason, null);
    }

    private void onFailed(CallEvent.Failed f) {
        RequestState state = switch (f.outcome()) {
            case BUSY -> RequestState.BUSY;
            case NO_ANSWER, DECLINED -> RequestState.NO_ANSWER;
            default -> RequestState.FAILED;
        };
        String reason = describe(f.outcome()) + " (SIP " + f.sipStatus() + (f.reason() == null || f.reason().isBlank() ? "" : ": " + f.reason()) + ")";
        fail(state, f.outcome().name().toLowerCase().replace('_', '-'), reason, f.sipStatus());
    }

    private static String describe(CallOutcome outcome) {
        return switch (outcome) {
            case BUSY -> "the customer's line was busy";
            case NO_ANSWER -> "the customer did not answer";
            case DECLINED -> "the customer declined the call";
            case NOT_FOUND -> "the number could not be reached";
            case FORBIDDEN -> "the trunk refused the call";
            case NO_COMMON_CODEC -> "no common audio codec with the trunk";
            case AUTH_FAILED -> "the trunk rejected our credentials";
            case TRUNK_UNAVAILABLE -> "the SIP trunk did not take the call";
            case REDIRECT_LOOP -> "the trunk's redirects went round in a loop";
            case TOO_MANY_REDIRECTS -> "the trunk redirected the call too many times";
            case SRTP_NEGOTIATION_FAILED -> "the far end would not encrypt the call's audio (SRTP required)";
            case FAILED -> "the call failed";
        };
    }

    /**
     * The call never got through. The dispatcher decides what follows (a retry, or the owner's message and
     * a booked callback once retries run out), so nothing is lost and the owner hears of it once.
     */
    private void fail(RequestState state, String outcome, String reason, Integer sipStatus) {
        if (!ended.compareAndSet(false, true)) return;
        phase = Phase.ENDED;
        try {
            services.requests().transition(request.id(), state, reason);
            services.calls().ended(callId, outcome, reason, sipStatus);
        } finally {
            release();
            services.monitor().publish(new CallActivity.Ended(callId, outcome, reason));
            finished.complete(outcome);
        }
    }

    private void finish(RequestState state, String outcome, String reason, Integer sipStatus) {
        if (!ended.compareAndSet(false, true)) return;
        phase = Phase.ENDED;
        try {
            services.calls().ended(callId, outcome, reason, sipStatus);
            services.requests().transition(request.id(), state, "call ended: " + outcome + ", " + reason);
        } finally {
            release();
            services.monitor().publish(new CallActivity.Ended(callId, outcome, reason));
            finished.complete(outcome);
        }
    }

    private void release() {
        cancelSilenceTimer();
        if (transfer != null) transfer.close();
        if (maxDurationTimer != null) maxDurationTimer.cancel(false);
        if (turns != null) turns.close();
        if (media != null) media.close();
    }
}
