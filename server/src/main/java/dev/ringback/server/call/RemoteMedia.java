package dev.ringback.server.call;

import dev.ringback.media.Codec;
import dev.ringback.media.MediaDirection;
import dev.ringback.media.RtpSession;
import dev.ringback.media.SrtpKeys;
import dev.ringback.sip.CallEvent;
import dev.ringback.sip.MediaAnswer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** Points a call leg's RTP session at what the far end's SDP negotiated, first on answer and after every re-INVITE. */
final class RemoteMedia {
    private static final Logger log = LoggerFactory.getLogger(RemoteMedia.class);

    private RemoteMedia() {}

    /**
     * The answer's address, codec, telephone-event type, RTCP on the RTP port or its own (both SDPs carry
     * {@code a=rtcp-mux}, or not), and, for an SRTP session, the SDES keys of both sides.
     */
    static void start(RtpSession session, MediaAnswer answer, Codec codec) {
        Optional<SrtpKeys> keys = srtpKeys(answer);
        session.setRtcpMux(answer.rtcpMux());
        session.start(new InetSocketAddress(answer.host(), answer.rtpPort()), codec,
                answer.telephoneEventPayloadType().orElse(RtpSession.DEFAULT_TELEPHONE_EVENT_PT), keys);
    }

    /**
     * A re-INVITE or UPDATE the far end sent (a new media address, hold, resume): the SIP layer has already
     * answered it, the media must now do what that answer said.
     */
    static void follow(String callId, RtpSession session, int negotiatedPayloadType, CallEvent.MediaChanged change) {
        // the direction is the one we wrote in our answer: sendonly from them (hold) is recvonly for us
        MediaDirection direction = MediaDirection.valueOf(change.direction().name());
        String host = change.media().host();
        try {
            InetAddress address = InetAddress.getByName(host);
            // RFC 2543 hold (c=0.0.0.0) keeps the old target: there is nowhere to send to
            if (!address.isAnyLocalAddress() && change.media().rtpPort() > 0) {
                session.retarget(new InetSocketAddress(address, change.media().rtpPort()));
            }
        } catch (UnknownHostException | IllegalArgumentException e) {
            log.warn("call {}: far end moved its media to {}:{}, which does not resolve ({}); RTP stays where it was",
                    callId, host, change.media().rtpPort(), e.getMessage());
        }
        session.setDirection(direction);
        session.setRtcpMux(change.media().rtcpMux());
        // SIP kept our key; the far end may have offered a new one of its own (RFC 4568 §7.1.4)
        srtpKeys(change.media()).ifPresent(session::rekey);
        if (change.media().payloadType() != negotiatedPayloadType) {
            log.warn("call {}: far end switched to payload type {} mid-call; we keep sending {}", callId,
                    change.media().payloadType(), negotiatedPayloadType);
        }
        log.info("call {} media now {} with {}:{}", callId, direction, host, change.media().rtpPort());
    }

    private static Optional<SrtpKeys> srtpKeys(MediaAnswer media) {
        return media.srtp().map(k -> new SrtpKeys(k.send().inline(), k.receive().inline()));
    }
}
