package dev.ringback.server.peers;

import dev.ringback.media.Codec;
import dev.ringback.media.RtpConfig;
import dev.ringback.media.RtpEngine;
import dev.ringback.media.RtpSession;
import dev.ringback.sip.CallEvent;
import dev.ringback.sip.IncomingCall;
import dev.ringback.sip.MediaOffer;
import dev.ringback.sip.SipConfig;
import dev.ringback.sip.SipUserAgent;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A customer's phone with bad echo: a real SIP user agent and RTP session on loopback that answers and sends back
 * what it hears, attenuated and delayed, the way a speakerphone or a cheap handset leaks the far end into its
 * microphone. Optionally the customer also speaks one line, mixed over the echo, once the agent has been talking
 * for a while.
 */
public final class EchoingPhone implements AutoCloseable {
    private static final double AGENT_VOICE_RMS = 300;

    private final SipUserAgent sip;
    private final RtpEngine rtp;
    private final double echoGain;
    private final long echoDelayMs;
    private final short[] line;
    private final long lineAfterAgentMs;
    private volatile RtpSession session;
    private volatile long agentFirstHeardNanos;
    private volatile long lineStartedNanos;
    private int lineAt;

    private EchoingPhone(SipUserAgent sip, RtpEngine rtp, double echoDb, long echoDelayMs, short[] line, long lineAfterAgentMs) {
        this.sip = sip;
        this.rtp = rtp;
        this.echoGain = Math.pow(10, echoDb / 20);
        this.echoDelayMs = echoDelayMs;
        this.line = line;
        this.lineAfterAgentMs = lineAfterAgentMs;
    }

    /**
     * @param echoDb           echo return loss as a gain, e.g. -15
     * @param line             8 kHz speech the customer says over the agent, or an empty array for none
     * @param lineAfterAgentMs how long after the agent's first audible frame the line starts
     */
    public static EchoingPhone start(double echoDb, long echoDelayMs, short[] line, long lineAfterAgentMs) throws Exception {
        int base = FreePorts.evenRange(4);
        RtpEngine rtp = new RtpEngine(new RtpConfig("127.0.0.1", base, base + 3, 5000), 1);
        SipUserAgent sip = SipUserAgent.start(SipConfig.builder().listen("127.0.0.1", FreePorts.udpAndTcp())
                .trunk("127.0.0.1", 5060).from("customer", "Customer").build());
        var phone = new EchoingPhone(sip, rtp, echoDb, echoDelayMs, line, lineAfterAgentMs);
        sip.onIncomingCall(phone::onIncoming);
        return phone;
    }

    public int sipPort() {
        return sip.localPort();
    }

    /** When the customer's line was queued (it leaves one echo delay later), System.nanoTime(); 0 until it has. */
    public long lineStartedNanos() {
        return lineStartedNanos;
    }

    private void onIncoming(IncomingCall call) {
        RtpSession s = rtp.open();
        session = s;
        call.answer(new MediaOffer("127.0.0.1", s.localPort()), event -> {
            if (event instanceof CallEvent.Answered a) {
                s.setRtcpMux(a.media().rtcpMux());
                s.start(new InetSocketAddress(a.media().host(), a.media().rtpPort()),
                        Codec.forPayloadType(a.media().payloadType()).orElse(Codec.PCMU));
                s.play(new short[(int) (echoDelayMs * 8)]); // the echo path's delay, as silence queued ahead of it
                s.onAudio(this::hear);
            }
        });
    }

    /**
     * On the media event loop: the frame is queued at once behind the silence queued at answer, so it leaves one echo
     * delay later and the delay stays constant (a timer per frame jittered against the 20 ms send tick, moving the
     * echo by a frame now and then, which no handset does).
     */
    private void hear(short[] pcm, long arrivalNanos) {
        if (agentFirstHeardNanos == 0 && rms(pcm) > AGENT_VOICE_RMS) agentFirstHeardNanos = arrivalNanos;
        short[] out = new short[pcm.length];
        for (int i = 0; i < pcm.length; i++) out[i] = (short) Math.round(pcm[i] * echoGain);
        boolean lineDue = line.length > 0 && agentFirstHeardNanos != 0
                && arrivalNanos - agentFirstHeardNanos >= TimeUnit.MILLISECONDS.toNanos(lineAfterAgentMs);
        if (lineDue && lineAt < line.length) {
            if (lineAt == 0) lineStartedNanos = System.nanoTime();
            for (int i = 0; i < out.length && lineAt < line.length; i++) {
                out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, out[i] + line[lineAt++]));
            }
        }
        RtpSession s = session;
        if (s != null) s.play(out);
    }

    private static double rms(short[] pcm) {
        double sum = 0;
        for (short v : pcm) sum += (double) v * v;
        return Math.sqrt(sum / pcm.length);
    }

    @Override
    public void close() {
        sip.close();
        rtp.close();
    }
}
