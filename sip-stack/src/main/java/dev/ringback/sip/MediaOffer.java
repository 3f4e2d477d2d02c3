package dev.ringback.sip;

import java.util.Objects;

/** Our RTP address. The SDP built from it offers PCMU 0, PCMA 8 and telephone-event 101, ptime 20. */
public record MediaOffer(String host, int rtpPort) {
    public MediaOffer {
        Objects.requireNonNull(host, "host");
        if (rtpPort <= 0 || rtpPort > 65535) throw new IllegalArgumentException("rtpPort out of range: " + rtpPort);
    }
}
