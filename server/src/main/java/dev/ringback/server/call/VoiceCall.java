package dev.ringback.server.call;

import dev.ringback.agent.AgentTurn;
import dev.ringback.agent.CallbackContext;
import dev.ringback.agent.DialogManager;
import dev.ringback.agent.SmsMessage;
import dev.ringback.agent.ToolCallRecord;
import dev.ringback.agent.tools.ScheduleCallback;
import dev.ringback.agent.tools.ToolContext;
import dev.ringback.agent.tools.ToolRunner;
import dev.ringback.agent.tools.TransferToOncall;
import dev.ringback.media.AudioListener;
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
import dev.ringback.sip.TransferResult;
import dev.ringback.speech.turn.TurnDetector;
import dev.ringback.speech.turn.SpeechStarted;
import dev.ringback.speech.turn.TurnEvent;
import dev.ringback.speech.turn.UserTurn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
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

    /** TRANSFERRING: REFER sent or the on-call leg ringing or being briefed; BRIDGED: caller and on-call person talk. */
    private enum Phase { DIALLING, RINGING, TALKING, TRANSFERRING, BRIDGED, HANGING_UP, ENDED }

    private final CallServices services;
    private final CallbackRequest request;
    private final String callId;
    private final SerialExecutor serial;
    /** Synthesis of the agent's turns, in order, apart from {@link #serial} so events never wait for the TTS. */
    private final SerialExecutor speaker;
    /** A generation check and the play or flush it guards happen as one: no stale chunk slips in after a barge-in. */
    private final Object playLock = new Object();
    private final CompletableFuture<String> finished = new CompletableFuture<>();
    private final AtomicInteger speechGeneration = new AtomicInteger();
    private final AtomicBoolean ended = new AtomicBoolean();

    private volatile Phase phase = Phase.DIALLING;
    /** Set when the customer answers. */
    private Codec codec;
    /** Set when the call's real result differs from what the dialog intended (a transfer that failed). */
    private String outcomeOverride;
    private RtpSession media;
    private SipCall sip;
    private TurnDetector turns;
    private AudioListener turnInput;
    private AudioListener echoReference;
    private DialogManager dialog;
    private ScheduledFuture<?> silenceTimer;
    private ScheduledFuture<?> maxDurationTimer;
    /** The reason the agent gave transfer_to_oncall: what the on-call person is told the emergency is. */
    private String transferReason = "";
    /** The transfer_to_oncall tool call this transfer carries out: its log row gets the transfer's path and result. */
    private String transferToolKey;
    private String transferPath;
    private OnCallLeg onCallLeg;
    private ScheduledFuture<?> stillConnectingTimer;
    private TransferAudio transferAudio;
    /** Why the call ended when SIP alone cannot say (the on-call person hung up and we sent the BYE). */
    private String endReason;
    private LocalDateTime transferStartedAt;
    /** Sentences of the current agent turn with their playouts, to tell the dialog what was heard. */
    private final List<SpokenSentence> spoken = new ArrayList<>();

    private record SpokenSentence(String text, List<Playout> playouts) {}

    /** Synthesised on the workers while the on-call phone rings, so no one waits for the TTS once it is answered. */
    private record TransferAudio(String briefing, CompletableFuture<short[]> briefingPcm, CompletableFuture<short[]> answered,
                                 CompletableFuture<short[]> stillConnecting) {}

    VoiceCall(CallServices services, CallbackRequest request) {
        this.services = services;
        this.request = request;
        this.serial = new SerialExecutor(services.workers());
        this.speaker = new SerialExecutor(services.workers());
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
        CallbackContext context = context();
        services.businessStore().recordSmsThread(request.customerPhone(), callId, context.thread());
        dialog = new DialogManager(services.business(), services.businessStore(), context);
        turns = services.speech().newTurnDetector(this::onTurnEvent);
        turnInput = turns::accept;
        echoReference = turns::agentAudio;
        media.onAudio(turnInput);
        // what the agent sends, as it leaves: its echo from the customer's phone must not count as the customer
        media.onSentAudio(echoReference);
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
                int dropped;
                synchronized (playLock) {
                    speechGeneration.incrementAndGet();
                    dropped = media.flush();
                }
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
        int generation = speechGeneration.get();
        spoken.clear();
        turns.setExpectation(RecognitionExpectations.of(dialog));
        // while the agent talks, onsets must be longer to count: echo and "mm-hm" should not interrupt
        turns.setAgentSpeaking(true);
        Runnable then;
        if (turn.transferTo().isPresent()) {
            String onCall = turn.transferTo().get();
            turn.toolCalls().stream().filter(t -> t.tool().equals(TransferToOncall.NAME)).reduce((a, b) -> b).ifPresent(t -> {
                transferReason = String.valueOf(t.args().getOrDefault("reason", ""));
                transferToolKey = t.idempotencyKey();
            });
            then = () -> transfer(onCall);
        } else if (turn.endCall()) {
            then = this::hangUp;
        } else {
            then = this::armSilenceTimer;
        }
        speaker.execute(() -> synthesise(turn.sentences(), generation, customerSpeechEndNanos, then));
    }

    /** On the speaker queue: turns are synthesised one after another, each dropped as soon as a barge-in outdates it. */
    private void synthesise(List<String> sentences, int generation, long customerSpeechEndNanos, Runnable then) {
        CompletableFuture<PlayoutResult> last = CompletableFuture.completedFuture(null);
        boolean first = true;
        for (String sentence : sentences) {
            if (generation != speechGeneration.get() || phase != Phase.TALKING && phase != Phase.HANGING_UP) return;
            List<Playout> playouts = new CopyOnWriteArrayList<>();
            SpokenSentence said = new SpokenSentence(sentence, playouts);
            serial.execute(() -> {
                if (generation == speechGeneration.get()) spoken.add(said);
            });
            long[] firstAudioNanos = {0};
            services.speech().tts().stream(sentence, chunk -> {
                synchronized (playLock) {
                    if (generation != speechGeneration.get()) return;
                    playouts.add(media.play(chunk));
                }
                if (firstAudioNanos[0] == 0) firstAudioNanos[0] = System.nanoTime();
            });
            if (!playouts.isEmpty()) last = playouts.get(playouts.size() - 1).done();
            Double latencyMs = first && customerSpeechEndNanos > 0 && firstAudioNanos[0] > 0
                    ? (firstAudioNanos[0] - customerSpeechEndNanos) / 1e6 : null;
            first = false;
            services.calls().addTurn(callId, "agent", sentence, latencyMs, false);
            services.monitor().publish(new CallActivity.AgentSaid(callId, sentence));
        }
        last.whenComplete((r, e) -> serial.execute(() -> {
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
     * Hands the caller to the on-call person: blind transfer with REFER where the trunk does it, else (REFER refused,
     * or {@code sip.refer: false}) a bridged transfer through a second call. When neither connects, the caller is
     * told so honestly, the owner gets an urgent message and a call back is booked: never silence, never a dead end.
     */
    private void transfer(String onCall) {
        if (phase != Phase.TALKING) return;
        phase = Phase.TRANSFERRING;
        transferStartedAt = LocalDateTime.now(services.business().timezone()).truncatedTo(ChronoUnit.MINUTES);
        cancelSilenceTimer();
        // the dialog is over: what the caller says now is for the on-call person, not the speech recogniser
        media.removeAudioListener(turnInput);
        media.removeSentAudioListener(echoReference);
        if (!services.callConfig().referSupported()) {
            bridge(onCall, "REFER not used (sip.refer: false)", null);
            return;
        }
        log.info("call {} transferring to the on-call number {} with REFER", callId, onCall);
        transferPath = "refer";
        services.calls().transferStarted(callId, "refer", onCall, "REFER sent", null);
        sip.transfer(onCall).whenComplete((result, error) -> serial.execute(() -> onReferResult(onCall, result, error)));
    }

    private void onReferResult(String onCall, TransferResult result, Throwable error) {
        if (phase != Phase.TRANSFERRING) return;
        if (error == null && result.outcome() == TransferResult.Outcome.ACCEPTED) {
            outcomeOverride = "transferred";
            transferConnected("REFER accepted: " + result.sipStatus() + " " + result.reason());
            services.calls().addTurn(callId, "system", "transferred to " + onCall + " by REFER", null, false);
            // the transferee's side normally ends our leg now; if it does not, we do
            services.timers().schedule(() -> serial.execute(this::hangUp), REFER_HANG_UP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        String why = error != null ? error.toString() : result.outcome() + " " + result.sipStatus() + " " + result.reason();
        if (error == null && result.outcome() == TransferResult.Outcome.REJECTED) {
            // the trunk cannot transfer: we join the on-call person to the caller ourselves
            log.info("call {} REFER refused ({}); bridging the transfer instead", callId, why);
            bridge(onCall, result.reason().isBlank() ? "REFER refused: " + result.sipStatus() : result.reason(), result.sipStatus());
            return;
        }
        // REFER taken but the target did not answer: ringing them again ourselves would only double the wait
        int status = error == null ? result.sipStatus() : 0;
        giveUpOnTransfer(onCall, status == 486 || status == 600 ? "busy" : status == 408 || status == 480 || status == 487 ? "no-answer" : "failed",
                "REFER transfer failed: " + why, status == 0 ? null : status);
    }

    private void bridge(String onCall, String why, Integer referStatus) {
        transferPath = "bridge";
        services.calls().transferStarted(callId, "bridge", onCall, why, referStatus);
        services.calls().addTurn(callId, "system", why + "; calling " + onCall + " to bridge the caller", null, false);
        String briefing = briefing().sentence();
        transferAudio = new TransferAudio(briefing, synthesiseLater(briefing), synthesiseLater(ON_CALL_ANSWERED),
                synthesiseLater(STILL_CONNECTING));
        onCallLeg = new OnCallLeg(services, callId, onCall, serial, new OnCallLeg.Listener() {
            @Override
            public void onAnswered() {
                onCallAnswered(onCall);
            }

            @Override
            public void onFailed(String result, String detail, Integer sipStatus) {
                if (phase == Phase.TRANSFERRING) giveUpOnTransfer(onCall, result, detail, sipStatus);
            }

            @Override
            public void onHungUp(String detail) {
                onCallHungUp(onCall, detail);
            }
        });
        onCallLeg.dial().ifPresent(legCallId -> services.calls().onCallLeg(callId, legCallId));
        // the caller was told they are being connected; while it rings (and while the on-call person is briefed)
        // they hear now and then that we are still on it
        stillConnectingTimer = services.timers().scheduleAtFixedRate(() -> serial.execute(this::sayStillConnecting),
                STILL_CONNECTING_EVERY.toMillis(), STILL_CONNECTING_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void sayStillConnecting() {
        if (phase != Phase.TRANSFERRING || transferAudio == null || media.isPlaying()) return;
        short[] pcm = transferAudio.stillConnecting().getNow(null);
        if (pcm == null) return;
        media.play(pcm);
        services.calls().addTurn(callId, "agent", STILL_CONNECTING, null, false);
        services.monitor().publish(new CallActivity.AgentSaid(callId, STILL_CONNECTING));
    }

    /** The on-call person picked up: they hear who and what first, the caller hears that they are nearly there. */
    private void onCallAnswered(String onCall) {
        if (phase != Phase.TRANSFERRING) return;
        media.flush();
        transferAudio.answered().thenAccept(pcm -> serial.execute(() -> {
            if (phase == Phase.TRANSFERRING) media.play(pcm);
        }));
        services.calls().addTurn(callId, "agent", ON_CALL_ANSWERED, null, false);
        services.monitor().publish(new CallActivity.AgentSaid(callId, ON_CALL_ANSWERED));
        transferAudio.briefingPcm().whenComplete((pcm, e) -> serial.execute(() -> brief(onCall, pcm, e)));
    }

    private void brief(String onCall, short[] pcm, Throwable synthesisError) {
        if (phase != Phase.TRANSFERRING) return;
        if (synthesisError != null) {
            log.warn("call {} briefing could not be synthesised; connecting the on-call person without it", callId, synthesisError);
            connect(onCall);
            return;
        }
        services.calls().addTurn(callId, "to-oncall", transferAudio.briefing(), null, false);
        services.monitor().publish(new CallActivity.AgentSaid(callId, "(to the on-call person) " + transferAudio.briefing()));
        onCallLeg.play(pcm).whenComplete((r, e) -> serial.execute(() -> connect(onCall)));
    }

    private void connect(String onCall) {
        if (phase != Phase.TRANSFERRING) return;
        phase = Phase.BRIDGED;
        cancelStillConnecting();
        media.flush();
        onCallLeg.bridgeTo(media);
        outcomeOverride = "transferred";
        transferConnected("bridged: caller and on-call person connected");
        services.calls().addTurn(callId, "system", "bridged to " + onCall, null, false);
        log.info("call {} bridged to the on-call person {}", callId, onCall);
    }

    private void onCallHungUp(String onCall, String detail) {
        if (phase == Phase.BRIDGED) {
            endReason = detail;
            services.calls().addTurn(callId, "system", detail, null, false);
            hangUp();
        } else if (phase == Phase.TRANSFERRING) {
            giveUpOnTransfer(onCall, "failed", detail + " before being connected", null);
        }
    }

    private OnCallBriefing briefing() {
        ZoneId zone = services.business().timezone();
        Optional<ThreadMessage> lastText = request.thread().stream()
                .filter(m -> m.direction() == ThreadMessage.Direction.INBOUND).reduce((a, b) -> b);
        return new OnCallBriefing(services.businessStore().customerName(request.customerPhone()), request.customerPhone(),
                transferReason, lastText.map(m -> m.at().atZoneSameInstant(zone)));
    }

    private CompletableFuture<short[]> synthesiseLater(String sentence) {
        return CompletableFuture.supplyAsync(() -> synthesise(sentence), services.workers());
    }

    private short[] synthesise(String sentence) {
        List<short[]> chunks = new ArrayList<>();
        services.speech().tts().stream(sentence, chunks::add);
        short[] all = new short[chunks.stream().mapToInt(c -> c.length).sum()];
        int at = 0;
        for (short[] c : chunks) {
            System.arraycopy(c, 0, all, at, c.length);
            at += c.length;
        }
        return all;
    }

    private void transferConnected(String detail) {
        services.calls().transferConnected(callId, detail);
        logTransferOutcome("connected", detail);
    }

    /** The tool log tells how the transfer it asked for ended: path and result next to the call's own result. */
    private void logTransferOutcome(String result, String detail) {
        if (transferToolKey == null) return;
        try {
            toolRunner().recordOutcome(transferToolKey, Map.of("path", transferPath == null ? "none" : transferPath,
                    "result", result, "detail", detail == null ? "" : detail));
        } catch (RuntimeException e) {
            log.warn("call {} transfer outcome not added to the tool log: {}", callId, e.getMessage());
        }
    }

    private ToolRunner toolRunner() {
        LocalDateTime now = LocalDateTime.now(services.business().timezone()).truncatedTo(ChronoUnit.MINUTES);
        return new ToolRunner(services.businessStore(), new ToolContext(callId, request.customerPhone(), now, services.business()));
    }

    /** Neither REFER nor the bridge connected: an honest sentence, the owner's urgent message and a booked call back. */
    private void giveUpOnTransfer(String onCall, String result, String why, Integer sipStatus) {
        log.warn("call {} transfer to {} did not complete: {} ({})", callId, onCall, result, why);
        cancelStillConnecting();
        onCallLeg = null;
        outcomeOverride = "transfer-failed";
        services.calls().transferFailed(callId, result, why, sipStatus);
        logTransferOutcome(result, why);
        services.businessStore().createMessageForOwner(request.customerPhone(), "URGENT: emergency, transfer failed",
                "Emergency caller " + request.customerPhone() + " could not be put through to " + onCall
                        + " (" + why + "). Call them now. Their texts: " + request.customerTexts(), why);
        boolean booked = scheduleCallback(why);
        phase = Phase.TALKING;
        media.flush();
        speak(new AgentTurn(List.of(TRANSFER_FAILED, booked ? OWNER_TOLD_AND_BOOKED : OWNER_TOLD), List.of(), true, Optional.empty()), 0);
    }

    /**
     * Books a call back through the agent's schedule_callback tool. The time comes from when the transfer started
     * and the turn is fixed, so a retry of this step yields the same idempotency key and no second callback.
     */
    private boolean scheduleCallback(String why) {
        LocalDateTime now = LocalDateTime.now(services.business().timezone()).truncatedTo(ChronoUnit.MINUTES);
        LocalDateTime at = transferStartedAt.plus(EMERGENCY_CALLBACK_AFTER);
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

    private void onEnded(String reason) {
        if (onCallLeg != null) onCallLeg.hangUp();
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
        cancelStillConnecting();
        if (onCallLeg != null) onCallLeg.hangUp();
        if (maxDurationTimer != null) maxDurationTimer.cancel(false);
        if (turns != null) turns.close();
        if (media != null) media.close();
    }
}
