package dev.ringback.media;

/**
 * One session's RTCP view of the call (RFC 3550), for monitoring.
 *
 * @param reportsSent          SR/RR compound packets sent
 * @param reportsReceived      valid RTCP compound packets received from the peer
 * @param reportsDropped       datagrams on the RTCP port (or muxed on the RTP port) thrown away: malformed,
 *                             failing SRTCP, from a stranger after latching, or before {@code start}
 * @param packetsSent          RTP packets sent (the SR sender count)
 * @param octetsSent           RTP payload octets sent (the SR octet count)
 * @param packetsExpected      peer packets expected from its sequence numbers
 * @param cumulativeLost       peer packets expected but not received (can be negative with duplicates)
 * @param fractionLost         loss in the last report interval, 0..1, as we reported it
 * @param jitterMillis         interarrival jitter of the peer's stream (RFC 3550 A.8)
 * @param remoteFractionLost   the peer's last report on our stream: loss 0..1 in its interval
 * @param remoteCumulativeLost the peer's last report on our stream: cumulative lost
 * @param remoteJitterMillis   the peer's last report on our stream: jitter
 * @param roundTripMillis      from the peer's LSR/DLSR (RFC 3550 6.4.1); -1 until a report echoed one of our SRs
 * @param byeReceived          the peer sent RTCP BYE
 * @param mos                  listening quality at this end, 1..4.5, by the simplified E-model (ITU-T G.107) from
 *                             one-way delay (half the round trip, packetisation, jitter buffer) and the loss ratio
 */
public record RtcpStats(
        long reportsSent,
        long reportsReceived,
        long reportsDropped,
        long packetsSent,
        long octetsSent,
        long packetsExpected,
        long cumulativeLost,
        double fractionLost,
        double jitterMillis,
        double remoteFractionLost,
        long remoteCumulativeLost,
        double remoteJitterMillis,
        double roundTripMillis,
        boolean byeReceived,
        double mos) {

    /**
     * Simplified E-model: R = 93.2 - Id - Ie,eff with G.711 (Ie 0, Bpl 25.1 with packet loss concealment),
     * mapped to MOS (G.107 Annex B).
     *
     * @param oneWayDelayMillis mouth-to-ear delay estimate
     * @param lossRatio         packet loss 0..1
     */
    static double estimateMos(double oneWayDelayMillis, double lossRatio) {
        double d = Math.max(0, oneWayDelayMillis);
        double delayImpairment = 0.024 * d + (d > 177.3 ? 0.11 * (d - 177.3) : 0);
        double lossPercent = 100 * Math.max(0, Math.min(1, lossRatio));
        double lossImpairment = 95 * lossPercent / (lossPercent + 25.1);
        double r = 93.2 - delayImpairment - lossImpairment;
        if (r <= 0) {
            return 1;
        }
        if (r >= 100) {
            return 4.5;
        }
        return 1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r);
    }
}
