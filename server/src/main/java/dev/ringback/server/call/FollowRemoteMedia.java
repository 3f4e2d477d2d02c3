package dev.ringback.server.call;

import dev.ringback.media.MediaDirection;
import dev.ringback.media.RtpSession;
import dev.ringback.sip.CallEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Applies a re-INVITE or UPDATE the far end sent (a new media address, hold, resume) to the call's RTP session:
 * the SIP layer has already answered it, the media must now do what that answer said.
 */
final class FollowRemoteMedia {
    private static final Logger log = LoggerFactory.getLogger(FollowRemoteMedia.class);

    private FollowRemoteMedia() {}

    static void apply(String callId, RtpSession session, int negotiatedPayloadType, CallEvent.MediaChanged change) {
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
        if (change.media().payloadType() != negotiatedPayloadType) {
            log.warn("call {}: far end switched to payload type {} mid-call; we keep sending {}", callId,
                    change.media().payloadType(), negotiatedPayloadType);
        }
        log.info("call {} media now {} with {}:{}", callId, direction, host, change.media().rtpPort());
    }
}
