package dev.ringback.media.stage;

/** Why a media stage threw a packet (or, for the sender, a tick) away. */
public enum DropReason {
    /** Arrived before {@code start} or after {@code close}: there is no stream to put it in. */
    NOT_STARTED,
    /** Shorter than its fixed header, or a CSRC list or trailing part that does not fit. */
    TRUNCATED,
    /** The version field is not 2. */
    BAD_VERSION,
    /** The padding bit is set and the count in the last byte is 0 or longer than what follows the header. */
    BAD_PADDING,
    /** The header extension's own header or its length runs past the end of the packet. */
    BAD_EXTENSION,
    /** A header with nothing after it. */
    NO_PAYLOAD,
    /** More payload than any sane telephone packet carries. */
    OVERSIZED,
    /** Neither the session codec, its telephone-event type nor comfort noise. */
    UNKNOWN_PAYLOAD_TYPE,
    /** RTCP whose length field says more than the datagram holds. */
    LENGTH_OVERRUN,
    /** RTCP compound that does not start with SR or RR, or whose report blocks do not fit in its length. */
    NOT_A_REPORT,
    /** From an address other than the one latched onto. */
    STRANGER,
    /** From the source latched onto before a retarget, in the second after it. */
    ABANDONED_SOURCE,
    /** SRTP/SRTCP tag did not verify (wrong key, tampering, garbage, too short). */
    AUTH_FAILED,
    /** SRTP/SRTCP index already received, or older than the replay window. */
    REPLAYED,
    /** SRTP/SRTCP failed otherwise (a context that cannot be derived, an error inside jitsi-srtp). */
    SRTP_ERROR,
    /** Our own packet could not be SRTP-protected; it was not sent. */
    PROTECT_FAILED,
    /** A sequence number whose slot has already been played out or concealed. */
    LATE,
    /** A sequence number received twice. */
    DUPLICATE,
    /** A pacing tick while this end does not send (hold): nothing went out, the media clock advanced. */
    HELD
}
