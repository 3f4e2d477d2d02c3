package dev.ringback.server.call;

import dev.ringback.agent.AgentTurn;
import dev.ringback.agent.CallbackContext;
import dev.ringback.agent.DialogManager;
import dev.ringback.agent.SmsMessage;
import dev.ringback.agent.ToolCallRecord;
import dev.ringback.media.Codec;
import dev.ringback.media.Playout;
import dev.ringback.media.PlayoutResult;
import dev.ringback.media.RtpSession;
import dev.ringback.server.sms.CallbackRequest;
import dev.ringback.server.sms.RequestState;
import dev.ringback.server.sms.ThreadMessage;
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
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One outbound callback call: SIP dialog, RTP session, turn-taking and the dialog manager, tied
 * together by one call id. SIP and speech callbacks only enqueue onto the call's serial executor;
 * barge-in is the exception: it flushes queued audio at once from the speech thread.
 */
public final class VoiceCall {
    private static final Logger log = LoggerFactory.getLogger(VoiceCall.class);
    private static final String CLOSING = "Thanks for your time. Goodbye.";
    private static final List<String> TRANSFER_FAILED = List.of("I'm sorry, I couldn't put you through just now.",
            "I've sent an urgent message to the person on call, and they will call you straight back.");

    private enum Phase { DIALLING, RINGING, TALKING, HANGING_UP, ENDED }

    private final CallServices services;
    private final CallbackRequest request;
    private final String callId;
    private final SerialExecutor serial;
    private final CompletableFuture<String> finished = new CompletableFuture<>();
    private final AtomicInteger speechGeneration = new AtomicInteger();
    private final AtomicBoolean ended = new AtomicBoolean();

    private volatile Phase phase = Phase.DIALLING;
    /** Set when the call's real result differs from what the dialog intended (a transfer that failed). */
    private String outcomeOverride;
    private RtpSession media;
    private SipCall sip;
    private TurnDetector turns;
    private DialogManager dialog;
    private ScheduledFuture<?> silenceTimer;
    private ScheduledFuture<?> maxDurationTimer;
    /** Sentences of the current agent turn with their playouts, to tell the dialog what was heard. */
    private final List<SpokenSentence> spoken = new ArrayList<>();
    private volatile CompletableFuture<PlayoutResult> lastPlayout = CompletableFuture.completedFuture(null);

