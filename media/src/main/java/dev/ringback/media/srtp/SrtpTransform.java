package dev.ringback.media.srtp;

import dev.ringback.media.rtp.RtpPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.utils.logging2.LoggerImpl;

/**
 * SRTP and SRTCP (RFC 3711, AES_CM_128_HMAC_SHA1_80) for one session through jitsi-srtp: protects what the
 * session sends with our key, checks and decrypts what it receives with the peer's key (a context per peer
 * SSRC). Failures are reported as results, never thrown. Not thread-safe: one session's event loop owns it.
 */
public final class SrtpTransform {
    /** Bytes an SRTP packet grows by: the 80-bit tag. SRTCP adds the 4-byte E||index word too. */
    private static final int RTP_OVERHEAD = 10;
    private static final int RTCP_OVERHEAD = 14;
    private static final int MAX_PEER_SSRCS = 4;

    /** What became of a received packet. */
    public enum Result { OK, AUTH_FAIL, REPLAY_FAIL, ERROR }

    private final SrtpContextFactory sender;
    private SrtpContextFactory receiver;
    private final SrtpCryptoContext sendRtp;
    private final SrtcpCryptoContext sendRtcp;
    /** Receive contexts of peer SSRCs whose packets authenticated, the least recently used first. */
    private final Map<Long, SrtpCryptoContext> receiveRtp = peerContexts();
    private final Map<Long, SrtcpCryptoContext> receiveRtcp = peerContexts();

    /** An SDES master key followed by its master salt, as the {@code inline:} value carries them. */
    public static final int KEY_LENGTH = 16;
    public static final int SALT_LENGTH = 14;

    /**
     * Derives our send contexts; the first ever in a JVM runs jitsi's AES benchmark (1-2 s), see RtpEngine.
     *
     * @param ourKeySalt  master key||salt that protects what we send
     * @param peerKeySalt master key||salt that checks what we receive
     */
    public SrtpTransform(byte[] ourKeySalt, byte[] peerKeySalt, long ourSsrc) throws GeneralSecurityException {
        this.sender = factory(true, ourKeySalt);
        this.receiver = factory(false, peerKeySalt);
        this.sendRtp = sender.deriveContext((int) ourSsrc, 0);
        this.sendRtcp = sender.deriveControlContext((int) ourSsrc);
    }

    public static SrtpContextFactory factory(boolean forSender, byte[] keySalt) {
        SrtpPolicy policy = new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, KEY_LENGTH,
                SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, RTP_OVERHEAD, SALT_LENGTH);
        return new SrtpContextFactory(forSender, Arrays.copyOf(keySalt, KEY_LENGTH),
                Arrays.copyOfRange(keySalt, KEY_LENGTH, keySalt.length), policy, policy,
                new LoggerImpl(SrtpTransform.class.getName()));
    }

    /** Encrypts and tags an RTP packet; releases {@code plain}. Null if jitsi refused (logged by the caller). */
    public ByteBuf protectRtp(ByteBuf plain) throws GeneralSecurityException {
        SrtpBuffer b = copy(plain, RTP_OVERHEAD);
        return sendRtp.transformPacket(b) == SrtpErrorStatus.OK ? wrap(b) : null;
    }

    public ByteBuf protectRtcp(ByteBuf plain) throws GeneralSecurityException {
        SrtpBuffer b = copy(plain, RTCP_OVERHEAD);
        return sendRtcp.transformPacket(b) == SrtpErrorStatus.OK ? wrap(b) : null;
    }

    /** Checks and decrypts a received SRTP packet in {@code packet} (which keeps its readable bytes). */
    public Result unprotectRtp(ByteBuf packet, SrtpBuffer[] out) {
        if (packet.readableBytes() < RtpPacket.HEADER_SIZE + RTP_OVERHEAD) {
            return Result.AUTH_FAIL;
        }
        long ssrc = packet.getUnsignedInt(packet.readerIndex() + 8);
        try {
            SrtpCryptoContext context = receiveRtp.get(ssrc);
            boolean known = context != null;
            if (!known) {
                context = receiver.deriveContext((int) ssrc, 0);
            }
            SrtpBuffer b = copy(packet, 0);
            out[0] = b;
            Result result = result(context.reverseTransformPacket(b, false));
            if (!known && result == Result.OK) {
                receiveRtp.put(ssrc, context);
            }
            return result;
        } catch (GeneralSecurityException | RuntimeException e) {
            return Result.ERROR;
        }
    }

    public Result unprotectRtcp(ByteBuf packet, SrtpBuffer[] out) {
        if (packet.readableBytes() < 8 + RTCP_OVERHEAD) {
            return Result.AUTH_FAIL;
        }
        long ssrc = packet.getUnsignedInt(packet.readerIndex() + 4);
        try {
            SrtcpCryptoContext context = receiveRtcp.get(ssrc);
            boolean known = context != null;
            if (!known) {
                context = receiver.deriveControlContext((int) ssrc);
            }
            SrtpBuffer b = copy(packet, 0);
            out[0] = b;
            Result result = result(context.reverseTransformPacket(b));
            if (!known && result == Result.OK) {
                receiveRtcp.put(ssrc, context);
            }
            return result;
        } catch (GeneralSecurityException | RuntimeException e) {
            return Result.ERROR;
        }
    }

    /** The peer re-keyed: its packets are checked with the new key from now on, in fresh contexts. */
    public void replacePeerKey(byte[] peerKeySalt) {
        SrtpContextFactory previous = receiver;
        receiver = factory(false, peerKeySalt);
        receiveRtp.clear();
        receiveRtcp.clear();
        previous.close();
    }

    public void close() {
        sender.close();
        receiver.close();
    }

    /**
     * A context is kept only once a packet under its SSRC authenticated, and only for the last few such SSRCs: a
     * stranger spraying SSRCs must neither make us keep a context for each nor push the peer's context (its replay
     * window and rollover counter) out.
     */
    private static <C> Map<Long, C> peerContexts() {
        return new LinkedHashMap<>(8, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, C> eldest) {
                return size() > MAX_PEER_SSRCS;
            }
        };
    }

    private static Result result(SrtpErrorStatus status) {
        return switch (status) {
            case OK -> Result.OK;
            case AUTH_FAIL -> Result.AUTH_FAIL;
            case REPLAY_FAIL, REPLAY_OLD -> Result.REPLAY_FAIL;
            default -> Result.ERROR;
        };
    }

    private static SrtpBuffer copy(ByteBuf from, int headroom) {
        int length = from.readableBytes();
        byte[] bytes = new byte[length + headroom];
        from.getBytes(from.readerIndex(), bytes, 0, length);
        return new SrtpBuffer(bytes, 0, length);
    }

    private static ByteBuf wrap(SrtpBuffer b) {
        return Unpooled.wrappedBuffer(b.getBuffer(), b.getOffset(), b.getLength());
    }
}
