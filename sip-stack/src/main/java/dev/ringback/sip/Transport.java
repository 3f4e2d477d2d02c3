package dev.ringback.sip;

/** SIP transport towards the trunk; also the transport this agent listens on. */
public enum Transport {
    UDP, TCP, TLS;

    /** The token JAIN-SIP and SIP URIs use ("udp", "tcp", "tls"). */
    String token() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
