package dev.ringback.sip;

/** The remote SDP is missing, malformed, or shares no codec with us. */
final class SdpNegotiationException extends Exception {
    private final boolean noCommonCodec;

    SdpNegotiationException(String message, boolean noCommonCodec) {
        super(message);
        this.noCommonCodec = noCommonCodec;
    }

    boolean noCommonCodec() {
        return noCommonCodec;
    }
}
