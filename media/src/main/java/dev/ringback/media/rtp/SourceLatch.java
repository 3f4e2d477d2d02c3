package dev.ringback.media.rtp;

import dev.ringback.media.stage.DropReason;
import dev.ringback.media.stage.StageCounters;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Symmetric RTP: until the first acceptable packet, media goes to the address the signalling gave; from then on to
 * where the peer's packets come from, and packets from anywhere else are dropped ({@code rtp-latch}). RTCP latches
 * the same way onto the source of the first valid report ({@code rtcp-latch}). A retarget (re-INVITE) starts both
 * over; for a second after it the source latched onto before is not latched onto again, as the old peer may still
 * send a few packets while the new one starts. Not thread-safe: one session's event loop owns it, except that
 * {@link #remote()} and {@link #rtcpRemote} may be read from any thread.
 */
public final class SourceLatch {
    private static final long ABANDONED_SOURCE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Logger log = LoggerFactory.getLogger(SourceLatch.class);

    private final StageCounters rtpCounters = new StageCounters("rtp-latch");
    private final StageCounters rtcpCounters = new StageCounters("rtcp-latch");
    private final String logContext;
    private volatile InetSocketAddress remote;
    /** Where the signalling last said to send; {@link #remote} may be a latched source instead. */
    private InetSocketAddress signalled;
    private boolean latched;
    private volatile InetSocketAddress rtcpLatched;
    private InetSocketAddress abandoned;
    private InetSocketAddress abandonedRtcp;
    private long abandonedUntilNanos;

    public SourceLatch(String logContext) {
        this.logContext = logContext;
    }

    /** Before the first packet: send to {@code signalledRemote} and latch onto whatever acceptable packet comes. */
    public void start(InetSocketAddress signalledRemote) {
        this.remote = signalledRemote;
        this.signalled = signalledRemote;
    }

    /** Whether an acceptable RTP packet from {@code source} goes on; latches onto it if nothing is latched yet. */
    public boolean admitRtp(InetSocketAddress source, long nowNanos) {
        long stamp = rtpCounters.enter();
        if (!latched) {
            if (abandoned != null && nowNanos - abandonedUntilNanos < 0 && source.equals(abandoned)) {
                rtpCounters.drop(DropReason.ABANDONED_SOURCE, stamp);
                log.debug("{} dropped packet from {}, the source before the retarget", logContext, source);
                return false;
            }
            latched = true;
            abandoned = null;
            if (!source.equals(remote)) {
                log.info("{} latching onto {} (signalled {})", logContext, source, remote);
                remote = source;
            }
        } else if (!source.equals(remote)) {
            rtpCounters.drop(DropReason.STRANGER, stamp);
            log.debug("{} dropped packet from {}, latched onto {}", logContext, source, remote);
            return false;
        }
        rtpCounters.pass(stamp);
        return true;
    }

    /** Whether an RTCP datagram from {@code source} may be looked at; {@link #rtcpValid} latches once it proved valid. */
    public boolean admitRtcp(InetSocketAddress source, long nowNanos) {
        long stamp = rtcpCounters.enter();
        InetSocketAddress latchedRtcp = rtcpLatched;
        if (latchedRtcp != null && !latchedRtcp.equals(source)) {
            rtcpCounters.drop(DropReason.STRANGER, stamp);
            log.debug("{} dropped RTCP from {}, latched onto {}", logContext, source, latchedRtcp);
            return false;
        }
        if (latchedRtcp == null && source.equals(abandonedRtcp) && nowNanos - abandonedUntilNanos < 0) {
            rtcpCounters.drop(DropReason.ABANDONED_SOURCE, stamp);
            log.debug("{} dropped RTCP from {}, the source before the retarget", logContext, source);
            return false;
        }
        rtcpCounters.pass(stamp);
        return true;
    }

    /** A valid RTCP compound came from {@code source}: reports go there from now on. */
    public void rtcpValid(InetSocketAddress source) {
        rtcpLatched = source;
    }

    /** The signalling moved the peer: send to {@code newRemote} and latch afresh (RTP and RTCP). */
    public void retarget(InetSocketAddress newRemote) {
        if (newRemote.equals(signalled)) {
            log.debug("{} re-offered {}, unchanged; stays with {}", logContext, newRemote, remote);
            return;
        }
        signalled = newRemote;
        InetSocketAddress old = remote;
        abandoned = latched && !old.equals(newRemote) ? old : null;
        InetSocketAddress oldRtcp = rtcpLatched;
        abandonedRtcp = oldRtcp != null && !oldRtcp.equals(newRemote) ? oldRtcp : null;
        abandonedUntilNanos = System.nanoTime() + ABANDONED_SOURCE_NANOS;
        remote = newRemote;
        latched = false;
        rtcpLatched = null;
        log.info("{} retargeted from {} to {}", logContext, old, newRemote);
    }

    /** Where RTP goes: the signalled address until a source was latched onto. */
    public InetSocketAddress remote() {
        return remote;
    }

    /** Where RTCP goes: the latched RTCP source, else the RTP address (muxed) or the port above it. */
    public InetSocketAddress rtcpRemote(boolean rtcpMux) {
        InetSocketAddress latchedRtcp = rtcpLatched;
        if (latchedRtcp != null) {
            return latchedRtcp;
        }
        InetSocketAddress rtp = remote;
        return rtcpMux ? rtp : new InetSocketAddress(rtp.getAddress(), rtp.getPort() + 1);
    }

    public StageCounters rtpCounters() {
        return rtpCounters;
    }

    public StageCounters rtcpCounters() {
        return rtcpCounters;
    }
}
