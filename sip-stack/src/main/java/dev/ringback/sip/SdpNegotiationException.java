package dev.ringback.sip;

/** The remote SDP is missing, malformed, shares no codec with us, or does not agree SRTP the way we need. */
final class SdpNegotiationException extends Exception {
    enum Kind { MALFORMED, NO_COMMON_CODEC, SRTP }

    private final Kind kind;

    SdpNegotiationException(String message, boolean noCommonCodec) {
        this(message, noCommonCodec ? Kind.NO_COMMON_CODEC : Kind.MALFORMED);
    }

    SdpNegotiationException(String message, Kind kind) {
        super(message);
        this.kind = kind;
    }

    boolean noCommonCodec() {
        return kind == Kind.NO_COMMON_CODEC;
    }

    Kind kind() {
        return kind;
    }

    /** The outcome of a call whose answer could not be used for this reason. */
    CallOutcome outcome() {
        return switch (kind) {
            case NO_COMMON_CODEC -> CallOutcome.NO_COMMON_CODEC;
            case SRTP -> CallOutcome.SRTP_NEGOTIATION_FAILED;
            case MALFORMED -> CallOutcome.FAILED;
        };
    }
}
