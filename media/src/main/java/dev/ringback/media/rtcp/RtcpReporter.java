package dev.ringback.media.rtcp;

import dev.ringback.media.rtp.MalformedRtpException;
import dev.ringback.media.rtp.ReceptionStats;
import dev.ringback.media.stage.PacketOut;
import dev.ringback.media.stage.StageCounters;
import io.netty.buffer.ByteBuf;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's RTCP (RFC 3550 §6): every report interval an SR (or an RR once we have not sent for two intervals)
 * with a block on the peer's stream, SDES CNAME and, at the end, BYE ({@code rtcp-sender}); received compounds are
 * parsed ({@code rtcp-receiver}, malformed ones dropped by reason) for the peer's view of our stream, the round trip
 * from LSR/DLSR and BYE. Not thread-safe: one session's event loop owns it; the getters may be read from any thread.
 */
public final class RtcpReporter {
    private static final Logger log = LoggerFactory.getLogger(RtcpReporter.class);

    private final StageCounters sending = new StageCounters("rtcp-sender");
    private final StageCounters receiving = new StageCounters("rtcp-receiver");
    private final long ssrc;
    private final ReceptionStats reception;
    private final int intervalTicks;
    private final String logContext;
    private int ticksToReport;
    private long peerLastSrMiddle;
    private long peerLastSrArrivalNanos;
    /** RTP packets sent when the report before last and the last report went: SR or RR (RFC 3550 §6.4). */
    private long sentAtReportBeforeLast;
    private long sentAtLastReport;
    private volatile long reportsSent;
    private volatile long lastFractionLostReported;
    private volatile Rtcp.ReportBlock peerReportOnUs;
    private volatile double roundTripMillis = -1;
    private volatile boolean byeReceived;

    /** @param reception what the receive path measured on the peer's stream */
    public RtcpReporter(long ssrc, ReceptionStats reception, int intervalTicks, String logContext) {
        this.ssrc = ssrc;
        this.reception = reception;
        this.intervalTicks = Math.max(1, intervalTicks);
        this.logContext = logContext;
        this.ticksToReport = nextInterval();
    }

    /** Called every tick: true when a report is due (and the next interval starts). */
    public boolean due() {
        if (--ticksToReport > 0) {
            return false;
        }
        ticksToReport = nextInterval();
        return true;
    }

    /**
     * Builds a compound report and hands it to {@code out}.
     *
     * @param packetsSent  RTP packets sent so far (the SR sender count)
     * @param octetsSent   RTP payload octets sent so far
     * @param rtpTimestamp the RTP timestamp the next packet will carry
     * @param bye          end it with BYE
     */
    public void send(PacketOut out, long packetsSent, long octetsSent, long rtpTimestamp, boolean bye) {
        long stamp = sending.enter();
        long now = System.nanoTime();
        Instant wall = Instant.now();
        Rtcp.ReportBlock block = null;
        if (reception.started()) {
            int fraction = reception.takeFractionLost();
            lastFractionLostReported = fraction;
            long lost = Math.max(-0x80_0000, Math.min(0x7F_FFFF, reception.cumulativeLost()));
            long dlsr = peerLastSrMiddle == 0 ? 0 : (now - peerLastSrArrivalNanos) * 65_536 / 1_000_000_000L;
            block = new Rtcp.ReportBlock(reception.ssrc(), fraction, (int) lost, reception.extendedHighestSeq(),
                    Math.round(reception.jitterUnits()), peerLastSrMiddle, dlsr);
        }
        ByteBuf buf = out.buffer(128);
        // a sender is one that has sent since the report before last: held for two intervals, we only receive
        if (packetsSent != sentAtReportBeforeLast) {
            Rtcp.writeSenderReport(buf, ssrc, Rtcp.ntp(wall.getEpochSecond(), wall.getNano()), rtpTimestamp,
                    packetsSent, octetsSent, block);
        } else {
            Rtcp.writeReceiverReport(buf, ssrc, block);
        }
        sentAtReportBeforeLast = sentAtLastReport;
        sentAtLastReport = packetsSent;
        Rtcp.writeCname(buf, ssrc, "ringback-" + Long.toHexString(ssrc));
        if (bye) {
            Rtcp.writeBye(buf, ssrc);
        }
        sending.pass(stamp);
        if (out.send(buf)) {
            reportsSent++;
        }
    }

    /** A compound from the peer, in clear; false when it was malformed (counted). */
    public boolean receive(ByteBuf compound, long nowNanos) {
        long stamp = receiving.enter();
        Rtcp.Compound parsed;
        try {
            parsed = Rtcp.parse(compound);
        } catch (MalformedRtpException e) {
            receiving.drop(e.reason(), stamp);
            log.debug("{} dropped RTCP: {}", logContext, e.getMessage());
            return false;
        }
        if (parsed.srNtpMiddle() >= 0) {
            peerLastSrMiddle = parsed.srNtpMiddle();
            peerLastSrArrivalNanos = nowNanos;
        }
        for (Rtcp.ReportBlock block : parsed.blocks()) {
            if (block.ssrc() != ssrc) {
                continue;
            }
            peerReportOnUs = block;
            if (block.lastSr() != 0) {
                Instant wall = Instant.now();
                long arrival = Rtcp.middle(Rtcp.ntp(wall.getEpochSecond(), wall.getNano()));
                long rtt = (arrival - block.lastSr() - block.delaySinceLastSr()) & 0xFFFF_FFFFL;
                // a hair below zero on loopback from the 1/65536 s rounding comes out as a huge unsigned value
                roundTripMillis = rtt > 0x8000_0000L ? 0 : rtt * 1000.0 / 65_536;
            }
        }
        if (parsed.bye() && !byeReceived) {
            byeReceived = true;
            log.debug("{} peer said BYE", logContext);
        }
        receiving.pass(stamp);
        return true;
    }

    /** Compound reports that reached the socket. */
    public long reportsSent() {
        return reportsSent;
    }

    /** Valid compounds received. */
    public long reportsReceived() {
        return receiving.out();
    }

    /** The fraction lost, in 1/256, in the last report we sent. */
    public long lastFractionLostReported() {
        return lastFractionLostReported;
    }

    /** The peer's last report block on our stream, null before the first. */
    public Rtcp.ReportBlock peerReportOnUs() {
        return peerReportOnUs;
    }

    /** From the peer's LSR/DLSR; -1 until a report echoed one of our SRs. */
    public double roundTripMillis() {
        return roundTripMillis;
    }

    public boolean byeReceived() {
        return byeReceived;
    }

    public StageCounters sendingCounters() {
        return sending;
    }

    public StageCounters receivingCounters() {
        return receiving;
    }

    /** RFC 3550 §6.2: the interval randomised over [0.5, 1.5] times the mean so sessions do not synchronise. */
    private int nextInterval() {
        return Math.max(1, (int) (intervalTicks * (0.5 + ThreadLocalRandom.current().nextDouble())));
    }
}
