package dev.ringback.media;

/**
 * ITU-T G.711 µ-law and A-law companding between 16-bit linear PCM and 8-bit codes.
 * Pure functions over precomputed immutable tables (256 entries to decode, 65536 to encode): both directions run
 * for every sample of every packet.
 */
public final class G711 {
    private static final int ULAW_BIAS = 0x84;
    private static final int ULAW_CLIP = 32635;
    private static final short[] ULAW_TO_LINEAR = new short[256];
    private static final short[] ALAW_TO_LINEAR = new short[256];
    /** Indexed by the sample's 16 bits as unsigned. */
    private static final byte[] LINEAR_TO_ULAW = new byte[65536];
    private static final byte[] LINEAR_TO_ALAW = new byte[65536];

    static {
        for (int i = 0; i < 256; i++) {
            ULAW_TO_LINEAR[i] = computeUlawDecode(i);
            ALAW_TO_LINEAR[i] = computeAlawDecode(i);
        }
        for (int i = 0; i < 65536; i++) {
            LINEAR_TO_ULAW[i] = computeUlawEncode((short) i);
            LINEAR_TO_ALAW[i] = computeAlawEncode((short) i);
        }
    }

    private G711() {
    }

    public static byte ulawEncode(short pcm) {
        return LINEAR_TO_ULAW[pcm & 0xFFFF];
    }

    /** Encodes {@code count} samples from {@code pcm[from]} into {@code codes[0..count)}. */
    public static void ulawEncode(short[] pcm, int from, byte[] codes, int count) {
        for (int i = 0; i < count; i++) {
            codes[i] = LINEAR_TO_ULAW[pcm[from + i] & 0xFFFF];
        }
    }

    /** Encodes {@code count} samples from {@code pcm[from]} into {@code codes[0..count)}. */
    public static void alawEncode(short[] pcm, int from, byte[] codes, int count) {
        for (int i = 0; i < count; i++) {
            codes[i] = LINEAR_TO_ALAW[pcm[from + i] & 0xFFFF];
        }
    }

    /** Decodes {@code count} codes into {@code pcm[0..count)}. */
    public static void ulawDecode(byte[] codes, short[] pcm, int count) {
        for (int i = 0; i < count; i++) {
            pcm[i] = ULAW_TO_LINEAR[codes[i] & 0xFF];
        }
    }

    /** Decodes {@code count} codes into {@code pcm[0..count)}. */
    public static void alawDecode(byte[] codes, short[] pcm, int count) {
        for (int i = 0; i < count; i++) {
            pcm[i] = ALAW_TO_LINEAR[codes[i] & 0xFF];
        }
    }

    private static byte computeUlawEncode(short pcm) {
        int value = pcm;
        int sign = 0;
        if (value < 0) {
            sign = 0x80;
            value = -value;
        }
        if (value > ULAW_CLIP) {
            value = ULAW_CLIP;
        }
        value += ULAW_BIAS;
        // segment = position of the highest set bit, counted from bit 7 (value >= BIAS so it is at least 7)
        int exponent = Math.min(31 - Integer.numberOfLeadingZeros(value) - 7, 7);
        int mantissa = (value >> (exponent + 3)) & 0x0F;
        return (byte) ~(sign | (exponent << 4) | mantissa);
    }

    public static short ulawDecode(byte code) {
        return ULAW_TO_LINEAR[code & 0xFF];
    }

    public static byte alawEncode(short pcm) {
        return LINEAR_TO_ALAW[pcm & 0xFFFF];
    }

    private static byte computeAlawEncode(short pcm) {
        int value = pcm >> 3; // A-law works on 13-bit magnitude
        int mask;
        if (value >= 0) {
            mask = 0xD5;
        } else {
            mask = 0x55;
            value = -value - 1;
        }
        int segment = 0;
        while (segment < 8 && value > (0x20 << segment) - 1) {
            segment++;
        }
        if (segment >= 8) {
            return (byte) (0x7F ^ mask);
        }
        int code = segment << 4;
        code |= segment < 2 ? (value >> 1) & 0x0F : (value >> segment) & 0x0F;
        return (byte) (code ^ mask);
    }

    public static short alawDecode(byte code) {
        return ALAW_TO_LINEAR[code & 0xFF];
    }

    public static byte[] ulawEncode(short[] pcm) {
        byte[] out = new byte[pcm.length];
        ulawEncode(pcm, 0, out, pcm.length);
        return out;
    }

    public static short[] ulawDecode(byte[] codes) {
        short[] out = new short[codes.length];
        for (int i = 0; i < codes.length; i++) {
            out[i] = ULAW_TO_LINEAR[codes[i] & 0xFF];
        }
        return out;
    }

    public static byte[] alawEncode(short[] pcm) {
        byte[] out = new byte[pcm.length];
        alawEncode(pcm, 0, out, pcm.length);
        return out;
    }

    public static short[] alawDecode(byte[] codes) {
        short[] out = new short[codes.length];
        for (int i = 0; i < codes.length; i++) {
            out[i] = ALAW_TO_LINEAR[codes[i] & 0xFF];
        }
        return out;
    }

    private static short computeUlawDecode(int code) {
        int u = ~code & 0xFF;
        int exponent = (u >> 4) & 0x07;
        int mantissa = u & 0x0F;
        int magnitude = (((mantissa << 3) + ULAW_BIAS) << exponent) - ULAW_BIAS;
        return (short) ((u & 0x80) != 0 ? -magnitude : magnitude);
    }

    private static short computeAlawDecode(int code) {
        int a = code ^ 0x55;
        int magnitude = (a & 0x0F) << 4;
        int segment = (a & 0x70) >> 4;
        if (segment == 0) {
            magnitude += 8;
        } else {
            magnitude = (magnitude + 0x108) << (segment - 1);
        }
        return (short) ((a & 0x80) != 0 ? magnitude : -magnitude);
    }
}
