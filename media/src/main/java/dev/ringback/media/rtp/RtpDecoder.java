package dev.ringback.media.rtp;

import dev.ringback.media.stage.DropReason;
import dev.ringback.media.stage.StageCounters;
import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses received RTP datagrams and keeps the payload types the session negotiated: its codec's, telephone-event and
 * comfort noise (played as silence). Everything else is dropped by reason ({@code rtp-decode}). Reuses one payload
 * array per session: the receive path hands back an array the jitter buffer did not keep ({@link #recycle}).
 * Not thread-safe: one session's event loop owns it.
 */
public final class RtpDecoder {
    /** RFC 3389 comfort noise: accepted and played as silence. */
    public static final int COMFORT_NOISE_PT = 13;
    private static final Logger log = LoggerFactory.getLogger(RtpDecoder.class);

    private final StageCounters counters = new StageCounters("rtp-decode");
    private final String logContext;
    private volatile int audioPt = -1;
    private volatile int telephoneEventPt = -1;
    /** A payload array no longer needed: the next packet's payload is copied into it. */
    private byte[] spare;

    public RtpDecoder(String logContext) {
        this.logContext = logContext;
    }

    /** The payload types from the SDP answer; until called, every packet is of an unknown type. */
    public void negotiate(int audioPayloadType, int telephoneEventPayloadType) {
        this.audioPt = audioPayloadType;
        this.telephoneEventPt = telephoneEventPayloadType;
    }

    /** The packet in {@code datagram}, or null when it was dropped (counted). */
    public RtpPacket decode(ByteBuf datagram, InetSocketAddress from) {
        long stamp = counters.enter();
        RtpPacket packet;
        try {
            packet = RtpPacket.parse(datagram, spare);
        } catch (MalformedRtpException e) {
            counters.drop(e.reason(), stamp);
            log.debug("{} dropped datagram from {}: {}", logContext, from, e.getMessage());
            return null;
        }
        spare = null; // handed back by recycle() unless the jitter buffer keeps it
        int pt = packet.payloadType();
        if (pt != audioPt && pt != telephoneEventPt && pt != COMFORT_NOISE_PT) {
            spare = packet.payload();
            counters.drop(DropReason.UNKNOWN_PAYLOAD_TYPE, stamp);
            log.debug("{} dropped packet with payload type {} from {}", logContext, pt, from);
            return null;
        }
        counters.pass(stamp);
        return packet;
    }

    /** True for the codec's packets; telephone-event and comfort noise take a sequence number but carry no speech. */
    public boolean isAudio(RtpPacket packet) {
        return packet.payloadType() == audioPt;
    }

    public boolean isTelephoneEvent(RtpPacket packet) {
        return packet.payloadType() == telephoneEventPt;
    }

    /** {@code payload} of a packet decoded here is no longer referenced: the next packet may be copied into it. */
    public void recycle(byte[] payload) {
        spare = payload;
    }

    public StageCounters counters() {
        return counters;
    }
}
