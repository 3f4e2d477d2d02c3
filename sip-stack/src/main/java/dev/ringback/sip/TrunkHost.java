package dev.ringback.sip;

import java.util.Objects;

/** One SIP trunk address; a {@link SipConfig} lists them in priority order. */
public record TrunkHost(String host, int port) {
    public TrunkHost {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) throw new IllegalArgumentException("trunk host is blank");
        if (port <= 0 || port > 65535) throw new IllegalArgumentException("trunk port out of range: " + port);
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
