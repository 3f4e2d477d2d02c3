package dev.ringback.media.rtp;

import dev.ringback.media.stage.DropReason;
import io.netty.buffer.ByteBuf;

/** A parsed RTP packet (RFC 3550 §5.1); CSRCs, header extension and padding are skipped. */
public record RtpPacket(boolean marker, int payloadType, int sequence, long timestamp, long ssrc, byte[] payload) {
    public static final int HEADER_SIZE = 12;
    /** 60 ms of G.711: anything larger is not a sane telephone packet. */
    public static final int MAX_PAYLOAD = 480;

    public static RtpPacket parse(ByteBuf buf) throws MalformedRtpException {
        return parse(buf, null);
    }

    /**
     * As {@link #parse(ByteBuf)}, with the payload copied into {@code spare} when it is exactly that long (the
     * receive path hands back the array of a packet that is no longer needed: one array per session, not per packet).
     */
    public static RtpPacket parse(ByteBuf buf, byte[] spare) throws MalformedRtpException {
        int length = buf.readableBytes();
        if (length < HEADER_SIZE) {
            throw new MalformedRtpException(DropReason.TRUNCATED, "truncated: " + length + " bytes");
        }
        int start = buf.readerIndex();
        int b0 = buf.getUnsignedByte(start);
        int b1 = buf.getUnsignedByte(start + 1);
        if (b0 >> 6 != 2) {
            throw new MalformedRtpException(DropReason.BAD_VERSION, "version " + (b0 >> 6));
        }
        boolean padding = (b0 & 0x20) != 0;
        boolean extension = (b0 & 0x10) != 0;
        int csrcCount = b0 & 0x0F;
        int payloadStart = HEADER_SIZE + 4 * csrcCount;
        if (payloadStart > length) {
            throw new MalformedRtpException(DropReason.TRUNCATED, csrcCount + " CSRCs in " + length + " bytes");
        }
        int end = length;
        if (padding) {
            int pad = buf.getUnsignedByte(start + length - 1);
            if (pad == 0 || pad > length - payloadStart) {
                throw new MalformedRtpException(DropReason.BAD_PADDING, "bad padding " + pad);
            }
            end -= pad;
        }
        if (extension) {
            if (payloadStart + 4 > end) {
                throw new MalformedRtpException(DropReason.BAD_EXTENSION, "truncated header extension");
            }
            payloadStart += 4 + 4 * buf.getUnsignedShort(start + payloadStart + 2);
            if (payloadStart > end) {
                throw new MalformedRtpException(DropReason.BAD_EXTENSION, "header extension overruns the packet");
            }
        }
        int payloadLength = end - payloadStart;
        if (payloadLength <= 0) {
            throw new MalformedRtpException(DropReason.NO_PAYLOAD, "no payload");
        }
        if (payloadLength > MAX_PAYLOAD) {
            throw new MalformedRtpException(DropReason.OVERSIZED, "oversized payload " + payloadLength);
        }
        byte[] payload = spare != null && spare.length == payloadLength ? spare : new byte[payloadLength];
        buf.getBytes(start + payloadStart, payload);
        return new RtpPacket((b1 & 0x80) != 0, b1 & 0x7F, buf.getUnsignedShort(start + 2),
                buf.getUnsignedInt(start + 4), buf.getUnsignedInt(start + 8), payload);
    }

    public static void writeHeader(ByteBuf out, boolean marker, int payloadType, int sequence, long timestamp, long ssrc) {
        out.writeByte(0x80);
        out.writeByte((marker ? 0x80 : 0) | payloadType);
        out.writeShort(sequence);
        out.writeInt((int) timestamp);
        out.writeInt((int) ssrc);
    }
}
