package dev.ringback.server.demo;

import dev.ringback.media.Codec;
import dev.ringback.media.Playout;
import dev.ringback.media.RtpEngine;
import dev.ringback.media.RtpSession;
import dev.ringback.sip.CallEvent;
import dev.ringback.sip.IncomingCall;
import dev.ringback.sip.MediaOffer;
import dev.ringback.sip.SipConfig;
import dev.ringback.sip.SipUserAgent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The customer's phone for the demo: a real SIP UA on loopback that answers, listens to the agent
 * and speaks its scripted lines as audio when the agent pauses (or over the agent, for a line that
 * asks to barge in).
 */
public final class LoopbackPhone implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LoopbackPhone.class);
    /** The agent's audio is levelled speech; idle RTP decodes to near zero. */
    private static final double VOICE_RMS = 300;
    private static final long AGENT_PAUSE_NANOS = Duration.ofMillis(1100).toNanos();
    private static final long HANG_UP_AFTER_NANOS = Duration.ofSeconds(25).toNanos();

    public record Line(String text, OptionalLong bargeInAfterMs) {}

    private final SipUserAgent sip;
    private final String host;
    private final RtpEngine rtp;
    private final List<Line> lines;
    private final List<short[]> audio;
    private final Consumer<String> onSaid;
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "loopback-phone");
        t.setDaemon(true);
        return t;
    });
    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    private volatile IncomingCall call;
    private volatile RtpSession session;
    private volatile long lastAgentVoiceNanos;
    private volatile long agentTurnStartNanos;
    /** When our last line finished playing: the agent must answer after it before we speak again. */
    private volatile long lineEndedNanos;
    private int nextLine;
    private Playout speaking;
    private long allSaidNanos;

    private LoopbackPhone(SipUserAgent sip, String host, RtpEngine rtp, List<Line> lines, List<short[]> audio, Consumer<String> onSaid) {
        this.sip = sip;
        this.host = host;
        this.rtp = rtp;
        this.lines = lines;
        this.audio = audio;
        this.onSaid = onSaid;
        this.lastAgentVoiceNanos = System.nanoTime();
        this.lineEndedNanos = lastAgentVoiceNanos;
    }

    /** Synthesises every line up front, then waits for the call on a free port of {@code host}. */
    public static LoopbackPhone start(String host, RtpEngine rtp, CustomerVoice voice, List<Line> lines,
                                      Consumer<String> onSaid) throws Exception {
        List<short[]> audio = lines.stream().map(l -> voice.speak(l.text())).toList();
        SipUserAgent sip = SipUserAgent.start(SipConfig.builder().listen(host, 0).trunk(host, 5060)
                .from("customer", "Customer").build());
        var phone = new LoopbackPhone(sip, host, rtp, lines, audio, onSaid);
        sip.onIncomingCall(phone::onIncoming);
        return phone;
    }

    public int sipPort() {
        return sip.localPort();
    }

    /** Completes when the call has ended (either side hung up). */
    public CompletableFuture<Void> ended() {
        return ended;
    }

    private void onIncoming(IncomingCall incoming) {
        if (call != null) {
            incoming.reject(486, "Busy Here");
            return;
        }
        call = incoming;
        session = rtp.open();
        incoming.answer(new MediaOffer(host, session.localPort()), this::onCallEvent);
    }

    private void onCallEvent(CallEvent event) {
        if (event instanceof CallEvent.Answered a) {
            Codec codec = Codec.forPayloadType(a.media().payloadType()).orElse(Codec.PCMU);
            session.setRtcpMux(a.media().rtcpMux()); // our answer echoed the offer's a=rtcp-mux
            session.start(new InetSocketAddress(a.media().host(), a.media().rtpPort()), codec);
            session.onAudio(this::hear);
            clock.scheduleAtFixedRate(this::tick, 50, 50, TimeUnit.MILLISECONDS);
        } else if (event instanceof CallEvent.Ended || event instanceof CallEvent.Failed) {
            end();
        }
    }

    /** On the media event loop: only arithmetic. */
    private void hear(short[] pcm, long arrivalNanos) {
        double sum = 0;
        for (short s : pcm) sum += (double) s * s;
        if (Math.sqrt(sum / pcm.length) < VOICE_RMS) return;
        if (arrivalNanos - lastAgentVoiceNanos > AGENT_PAUSE_NANOS) agentTurnStartNanos = arrivalNanos;
        lastAgentVoiceNanos = arrivalNanos;
    }

    private void tick() {
        try {
            long now = System.nanoTime();
            if (speaking != null) {
                if (!speaking.done().isDone()) return;
                speaking = null;
                lineEndedNanos = now;
            }
            if (nextLine < lines.size()) {
                Line line = lines.get(nextLine);
                boolean agentAnswered = lastAgentVoiceNanos > lineEndedNanos;
                boolean agentPaused = agentAnswered && now - lastAgentVoiceNanos >= AGENT_PAUSE_NANOS;
                boolean bargeIn = line.bargeInAfterMs().isPresent() && agentTurnStartNanos > lineEndedNanos
                        && now - agentTurnStartNanos >= TimeUnit.MILLISECONDS.toNanos(line.bargeInAfterMs().getAsLong());
                if (agentPaused || bargeIn) {
                    onSaid.accept(line.text());
                    speaking = session.play(audio.get(nextLine++));
                    if (nextLine == lines.size()) allSaidNanos = now;
                }
            } else if (allSaidNanos != 0 && now - Math.max(allSaidNanos, lastAgentVoiceNanos) > HANG_UP_AFTER_NANOS) {
                log.info("the agent did not hang up: the customer does");
                call.hangUp();
                allSaidNanos = Long.MAX_VALUE / 2;
            }
        } catch (RuntimeException e) {
            log.error("loopback phone tick failed", e);
        }
    }

    private void end() {
        clock.shutdown();
        if (session != null) session.close();
        ended.complete(null);
    }

    @Override
    public void close() {
        clock.shutdownNow();
        if (session != null) session.close();
        sip.close();
    }
}
