package dev.ringback.sip;

/** Why a call did not connect (or was dropped before it could be used). */
public enum CallOutcome {
    BUSY, NO_ANSWER, DECLINED, NOT_FOUND, FORBIDDEN, NO_COMMON_CODEC, AUTH_FAILED, TRUNK_UNAVAILABLE, FAILED,
    /** A 3xx pointed back at a target this call already tried. */
    REDIRECT_LOOP,
    /** More 3xx redirections than {@link SipConfig#maxRedirects()}. */
    TOO_MANY_REDIRECTS,
    /** SRTP is required but the far end's SDP had no acceptable RTP/SAVP crypto line (the call was hung up). */
    SRTP_NEGOTIATION_FAILED;

    /** What a final failure status to an INVITE means; the sip-stack's one reading of those codes. */
    static CallOutcome forStatus(int status) {
        return switch (status) {
            case 486, 600 -> BUSY;
            case 480, 408, 487 -> NO_ANSWER;
            case 603 -> DECLINED;
            case 404, 484, 410, 604 -> NOT_FOUND;
            case 403 -> FORBIDDEN;
            case 488, 606, 415 -> NO_COMMON_CODEC;
            case 401, 407 -> AUTH_FAILED;
            default -> status >= 500 && status < 600 ? TRUNK_UNAVAILABLE : FAILED;
        };
    }
}
