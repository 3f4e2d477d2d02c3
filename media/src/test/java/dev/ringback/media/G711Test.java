package dev.ringback.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class G711Test {

    @Test
    void decodesLikeTheReferenceTables() {
        // values as produced by sox's G.711 decoder
        assertEquals(-32124, G711.ulawDecode((byte) 0x00));
        assertEquals(-16764, G711.ulawDecode((byte) 0x0F));
        assertEquals(32124, G711.ulawDecode((byte) 0x80));
        assertEquals(988, G711.ulawDecode((byte) 0xCE));
        assertEquals(0, G711.ulawDecode((byte) 0xFF));
        assertEquals(-5504, G711.alawDecode((byte) 0x00));
        assertEquals(-32256, G711.alawDecode((byte) 0x2A));
        assertEquals(-8, G711.alawDecode((byte) 0x55));
        assertEquals(32256, G711.alawDecode((byte) 0xAA));
        assertEquals(8, G711.alawDecode((byte) 0xD5));
        assertEquals(1008, G711.alawDecode((byte) 0xFA));
    }

    @Test
    void encodesLikeTheReferenceTables() {
        assertEquals((byte) 0xFF, G711.ulawEncode((short) 0));
        assertEquals((byte) 0xCE, G711.ulawEncode((short) 1000));
        assertEquals((byte) 0x4E, G711.ulawEncode((short) -1000));
        assertEquals((byte) 0xA0, G711.ulawEncode((short) 8000));
        assertEquals((byte) 0x80, G711.ulawEncode(Short.MAX_VALUE));
        assertEquals((byte) 0x00, G711.ulawEncode(Short.MIN_VALUE));
        assertEquals((byte) 0xD5, G711.alawEncode((short) 0));
        assertEquals((byte) 0xFA, G711.alawEncode((short) 1000));
        assertEquals((byte) 0x7A, G711.alawEncode((short) -1000));
        assertEquals((byte) 0x0A, G711.alawEncode((short) -8000));
        assertEquals((byte) 0xAA, G711.alawEncode(Short.MAX_VALUE));
        assertEquals((byte) 0x2A, G711.alawEncode(Short.MIN_VALUE));
    }

    @Test
    void everyCodeSurvivesDecodeThenEncode() {
        for (int code = 0; code < 256; code++) {
            if (code != 0x7F) { // µ-law has two zeros; 0x7F (-0) re-encodes as 0xFF (+0)
                assertEquals((byte) code, G711.ulawEncode(G711.ulawDecode((byte) code)), "ulaw " + code);
            }
            assertEquals((byte) code, G711.alawEncode(G711.alawDecode((byte) code)), "alaw " + code);
        }
    }

    @Test
    void quantisationErrorStaysWithinHalfASegmentStep() {
        for (int v = Short.MIN_VALUE; v <= Short.MAX_VALUE; v++) {
            short s = (short) v;
            int allowed = Math.max(16, Math.abs(v) / 16); // G.711 steps are ~1/16 of the segment's magnitude
            int ulawError = Math.abs(G711.ulawDecode(G711.ulawEncode(s)) - v);
            int alawError = Math.abs(G711.alawDecode(G711.alawEncode(s)) - v);
            assertTrue(ulawError <= allowed, "ulaw " + v + " error " + ulawError);
            assertTrue(alawError <= allowed, "alaw " + v + " error " + alawError);
        }
    }

    @Test
    void arrayVersionsMatchSampleVersions() {
        short[] pcm = TestAudio.tone(1000, 0.02, 12000);
        byte[] ulaw = G711.ulawEncode(pcm);
        byte[] alaw = G711.alawEncode(pcm);
        for (int i = 0; i < pcm.length; i++) {
            assertEquals(G711.ulawEncode(pcm[i]), ulaw[i]);
            assertEquals(G711.alawEncode(pcm[i]), alaw[i]);
        }
        short[] back = G711.ulawDecode(ulaw);
        for (int i = 0; i < pcm.length; i++) {
            assertEquals(G711.ulawDecode(ulaw[i]), back[i]);
        }
        assertArrayEquals(G711.alawDecode(alaw), G711.alawDecode(G711.alawEncode(G711.alawDecode(alaw))));
    }

    @Test
    void codecsMapPayloadTypes() {
        assertEquals(Codec.PCMU, Codec.forPayloadType(0).orElseThrow());
        assertEquals(Codec.PCMA, Codec.forPayloadType(8).orElseThrow());
        assertTrue(Codec.forPayloadType(18).isEmpty());
        assertEquals((byte) 0xFF, Codec.PCMU.silence());
        assertEquals((byte) 0xD5, Codec.PCMA.silence());
    }
}
