package dev.ringback.sip;

/** Why a call did not connect (or was dropped before it could be used). */
public enum CallOutcome {
    BUSY, NO_ANSWER, DECLINED, NOT_FOUND, FORBIDDEN, NO_COMMON_CODEC, AUTH_FAILED, TRUNK_UNAVAILABLE, FAILED,
    /** A 3xx pointed back at a target this call already tried. */
    REDIRECT_LOOP,
    /** More 3xx redirections than {@link SipConfig#maxRedirects()}. */
    TOO_MANY_REDIRECTS,
    /** SRTP is required but the far end's SDP had no acceptable RTP/SAVP crypto line (the call was hung up). */
    SRTP_NEGOTIATION_FAILED
}
