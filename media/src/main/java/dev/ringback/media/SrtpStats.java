package dev.ringback.media;

/**
 * SRTP/SRTCP failures of one session; each such packet was dropped.
 *
 * @param active          the session was started with SRTP keys
 * @param authFailures    SRTP packets whose tag did not verify (wrong key, tampering, garbage, too short)
 * @param replays         SRTP packets already received (or too old for the replay window)
 * @param rtcpAuthFailures SRTCP packets whose tag did not verify
 * @param rtcpReplays     SRTCP packets already received
 */
public record SrtpStats(boolean active, long authFailures, long replays, long rtcpAuthFailures, long rtcpReplays) {
}
