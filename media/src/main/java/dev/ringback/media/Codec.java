package dev.ringback.media;

import java.util.Optional;

/** The audio codecs a session can carry: G.711 at 8 kHz, static RTP payload types (RFC 3551). */
public enum Codec {
    PCMU(0),
    PCMA(8);

    private final int payloadType;

    Codec(int payloadType) {
        this.payloadType = payloadType;
    }

    public int payloadType() {
        return payloadType;
    }

    public static Optional<Codec> forPayloadType(int pt) {
        for (Codec c : values()) {
            if (c.payloadType == pt) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    public byte encode(short sample) {
        return this == PCMU ? G711.ulawEncode(sample) : G711.alawEncode(sample);
    }

    public short decode(byte code) {
        return this == PCMU ? G711.ulawDecode(code) : G711.alawDecode(code);
    }

    /** Encodes {@code count} samples from {@code pcm[from]} into {@code codes[0..count)}. */
    public void encode(short[] pcm, int from, byte[] codes, int count) {
        if (this == PCMU) {
            G711.ulawEncode(pcm, from, codes, count);
        } else {
            G711.alawEncode(pcm, from, codes, count);
        }
    }

    /** Decodes {@code count} codes into {@code pcm[0..count)}. */
    public void decode(byte[] codes, short[] pcm, int count) {
        if (this == PCMU) {
            G711.ulawDecode(codes, pcm, count);
        } else {
            G711.alawDecode(codes, pcm, count);
        }
    }

    /** The code for digital silence (linear 0). */
    public byte silence() {
        return encode((short) 0);
    }
}
