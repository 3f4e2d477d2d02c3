package dev.ringback.sip;

import java.util.OptionalInt;

/** The remote party's RTP address and the codec negotiated from its SDP. */
public record MediaAnswer(String host, int rtpPort, int payloadType, String encoding, int clockRate,
                          OptionalInt telephoneEventPayloadType) {
}
