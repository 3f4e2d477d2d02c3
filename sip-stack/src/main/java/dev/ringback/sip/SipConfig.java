package dev.ringback.sip;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a {@link SipUserAgent} needs.
 *
 * @param listenPort    0 picks a free port below 32768
 * @param inviteTimeout no response at all to an INVITE within this time means TRUNK_UNAVAILABLE
 * @param ringTimeout   provisional response but no answer within this time: CANCEL, then NO_ANSWER
 */
public record SipConfig(String listenHost, int listenPort, Transport transport,
                        String trunkHost, int trunkPort, Optional<Credentials> credentials,
                        String fromUser, String fromDisplayName,
                        Duration inviteTimeout, Duration ringTimeout) {
    public SipConfig {
        Objects.requireNonNull(listenHost, "listenHost");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(trunkHost, "trunkHost");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(fromUser, "fromUser");
        Objects.requireNonNull(inviteTimeout, "inviteTimeout");
        Objects.requireNonNull(ringTimeout, "ringTimeout");
        if (listenPort < 0 || listenPort > 65535) throw new IllegalArgumentException("listenPort out of range: " + listenPort);
        if (trunkPort <= 0 || trunkPort > 65535) throw new IllegalArgumentException("trunkPort out of range: " + trunkPort);
        if (inviteTimeout.isNegative() || inviteTimeout.isZero()) throw new IllegalArgumentException("inviteTimeout must be positive");
        if (ringTimeout.isNegative() || ringTimeout.isZero()) throw new IllegalArgumentException("ringTimeout must be positive");
        if (fromDisplayName == null) fromDisplayName = "";
    }
}