    private record SpokenSentence(String text, List<Playout> playouts) {}

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
            media = services.rtp().open();
            sip = services.sip().dial(request.customerPhone(),
                    new MediaOffer(services.rtpHost(), media.localPort()),
                    event -> serial.execute(() -> onSipEvent(event)));
            double sinceWebhookMs = (System.nanoTime() - request.receivedNanos()) / 1e6;
            services.calls().inviteSent(callId, sip.callId(), sinceWebhookMs);
            log.info("call {} INVITE to {} sent {} ms after the webhook", callId, request.customerPhone(),
                    String.format("%.1f", sinceWebhookMs));
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
            // hold/resume is answered by the SIP layer; the RTP session does not re-target yet
            log.info("call {} media changed by the far end: {} {}:{}", callId, m.direction(), m.media().host(), m.media().rtpPort());
        }
    }

    private void onAnswered(MediaAnswer answer) {
        Optional<Codec> codec = Codec.forPayloadType(answer.payloadType());
        if (codec.isEmpty()) {
            log.warn("call {} answered with unsupported payload type {}", callId, answer.payloadType());
            sip.hangUp();
            return;
        }
        phase = Phase.TALKING;
        services.requests().transition(request.id(), RequestState.ANSWERED, "answered, " + codec.get());
        services.calls().answered(callId);
        services.monitor().publish(new CallActivity.Answered(callId, codec.get().name()));
        media.start(new InetSocketAddress(answer.host(), answer.rtpPort()), codec.get());
        record();
        CallbackContext context = context();
        services.businessStore().recordSmsThread(request.customerPhone(), callId, context.thread());
        dialog = new DialogManager(services.business(), services.businessStore(), context);
        turns = services.speech().newTurnDetector(this::onTurnEvent);
        media.onAudio(turns::accept);
        maxDurationTimer = services.timers().schedule(() -> serial.execute(this::closePolitely),
                services.callConfig().maxDuration().toMillis(), TimeUnit.MILLISECONDS);
        speak(dialog.open(), 0);
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

    private CallbackContext context() {
        ZoneId zone = services.business().timezone();
        List<SmsMessage> thread = request.thread().stream()
                .map(m -> new SmsMessage(
                        m.direction() == ThreadMessage.Direction.INBOUND ? SmsMessage.Direction.INBOUND : SmsMessage.Direction.OUTBOUND,
                        m.at().atZoneSameInstant(zone).toLocalDateTime(), m.text()))
                .toList();
        ZonedDateTime smsAt = request.thread().stream()
                .filter(m -> m.direction() == ThreadMessage.Direction.INBOUND)
                .reduce((a, b) -> b)
                .map(m -> m.at().atZoneSameInstant(zone))
                .orElse(request.receivedAt().atZone(zone));
        return new CallbackContext(callId, request.customerPhone(),
                services.businessStore().customerName(request.customerPhone()), thread, smsAt);
    }

    /** Runs on a speech worker. Onsets while the agent talks are barge-ins: flush now, tell the dialog after. */
    private void onTurnEvent(TurnEvent event) {
        if (event instanceof SpeechStarted) {
            if (phase == Phase.TALKING && media.isPlaying()) {
                speechGeneration.incrementAndGet();
                int dropped = media.flush();
                turns.setAgentSpeaking(false);
                log.info("call {} barge-in: dropped {} queued frames", callId, dropped);
                serial.execute(this::reportInterruption);
            }
            serial.execute(this::cancelSilenceTimer);
        } else if (event instanceof UserTurn t) {
            serial.execute(() -> onCustomerTurn(t));
        }
    }

    private void reportInterruption() {
        for (SpokenSentence s : spoken) {
            int played = 0, total = 0;
            boolean interrupted = false;
            for (Playout p : s.playouts()) {
                PlayoutResult r = p.done().getNow(null);
                if (r == null) continue;
                played += r.framesPlayed();
                total += r.framesTotal();
                interrupted |= r.interrupted();
            }
            if (interrupted) {
                double fraction = total == 0 ? 0 : (double) played / total;
                dialog.onInterrupted(s.text(), fraction);
                services.monitor().publish(new CallActivity.BargeIn(callId, s.text()));
                return;
            }
        }
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
        AgentTurn reply = dialog.onCustomerTurn(heard);
        speak(reply, turn.speechEndNanos());
    }

    /**
     * Synthesises sentence by sentence and queues audio as it comes, so the first RTP packet of the
     * reply leaves while later sentences are still being synthesised.
     */
    private void speak(AgentTurn turn, long customerSpeechEndNanos) {
        cancelSilenceTimer();
        for (ToolCallRecord t : turn.toolCalls()) {
            services.monitor().publish(new CallActivity.ToolCalled(callId, t.tool(), t.args(), t.result(), t.idempotencyKey()));
        }
        int generation = speechGeneration.get();
        spoken.clear();
        turns.setHints(dialog.expectedPhrases());
        // while the agent talks, onsets must be longer to count: echo and "mm-hm" should not interrupt
        turns.setAgentSpeaking(true);
        boolean first = true;
        for (String sentence : turn.sentences()) {
            if (generation != speechGeneration.get() || phase != Phase.TALKING && phase != Phase.HANGING_UP) return;
            List<Playout> playouts = new ArrayList<>();
            spoken.add(new SpokenSentence(sentence, playouts));
            long[] firstAudioNanos = {0};
            services.speech().tts().stream(sentence, chunk -> {
                if (generation != speechGeneration.get()) return;
                Playout p = media.play(chunk);
                if (firstAudioNanos[0] == 0) firstAudioNanos[0] = System.nanoTime();
                playouts.add(p);
                lastPlayout = p.done();
            });
            Double latencyMs = first && customerSpeechEndNanos > 0 && firstAudioNanos[0] > 0
                    ? (firstAudioNanos[0] - customerSpeechEndNanos) / 1e6 : null;
            first = false;
            services.calls().addTurn(callId, "agent", sentence, latencyMs, false);
            services.monitor().publish(new CallActivity.AgentSaid(callId, sentence));
        }
        if (turn.transferTo().isPresent()) {
            String onCall = turn.transferTo().get();
            afterPlayout(generation, () -> transfer(onCall));
        } else if (turn.endCall()) {
            afterPlayout(generation, this::hangUp);
        } else {
            afterPlayout(generation, this::armSilenceTimer);
        }
    }

    private void afterPlayout(int generation, Runnable then) {
        lastPlayout.whenComplete((r, e) -> serial.execute(() -> {
            if (generation != speechGeneration.get()) return;
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

    /**
     * Blind transfer with REFER. When the trunk will not transfer (or the on-call phone does not answer)
     * the caller is told so and the owner gets an urgent message: never silence, never a dead end.
     * A bridged fallback (a second call joined with RtpBridge) is the next step.
     */
    private void transfer(String onCall) {
        if (phase != Phase.TALKING) return;
        log.info("call {} transferring to the on-call number {}", callId, onCall);
        sip.transfer(onCall).whenComplete((result, error) -> serial.execute(() -> {
            if (phase != Phase.TALKING) return;
            if (error == null && !result.shouldFallBackToBridge()) {
                outcomeOverride = "transferred";
                services.calls().addTurn(callId, "system", "transferred to " + onCall, null, false);
                hangUp();
                return;
            }
            String why = error != null ? error.toString() : result.outcome() + " " + result.sipStatus() + " " + result.reason();
            log.warn("call {} transfer to {} did not complete: {}", callId, onCall, why);
            outcomeOverride = "transfer-failed";
            services.businessStore().createMessageForOwner(request.customerPhone(), "URGENT: emergency, transfer failed",
                    "Emergency caller " + request.customerPhone() + " could not be put through to " + onCall
                            + " (" + why + "). Call them now. Their texts: " + request.customerTexts(), why);
            speak(new AgentTurn(TRANSFER_FAILED, List.of(), true, Optional.empty()), 0);
        }));
    }

    private void onEnded(String reason) {
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
        if (maxDurationTimer != null) maxDurationTimer.cancel(false);
        if (turns != null) turns.close();
        if (media != null) media.close();
    }
}
