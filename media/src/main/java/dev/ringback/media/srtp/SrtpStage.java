package dev.ringback.media.srtp;

import dev.ringback.media.stage.DropReason;
import dev.ringback.media.stage.StageCounters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A keyed session's SRTP and SRTCP: protects what leaves ({@code srtp-protect}, {@code srtcp-protect}), checks and
 * decrypts what arrives ({@code srtp-unprotect}, {@code srtcp-unprotect}), dropping what fails authentication or the
 * replay check by reason, and moves to new keys mid-call (RFC 4568 §7.1.4). Not thread-safe: one session's event
 * loop owns it.
 */
public final class SrtpStage {
    private static final Logger log = LoggerFactory.getLogger(SrtpStage.class);

    private final StageCounters protectRtp = new StageCounters("srtp-protect");
    private final StageCounters protectRtcp = new StageCounters("srtcp-protect");
    private final StageCounters unprotectRtp = new StageCounters("srtp-unprotect");
    private final StageCounters unprotectRtcp = new StageCounters("srtcp-unprotect");
    private final long ourSsrc;
    private final String logContext;
    private final SrtpBuffer[] clear = new SrtpBuffer[1];
    private SrtpTransform transform;
    private byte[] ourKeySalt;
    private byte[] peerKeySalt;

    /** @throws GeneralSecurityException when the contexts cannot be derived */
    public SrtpStage(byte[] ourKeySalt, byte[] peerKeySalt, long ourSsrc, String logContext)
            throws GeneralSecurityException {
        this.transform = new SrtpTransform(ourKeySalt, peerKeySalt, ourSsrc);
        this.ourKeySalt = ourKeySalt.clone();
        this.peerKeySalt = peerKeySalt.clone();
        this.ourSsrc = ourSsrc;
        this.logContext = logContext;
    }

    /** {@code plain} as it goes on the wire, or null if it could not be protected (counted); releases {@code plain}. */
    public ByteBuf protectRtp(ByteBuf plain) {
        return protect(plain, false, protectRtp);
    }

    public ByteBuf protectRtcp(ByteBuf plain) {
        return protect(plain, true, protectRtcp);
    }

    /** The received packet in clear, or null when it failed (counted by reason). */
    public ByteBuf unprotectRtp(ByteBuf received, InetSocketAddress from) {
        return unprotect(received, from, false, unprotectRtp);
    }

    public ByteBuf unprotectRtcp(ByteBuf received, InetSocketAddress from) {
        return unprotect(received, from, true, unprotectRtcp);
    }

    /**
     * New keys from a re-INVITE or UPDATE: a new key of ours is a new transform both ways; a new key of the peer's
     * only new receive contexts (our sending context and its rollover counter carry on). The keys in use change
     * nothing. On failure the old keys stay.
     */
    public void rekey(byte[] newOurKeySalt, byte[] newPeerKeySalt) {
        boolean ours = !Arrays.equals(newOurKeySalt, ourKeySalt);
        if (!ours && Arrays.equals(newPeerKeySalt, peerKeySalt)) {
            return;
        }
        try {
            if (ours) {
                SrtpTransform previous = transform;
                transform = new SrtpTransform(newOurKeySalt, newPeerKeySalt, ourSsrc);
                previous.close();
            } else {
                transform.replacePeerKey(newPeerKeySalt);
            }
            ourKeySalt = newOurKeySalt.clone();
            peerKeySalt = newPeerKeySalt.clone();
            log.info("{} SRTP re-keyed: {}", logContext, ours ? "both directions" : "the peer's key");
        } catch (GeneralSecurityException | RuntimeException e) {
            log.warn("{} SRTP re-key failed, the old keys stay: {}", logContext, e.toString());
        }
    }

    /** SRTP packets whose tag did not verify, or that failed otherwise. */
    public long rtpAuthFailures() {
        return unprotectRtp.dropped(DropReason.AUTH_FAILED) + unprotectRtp.dropped(DropReason.SRTP_ERROR);
    }

    public long rtpReplays() {
        return unprotectRtp.dropped(DropReason.REPLAYED);
    }

    public long rtcpAuthFailures() {
        return unprotectRtcp.dropped(DropReason.AUTH_FAILED) + unprotectRtcp.dropped(DropReason.SRTP_ERROR);
    }

    public long rtcpReplays() {
        return unprotectRtcp.dropped(DropReason.REPLAYED);
    }

    public StageCounters protectRtpCounters() {
        return protectRtp;
    }

    public StageCounters protectRtcpCounters() {
        return protectRtcp;
    }

    public StageCounters unprotectRtpCounters() {
        return unprotectRtp;
    }

    public StageCounters unprotectRtcpCounters() {
        return unprotectRtcp;
    }

    /** All four, in path order: outbound, then inbound. */
    public List<StageCounters> counters() {
        return List.of(protectRtp, protectRtcp, unprotectRtp, unprotectRtcp);
    }

    /** After the last packet went through it. */
    public void close() {
        transform.close();
    }

    private ByteBuf protect(ByteBuf plain, boolean rtcp, StageCounters counters) {
        long stamp = counters.enter();
        try {
            ByteBuf protectedPacket = rtcp ? transform.protectRtcp(plain) : transform.protectRtp(plain);
            if (protectedPacket != null) {
                counters.pass(stamp);
                return protectedPacket;
            }
            log.warn("{} SRTP refused to protect an outgoing {} packet", logContext, rtcp ? "RTCP" : "RTP");
        } catch (GeneralSecurityException | RuntimeException e) {
            log.warn("{} SRTP protect failed", logContext, e);
        } finally {
            plain.release();
        }
        counters.drop(DropReason.PROTECT_FAILED, stamp);
        return null;
    }

    private ByteBuf unprotect(ByteBuf received, InetSocketAddress from, boolean rtcp, StageCounters counters) {
        long stamp = counters.enter();
        SrtpTransform.Result result = rtcp
                ? transform.unprotectRtcp(received, clear)
                : transform.unprotectRtp(received, clear);
        if (result == SrtpTransform.Result.OK) {
            SrtpBuffer b = clear[0];
            clear[0] = null;
            counters.pass(stamp);
            return Unpooled.wrappedBuffer(b.getBuffer(), b.getOffset(), b.getLength());
        }
        clear[0] = null;
        counters.drop(switch (result) {
            case AUTH_FAIL -> DropReason.AUTH_FAILED;
            case REPLAY_FAIL -> DropReason.REPLAYED;
            default -> DropReason.SRTP_ERROR;
        }, stamp);
        log.debug("{} dropped {} from {}: {}", logContext, rtcp ? "SRTCP" : "SRTP", from, result);
        return null;
    }
}
