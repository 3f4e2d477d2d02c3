package dev.ringback.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringback.media.rtp.MalformedRtpException;
import dev.ringback.media.rtp.RtpPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class RtpPacketTest {

    private static RtpPacket parse(byte[] bytes) throws MalformedRtpException {
        return RtpPacket.parse(Unpooled.wrappedBuffer(bytes));
    }

    @Test
    void parsesWhatAnIndependentWriterProduced() throws Exception {
        byte[] payload = {1, 2, 3};
        RtpPacket p = parse(TestNet.rtp(true, 8, 65535, 0xFFFF_FFF0L, 0xDEAD_BEEFL, payload));
        assertTrue(p.marker());
        assertEquals(8, p.payloadType());
        assertEquals(65535, p.sequence());
        assertEquals(0xFFFF_FFF0L, p.timestamp());
        assertEquals(0xDEAD_BEEFL, p.ssrc());
        assertArrayEquals(payload, p.payload());
    }

    @Test
    void writtenHeaderReadsBack() throws Exception {
        ByteBuf buf = Unpooled.buffer();
        RtpPacket.writeHeader(buf, false, 0, 42, 160L * 7, 0x8000_0001L);
        buf.writeBytes(new byte[160]);
        RtpPacket p = RtpPacket.parse(buf);
        assertEquals(0, p.payloadType());
        assertEquals(42, p.sequence());
        assertEquals(1120, p.timestamp());
        assertEquals(0x8000_0001L, p.ssrc());
        assertEquals(160, p.payload().length);
    }

    @Test
    void skipsCsrcsExtensionAndPadding() throws Exception {
        byte[] b = {
            (byte) 0xB1, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, // v2, padding, extension, 1 CSRC
            0, 0, 0, 9,                                   // CSRC
            (byte) 0xBE, (byte) 0xDE, 0, 1, 1, 2, 3, 4,   // extension: 1 word
            7, 7,                                         // payload
            0, 0, 3                                       // 3 bytes padding
        };
        assertArrayEquals(new byte[] {7, 7}, parse(b).payload());
    }

    @Test
    void rejectsWhatIsNotRtp() {
        assertThrows(MalformedRtpException.class, () -> parse(new byte[5]));
        assertThrows(MalformedRtpException.class, () -> parse(TestNet.rtp(false, 0, 1, 1, 1, new byte[0])));
        byte[] version1 = TestNet.rtp(false, 0, 1, 1, 1, new byte[160]);
        version1[0] = 0x40;
        assertThrows(MalformedRtpException.class, () -> parse(version1));
        assertThrows(MalformedRtpException.class, () -> parse(TestNet.rtp(false, 0, 1, 1, 1, new byte[1000])));
        byte[] badPadding = TestNet.rtp(false, 0, 1, 1, 1, new byte[] {1, 2, (byte) 200});
        badPadding[0] = (byte) 0xA0;
        assertThrows(MalformedRtpException.class, () -> parse(badPadding));
        byte[] truncatedExtension = TestNet.rtp(false, 0, 1, 1, 1, new byte[] {1, 2});
        truncatedExtension[0] = (byte) 0x90;
        assertThrows(MalformedRtpException.class, () -> parse(truncatedExtension));
        byte[] hugeExtension = TestNet.rtp(false, 0, 1, 1, 1, new byte[] {0, 0, 0x7F, 0, 5});
        hugeExtension[0] = (byte) 0x90;
        assertThrows(MalformedRtpException.class, () -> parse(hugeExtension));
    }
}
