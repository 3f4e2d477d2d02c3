package dev.ringback.sip;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The remote party's RTP address and the codec negotiated from its SDP.
 *
 * @param srtp    present when the session is SRTP (RTP/SAVP with SDES): our key to send, theirs to receive
 * @param rtcpMux the remote SDP carries {@code a=rtcp-mux} (RFC 5761): RTCP shares the RTP port both ways
 */
public record MediaAnswer(String host, int rtpPort, int payloadType, String encoding, int clockRate,
                          OptionalInt telephoneEventPayloadType, Optional<SdesKeys> srtp, boolean rtcpMux) {
    public MediaAnswer {
        Objects.requireNonNull(srtp, "srtp");
    }

    /** RTCP on its own port. */
    public MediaAnswer(String host, int rtpPort, int payloadType, String encoding, int clockRate,
                       OptionalInt telephoneEventPayloadType, Optional<SdesKeys> srtp) {
        this(host, rtpPort, payloadType, encoding, clockRate, telephoneEventPayloadType, srtp, false);
    }

    /** A plain RTP session, RTCP on its own port. */
    public MediaAnswer(String host, int rtpPort, int payloadType, String encoding, int clockRate, OptionalInt telephoneEventPayloadType) {
        this(host, rtpPort, payloadType, encoding, clockRate, telephoneEventPayloadType, Optional.empty());
    }

    public MediaAnswer withSrtp(Optional<SdesKeys> keys) {
        return new MediaAnswer(host, rtpPort, payloadType, encoding, clockRate, telephoneEventPayloadType, keys, rtcpMux);
    }

    public MediaAnswer withRtcpMux(boolean mux) {
        return new MediaAnswer(host, rtpPort, payloadType, encoding, clockRate, telephoneEventPayloadType, srtp, mux);
    }
}
