package dev.ringback.speech.turn;

/**
 * The most recent samples of a stream, addressed by absolute sample position, so audio from before
 * a speech onset can still be handed to the recogniser once the onset is confirmed.
 */
final class AudioHistory {

    private final short[] ring;
    private long end; // absolute position one past the newest sample

    AudioHistory(int capacity) {
        this.ring = new short[capacity];
    }

    void append(short[] pcm) {
        for (short s : pcm) {
            ring[(int) (end++ % ring.length)] = s;
        }
    }

    /** Oldest position still held. */
    long start() {
        return Math.max(0, end - ring.length);
    }

    long end() {
        return end;
    }

    /** Samples [from, to), clipped to what is still held. */
    short[] copy(long from, long to) {
        long a = Math.max(from, start());
        long b = Math.min(to, end);
        short[] out = new short[(int) Math.max(0, b - a)];
        for (int i = 0; i < out.length; i++) {
            out[i] = ring[(int) ((a + i) % ring.length)];
        }
        return out;
    }
}
