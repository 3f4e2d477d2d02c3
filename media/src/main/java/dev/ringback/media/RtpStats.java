package dev.ringback.media;

import dev.ringback.media.stage.StageStats;
import java.util.List;

/**
 * A snapshot of one session's counters.
 *
 * @param packetsSent       RTP packets written (audio and idle silence)
 * @param packetsReceived   well-formed RTP packets accepted from the peer (audio and telephone-event)
 * @param packetsDropped    datagrams thrown away on arrival: garbage, truncated, wrong version, oversized,
 *                          unexpected payload type, from a stranger after latching, or before {@code start}
 * @param packetsLost       sequence numbers that never arrived in time and were concealed
 * @param packetsLate       packets that arrived after their slot had been played out (or concealed)
 * @param packetsDuplicate  packets received twice
 * @param telephoneEvents   RFC 4733 telephone-event packets received (DTMF digits go to DtmfListener)
 * @param framesDelivered   160-sample frames handed to audio listeners, concealment included
 * @param lastSendNanos     {@link System#nanoTime()} of the last send, 0 before the first
 * @param lastReceiveNanos  {@link System#nanoTime()} of the last accepted packet, 0 before the first
 * @param stages            every stage's counters in path order (outbound RTP and RTCP, inbound RTP, inbound RTCP):
 *                          which stage dropped what and why; the SRTP stages only on a keyed session
 */
public record RtpStats(
        long packetsSent,
        long packetsReceived,
        long packetsDropped,
        long packetsLost,
        long packetsLate,
        long packetsDuplicate,
        long telephoneEvents,
        long framesDelivered,
        long lastSendNanos,
        long lastReceiveNanos,
        List<StageStats> stages) {

    public RtpStats {
        stages = List.copyOf(stages);
    }
}
