package dev.ringback.server.sim;

import dev.ringback.media.Codec;
import dev.ringback.media.Playout;
import dev.ringback.media.RtpEngine;
import dev.ringback.media.RtpSession;
import dev.ringback.sip.CallEvent;
import dev.ringback.sip.IncomingCall;
import dev.ringback.sip.MediaOffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The customer's phone over real SIP and RTP: it answers, hears the agent (its audio for timing, its words through
 * {@link #agentSaid} for meaning), and speaks its {@link CustomerScript} in a synthetic voice when the agent's turn
 * is over, the way a person on the phone would. It also measures what a caller feels: how long the agent took to
 * answer each line (from the end of the line's speech to the agent's first audio, as both cross this phone's
 * socket), and how often the agent started talking over it.
 */
public final class SimulatedCustomer implements LoopbackTrunk.Phone, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SimulatedCustomer.class);
    /** The agent's speech is levelled near -18 dBFS; idle RTP decodes to near zero. */
    private static final double VOICE_RMS = 300;
    /** A gap this long in the agent's audio starts a new agent turn (for barge-in timing). */
    private static final long TURN_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(1100);
    /** How soon a person answers a question, and how long they wait when the agent simply stops. */
    private static final long ANSWER_QUESTION_NANOS = TimeUnit.MILLISECONDS.toNanos(700);
    private static final long ANSWER_SILENCE_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);
    /** No word from the agent this long after a line: say it again. */
    private static final long UNANSWERED_NANOS = TimeUnit.SECONDS.toNanos(7);
    private static final long HANG_UP_AFTER_BYE_NANOS = TimeUnit.SECONDS.toNanos(3);
    private static final long TICK_MILLIS = 20;

    /** What the customer said, for the live transcript. */
    public interface Listener {
        void said(CustomerScript.Say say);
    }

    /** What the call was like for the customer. */
    /**
     * @param answerToAgentMs from this phone's 200 OK to the agent's first voiced audio arriving (NaN when none came)
     */
    public record Report(List<CustomerScript.Say> said, int repeats, int refusals, int agentOverCustomer, List<Double> turnLatenciesMs,
                         double answerToAgentMs, boolean customerHungUp) {}

    private final RtpEngine rtp;
    private final String host;
    private final CustomerVoice voice;
    private final CustomerScript script;
    private final Listener listener;
    private final Map<String, short[]> audio = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> agentSentences = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService clock;
    private final CompletableFuture<Report> ended = new CompletableFuture<>();
    private final List<CustomerScript.Say> said = new ArrayList<>();
    private final List<Double> latencies = new ArrayList<>();

    private volatile IncomingCall call;
    private volatile RtpSession session;
    private volatile long lastAgentVoiceNanos;
    private volatile long agentTurnStartNanos;
    private volatile boolean agentVoiced;
    private volatile int agentOverCustomer;
    private volatile long answeredNanos;
    private volatile long firstAgentVoiceNanos;
    // tick-thread state
    private Playout speaking;
    private long speakingSince;
    private long speechEndNanos;
    private long lineEndedNanos;
    private boolean awaitingLatency;
    private long byeNanos;
    private boolean customerHungUp;

    /**
     * Synthesises every line the script may say up front, so the timings hold no synthesis.
     *
     * @param allLines every line the script may say (its lines and the refusal); "Bye." is added
     */
    public SimulatedCustomer(RtpEngine rtp, String host, CustomerVoice voice, CustomerScript script, List<String> allLines, Listener listener) {
        this.rtp = rtp;
        this.host = host;
        this.voice = voice;
        this.script = script;
        this.listener = listener;
        for (String line : allLines) audio.computeIfAbsent(line, voice::speak);
        audio.computeIfAbsent(CustomerScript.BYE, voice::speak);
        this.clock = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "simulated-customer");
            t.setDaemon(true);
            return t;
        });
    }

    /** One agent sentence, as it is played (the words a caller hears; never the dialog's state). */
    public void agentSaid(String sentence) {
        agentSentences.add(sentence);
    }

    /** Completes with the report when the call has ended (either side hung up). */
    public CompletableFuture<Report> ended() {
        return ended;
    }

    @Override
    public void ring(IncomingCall incoming) {
        if (call != null) {
            incoming.reject(486, "Busy Here");
            return;
        }
        call = incoming;
        session = rtp.open();
        answeredNanos = System.nanoTime();
        incoming.answer(new MediaOffer(host, session.localPort()), this::onCallEvent);
    }

    private void onCallEvent(CallEvent event) {
        if (event instanceof CallEvent.Answered a) {
            Codec codec = Codec.forPayloadType(a.media().payloadType()).orElse(Codec.PCMU);
            session.setRtcpMux(a.media().rtcpMux()); // our answer echoed the offer's a=rtcp-mux
            session.start(new InetSocketAddress(a.media().host(), a.media().rtpPort()), codec);
            session.onAudio(this::hear);
            lastAgentVoiceNanos = System.nanoTime();
            lineEndedNanos = lastAgentVoiceNanos;
            clock.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        } else if (event instanceof CallEvent.Ended || event instanceof CallEvent.Failed) {
            end();
        }
    }

    /** On the media event loop: only arithmetic. */
    private void hear(short[] pcm, long arrivalNanos) {
        double sum = 0;
        for (short s : pcm) sum += (double) s * s;
        boolean voiced = Math.sqrt(sum / pcm.length) >= VOICE_RMS;
        if (!voiced) {
            agentVoiced = false;
            return;
        }
        if (firstAgentVoiceNanos == 0) firstAgentVoiceNanos = arrivalNanos;
        if (arrivalNanos - lastAgentVoiceNanos > TURN_GAP_NANOS) agentTurnStartNanos = arrivalNanos;
        // the agent starting to talk while this phone is talking (its own tail when a line barges in does not count)
        if (!agentVoiced && speaking != null && arrivalNanos - speakingSince > TimeUnit.MILLISECONDS.toNanos(300)) agentOverCustomer++;
        agentVoiced = true;
        lastAgentVoiceNanos = arrivalNanos;
    }

    private void tick() {
        try {
            long now = System.nanoTime();
            String sentence;
            while ((sentence = agentSentences.poll()) != null) script.agentSaid(sentence);
            if (awaitingLatency && lastAgentVoiceNanos > speechEndNanos) {
                awaitingLatency = false;
                latencies.add((lastAgentVoiceNanos - speechEndNanos) / 1e6);
            }
            if (speaking != null) {
                if (!speaking.done().isDone()) return;
                speaking = null;
                lineEndedNanos = now;
            }
            if (byeNanos != 0) {
                if (now - byeNanos >= HANG_UP_AFTER_BYE_NANOS && !customerHungUp) {
                    log.info("the agent did not hang up after the customer's goodbye: the customer does");
                    customerHungUp = true;
                    call.hangUp();
                }
                return;
            }
            boolean agentAnswered = lastAgentVoiceNanos > lineEndedNanos;
            Optional<CustomerScript.Line> barge = script.pendingBargeIn();
            if (barge.isPresent() && agentTurnStartNanos > lineEndedNanos
                    && now - agentTurnStartNanos >= TimeUnit.MILLISECONDS.toNanos(barge.get().bargeInAfterMs().getAsLong())) {
                say(script.bargeIn(), now);
                return;
            }
            if (agentAnswered) {
                long quiet = now - lastAgentVoiceNanos;
                if (quiet >= (script.agentInvitedAnswer() ? ANSWER_QUESTION_NANOS : ANSWER_SILENCE_NANOS)) {
                    script.reply().ifPresent(s -> say(s, now));
                }
            } else if (!said.isEmpty() && now - lineEndedNanos >= UNANSWERED_NANOS && !script.agentSpoke()) {
                script.unanswered().ifPresent(s -> say(s, now));
            }
        } catch (RuntimeException e) {
            log.error("simulated customer tick failed", e);
        }
    }

    private void say(CustomerScript.Say say, long now) {
        short[] pcm = audio.computeIfAbsent(say.line().text(), voice::speak);
        said.add(say);
        listener.said(say);
        speaking = session.play(pcm);
        speakingSince = now;
        speechEndNanos = now + lastVoicedSample(pcm) * 1_000_000_000L / 8000;
        awaitingLatency = say.reason() != CustomerScript.Reason.BYE;
        if (say.reason() == CustomerScript.Reason.BYE) byeNanos = now;
    }

    /** One past the last sample of the last 10 ms louder than the agent-voice threshold: where the words end. */
    static int lastVoicedSample(short[] pcm) {
        for (int f = pcm.length / 80 - 1; f >= 0; f--) {
            double sum = 0;
            for (int i = f * 80; i < (f + 1) * 80; i++) sum += (double) pcm[i] * pcm[i];
            if (Math.sqrt(sum / 80) >= VOICE_RMS) return (f + 1) * 80;
        }
        return pcm.length;
    }

    private void end() {
        clock.shutdown();
        try {
            clock.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (session != null) session.close();
        ended.complete(report());
    }

    private Report report() {
        double answerToAgent = firstAgentVoiceNanos == 0 ? Double.NaN : (firstAgentVoiceNanos - answeredNanos) / 1e6;
        return new Report(List.copyOf(said), script.repeats(), script.refusals(), agentOverCustomer, List.copyOf(latencies), answerToAgent,
                customerHungUp);
    }

    @Override
    public void close() {
        clock.shutdownNow();
        if (session != null) session.close();
        if (!ended.isDone()) ended.complete(report());
    }

    /** Speaks a line's text: for callers that want the audio of the same voice (tests). */
    short[] audioOf(String line) {
        return audio.computeIfAbsent(line, voice::speak);
    }

}
