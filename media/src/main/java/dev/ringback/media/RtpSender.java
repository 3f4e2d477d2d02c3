package dev.ringback.media;

import dev.ringback.media.rtp.RtpPacket;
import dev.ringback.media.stage.DropReason;
import dev.ringback.media.stage.PacketOut;
import dev.ringback.media.stage.StageCounters;
import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The send path of a session, one pacing tick at a time ({@code sender}: in per tick, out per packet): a queued DTMF
 * digit's telephone-event, else the next frame of queued audio, else silence, as one RTP packet with the session's
 * SSRC, sequence number and timestamp, handed on towards the socket; the sent audio is decoded back for the recorder
 * and the sent-audio listeners. A tick while held sends nothing (counted as {@code HELD}) but advances the media
 * clock. Not thread-safe: one session's event loop owns it; the getters may be read from any thread.
 */
final class RtpSender {
    private final StageCounters counters = new StageCounters("sender");
    private final PlayoutQueue outbound;
    private final DtmfSender dtmf;
    private final List<AudioListener> sentListeners;
    private final Supplier<CallRecorder> recorder;
    private final PacketOut out;
    private final long ssrc = ThreadLocalRandom.current().nextInt() & 0xFFFF_FFFFL;
    private int sequence = ThreadLocalRandom.current().nextInt(0x10000);
    private long timestamp = ThreadLocalRandom.current().nextInt() & 0xFFFF_FFFFL;
    private volatile Codec codec;
    private volatile int telephoneEventPt;
    private boolean lastSentWasAudio;
    /** False until the first packet and again while held: the next packet sent carries the marker. */
    private boolean anySent;
    private final byte[] payload = new byte[RtpSession.SAMPLES_PER_FRAME];
    private final byte[] eventPayload = new byte[4];
    private final short[] sentPcm = new short[RtpSession.SAMPLES_PER_FRAME];
    /** {@link SendTiming} counts; written on the event loop, copied by readers. */
    private final long[] sendErrorCounts = new long[SendTiming.BUCKETS];
    private volatile long octetsSent;
    private volatile long lastSendNanos;

    RtpSender(PlayoutQueue outbound, DtmfSender dtmf, List<AudioListener> sentListeners, Supplier<CallRecorder> recorder,
            PacketOut out) {
        this.outbound = outbound;
        this.dtmf = dtmf;
        this.sentListeners = sentListeners;
        this.recorder = recorder;
        this.out = out;
    }

    void negotiate(Codec negotiated, int telephoneEventPayloadType) {
        this.codec = negotiated;
        this.telephoneEventPt = telephoneEventPayloadType;
    }

    /** One 20 ms tick: a packet if {@code sending}, else only the media clock moves on. */
    void tick(boolean sending) {
        long stamp = counters.enter();
        if (!sending) {
            skipFrame();
            counters.drop(DropReason.HELD, stamp);
            return;
        }
        DtmfSender.Packet event = dtmf.next(timestamp, eventPayload);
        if (event != null) {
            send(event.marker(), telephoneEventPt, event.timestamp(), eventPayload, false, stamp);
            CallRecorder r = recorder.get();
            if (r != null) {
                r.agentSilence(); // the tone is not synthesised into the recording
            }
            if (event.sent() != null) {
                event.sent().complete(null);
            }
            return;
        }
        Codec c = codec;
        PlayoutQueue.Taken taken = outbound.takeFrame(c, payload);
        boolean audio = taken.audio();
        boolean marker = !anySent || (audio && !lastSentWasAudio);
        send(marker, c.payloadType(), timestamp, payload, audio, stamp);
        CallRecorder r = recorder.get();
        boolean tapped = !sentListeners.isEmpty();
        if (r != null || tapped) {
            c.decode(payload, sentPcm, RtpSession.SAMPLES_PER_FRAME);
            if (r != null) {
                r.agentFrame(sentPcm);
            }
            for (AudioListener l : sentListeners) {
                l.onFrame(sentPcm.clone(), lastSendNanos);
            }
        }
        if (taken.finished() != null) {
            taken.finished().complete(taken.finished().framesTotal(), false);
        }
    }

    /** A tick while held: nothing goes out, but the media clock advances as if a frame had. */
    private void skipFrame() {
        timestamp = (timestamp + RtpSession.SAMPLES_PER_FRAME) & 0xFFFF_FFFFL;
        anySent = false;
        lastSentWasAudio = false;
        CallRecorder r = recorder.get();
        if (r != null) {
            r.agentSilence();
        }
    }

    /**
     * One packet towards the socket and the bookkeeping every packet shares: the media clock advances one frame
     * whether it carried audio or a telephone-event.
     */
    private void send(boolean marker, int payloadType, long packetTimestamp, byte[] body, boolean audio, long stamp) {
        // stamped before the write: on loopback the peer can read the packet before the write call returns
        long now = System.nanoTime();
        if (anySent) { // the previous tick sent too (not the first packet, not after a hold)
            sendErrorCounts[SendTiming.bucket(now - lastSendNanos)]++;
        }
        lastSendNanos = now;
        ByteBuf buf = out.buffer(RtpPacket.HEADER_SIZE + body.length);
        RtpPacket.writeHeader(buf, marker, payloadType, sequence, packetTimestamp, ssrc);
        buf.writeBytes(body);
        sequence = (sequence + 1) & 0xFFFF;
        timestamp = (timestamp + RtpSession.SAMPLES_PER_FRAME) & 0xFFFF_FFFFL;
        anySent = true;
        lastSentWasAudio = audio;
        octetsSent += body.length;
        counters.pass(stamp);
        out.send(buf);
    }

    long ssrc() {
        return ssrc;
    }

    /** The RTP timestamp the next packet will carry. */
    long timestamp() {
        return timestamp;
    }

    long packetsSent() {
        return counters.out();
    }

    long octetsSent() {
        return octetsSent;
    }

    /** {@link System#nanoTime()} of the last send, 0 before the first. */
    long lastSendNanos() {
        return lastSendNanos;
    }

    SendTiming sendTiming() {
        return new SendTiming(sendErrorCounts);
    }

    StageCounters counters() {
        return counters;
    }
}
