package dev.ringback.sip;

/** Why a call did not connect (or was dropped before it could be used). */
public enum CallOutcome {
    BUSY, NO_ANSWER, DECLINED, NOT_FOUND, FORBIDDEN, NO_COMMON_CODEC, AUTH_FAILED, TRUNK_UNAVAILABLE, FAILED
}
