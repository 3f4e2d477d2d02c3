package dev.ringback.media.rtcp;

import dev.ringback.media.rtp.MalformedRtpException;
import dev.ringback.media.stage.DropReason;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds and parses the RTCP compound packets a session uses (RFC 3550 §6): SR, RR, SDES CNAME, BYE. */
public final class Rtcp {
    public static final int SR = 200;
    public static final int RR = 201;
    public static final int SDES = 202;
    public static final int BYE = 203;
    private static final int CNAME = 1;
    /** Seconds from 1900 (NTP era 0) to 1970. */
    private static final long NTP_EPOCH_OFFSET = 2_208_988_800L;

    private Rtcp() {
    }

    /** A report block: what a receiver says about one source's stream. */
    public record ReportBlock(long ssrc, int fractionLost, int cumulativeLost, long extendedHighestSeq, long jitter, long lastSr,
            long delaySinceLastSr) {
    }

    /**
     * A parsed compound packet.
     *
     * @param srNtpMiddle the middle 32 bits of the SR's NTP timestamp (the LSR to echo), -1 if no SR came
     */
    public record Compound(long senderSsrc, long srNtpMiddle, List<ReportBlock> blocks, boolean bye) {
    }

    /** The 64-bit NTP timestamp of a wall-clock instant given as epoch seconds and nanoseconds. */
    public static long ntp(long epochSecond, int nanos) {
        long fraction = ((long) nanos << 32) / 1_000_000_000L;
        return ((epochSecond + NTP_EPOCH_OFFSET) << 32) | fraction;
    }

    /** The middle 32 bits of an NTP timestamp: the compact form LSR and round-trip times use (1/65536 s). */
    public static long middle(long ntp) {
        return (ntp >>> 16) & 0xFFFF_FFFFL;
    }

    public static void writeSenderReport(ByteBuf out, long ssrc, long ntp, long rtpTimestamp, long packets, long octets,
            ReportBlock block) {
        int blocks = block == null ? 0 : 1;
        out.writeByte(0x80 | blocks);
        out.writeByte(SR);
        out.writeShort(6 + 6 * blocks); // 32-bit words minus one
        out.writeInt((int) ssrc);
        out.writeLong(ntp);
        out.writeInt((int) rtpTimestamp);
        out.writeInt((int) packets);
        out.writeInt((int) octets);
        if (block != null) {
            writeBlock(out, block);
        }
    }

    /** RFC 3550 §6.4.2: what a participant that has not sent RTP lately reports instead of an SR. */
    public static void writeReceiverReport(ByteBuf out, long ssrc, ReportBlock block) {
        int blocks = block == null ? 0 : 1;
        out.writeByte(0x80 | blocks);
        out.writeByte(RR);
        out.writeShort(1 + 6 * blocks);
        out.writeInt((int) ssrc);
        if (block != null) {
            writeBlock(out, block);
        }
    }

    private static void writeBlock(ByteBuf out, ReportBlock b) {
        out.writeInt((int) b.ssrc());
        out.writeInt((b.fractionLost() << 24) | (b.cumulativeLost() & 0xFF_FFFF));
        out.writeInt((int) b.extendedHighestSeq());
        out.writeInt((int) b.jitter());
        out.writeInt((int) b.lastSr());
        out.writeInt((int) b.delaySinceLastSr());
    }

    public static void writeCname(ByteBuf out, long ssrc, String cname) {
        byte[] text = cname.getBytes(StandardCharsets.UTF_8);
        int itemBytes = 4 + 2 + text.length + 1; // ssrc, type+length, text, END
        int padded = (itemBytes + 3) & ~3;
        out.writeByte(0x81);
        out.writeByte(SDES);
        out.writeShort(padded / 4);
        out.writeInt((int) ssrc);
        out.writeByte(CNAME);
        out.writeByte(text.length);
        out.writeBytes(text);
        out.writeZero(padded - itemBytes + 1);
    }

    public static void writeBye(ByteBuf out, long ssrc) {
        out.writeByte(0x81);
        out.writeByte(BYE);
        out.writeShort(1);
        out.writeInt((int) ssrc);
    }

    /** Parses a compound packet; it must start with SR or RR and every part must fit (RFC 3550 A.2). */
    public static Compound parse(ByteBuf buf) throws MalformedRtpException {
        int at = buf.readerIndex();
        int end = buf.writerIndex();
        if (end - at < 8) {
            throw new MalformedRtpException(DropReason.TRUNCATED, "RTCP truncated: " + (end - at) + " bytes");
        }
        int firstType = buf.getUnsignedByte(at + 1);
        if (firstType != SR && firstType != RR) {
            throw new MalformedRtpException(DropReason.NOT_A_REPORT, "RTCP compound starts with type " + firstType);
        }
        long senderSsrc = buf.getUnsignedInt(at + 4);
        long srNtpMiddle = -1;
        List<ReportBlock> blocks = new ArrayList<>();
        boolean bye = false;
        while (at < end) {
            if (end - at < 4) {
                throw new MalformedRtpException(DropReason.TRUNCATED, "RTCP trailing " + (end - at) + " bytes");
            }
            int b0 = buf.getUnsignedByte(at);
            int type = buf.getUnsignedByte(at + 1);
            int length = 4 * (buf.getUnsignedShort(at + 2) + 1);
            if (b0 >> 6 != 2) {
                throw new MalformedRtpException(DropReason.BAD_VERSION, "RTCP version " + (b0 >> 6));
            }
            if (at + length > end) {
                throw new MalformedRtpException(DropReason.LENGTH_OVERRUN,
                        "RTCP part of type " + type + " overruns the packet");
            }
            int count = b0 & 0x1F;
            if (type == SR || type == RR) {
                int firstBlock = at + (type == SR ? 28 : 8);
                if (firstBlock + 24 * count > at + length) {
                    throw new MalformedRtpException(DropReason.NOT_A_REPORT,
                            "RTCP report with " + count + " blocks in " + length + " bytes");
                }
                if (type == SR) {
                    srNtpMiddle = middle(buf.getLong(at + 8));
                }
                for (int i = 0; i < count; i++) {
                    int p = firstBlock + 24 * i;
                    int lost = buf.getInt(p + 4) << 8 >> 8; // 24-bit signed
                    blocks.add(new ReportBlock(buf.getUnsignedInt(p), buf.getUnsignedByte(p + 4), lost,
                            buf.getUnsignedInt(p + 8), buf.getUnsignedInt(p + 12), buf.getUnsignedInt(p + 16),
                            buf.getUnsignedInt(p + 20)));
                }
            } else if (type == BYE) {
                bye = true;
            }
            at += length;
        }
        return new Compound(senderSsrc, srNtpMiddle, blocks, bye);
    }
}
