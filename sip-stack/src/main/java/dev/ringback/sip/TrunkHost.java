package dev.ringback.sip;

import java.util.Objects;
import java.util.Optional;

/**
 * One SIP trunk address; a {@link SipConfig} lists them in priority order.
 *
 * @param dialPlan how this host wants called numbers written; empty: {@link SipConfig#dialPlan()}
 */
public record TrunkHost(String host, int port, Optional<DialPlan> dialPlan) {
    public TrunkHost(String host, int port) {
        this(host, port, Optional.empty());
    }

    public TrunkHost {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dialPlan, "dialPlan");
        if (host.isBlank()) throw new IllegalArgumentException("trunk host is blank");
        if (port <= 0 || port > 65535) throw new IllegalArgumentException("trunk port out of range: " + port);
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
