package dev.ringback.server.sim;

import dev.ringback.media.Codec;
import dev.ringback.media.RtpEngine;
import dev.ringback.media.RtpSession;
import dev.ringback.sip.CallEvent;
import dev.ringback.sip.IncomingCall;
import dev.ringback.sip.MediaOffer;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The on-call person's phone behind the loopback trunk: it answers (so a bridged emergency transfer can connect),
 * is busy, or rings out, and listens quietly once joined to the caller.
 */
public final class OnCallPhone implements LoopbackTrunk.Phone, AutoCloseable {

    /** How the on-call phone behaves when Ringback calls it. */
    public enum Mode {
        ANSWER, BUSY, NO_ANSWER;

        /** {@code answer}, {@code busy} or {@code no-answer}. */
        public static Mode parse(String text) {
            try {
                return valueOf(text.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--on-call must be answer, busy, no-answer or refuse-refer, got '" + text + "'");
            }
        }
    }

    private final RtpEngine rtp;
    private final String host;
    private final Mode mode;
    private final AtomicInteger calls = new AtomicInteger();
    private final List<RtpSession> sessions = new CopyOnWriteArrayList<>();
    private final List<IncomingCall> ringing = new CopyOnWriteArrayList<>();

    public OnCallPhone(RtpEngine rtp, String host, Mode mode) {
        this.rtp = rtp;
        this.host = host;
        this.mode = mode;
    }

    /** Calls that reached this phone. */
    public int calls() {
        return calls.get();
    }

    @Override
    public void ring(IncomingCall call) {
        calls.incrementAndGet();
        switch (mode) {
            case BUSY -> call.reject(486, "Busy Here");
            case NO_ANSWER -> ringing.add(call); // Ringback's ring timeout ends it with CANCEL
            case ANSWER -> {
                RtpSession s = rtp.open();
                sessions.add(s);
                call.answer(new MediaOffer(host, s.localPort()), event -> {
                    if (event instanceof CallEvent.Answered a) {
                        s.setRtcpMux(a.media().rtcpMux());
                        s.start(new InetSocketAddress(a.media().host(), a.media().rtpPort()),
                                Codec.forPayloadType(a.media().payloadType()).orElse(Codec.PCMU));
                    } else if (event instanceof CallEvent.Ended || event instanceof CallEvent.Failed) {
                        s.close();
                        sessions.remove(s);
                    }
                });
            }
        }
    }

    @Override
    public void close() {
        sessions.forEach(RtpSession::close);
        ringing.forEach(IncomingCall::hangUp);
    }
}
