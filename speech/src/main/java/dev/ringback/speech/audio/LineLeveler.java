package dev.ringback.speech.audio;

/**
 * Fixed gain followed by a look-ahead peak limiter, so speech reaches the phone line at a steady
 * level and never clips. The limiter ramps the gain down linearly over the look-ahead window
 * before a peak (no hard clipping, no click) and recovers with a 50 ms release. Output lags the
 * input by the look-ahead; call {@link #flush()} at the end of a sentence. One per stream.
 */
public final class LineLeveler {

    private static final double RELEASE_SECONDS = 0.05;
    private static final double LOOKAHEAD_SECONDS = 0.004;

    private final double gain;
    private final double limit;
    private final int lookahead;
    private final double release;
    /** Input samples already multiplied by the gain, waiting for the look-ahead to pass (ring). */
    private final double[] pending;
    /** Largest gain each pending sample tolerates (limit / |sample|, at most 1). */
    private final double[] allowed;
    private int head;   // index of the oldest pending sample
    private int count;
    private double current = 1;

    /**
     * @param gain      linear gain applied to the input
     * @param peakDbfs  ceiling for output samples, e.g. -1 dBFS
     * @param sampleRate rate of the stream, for the look-ahead and release times
     */
    public LineLeveler(double gain, double peakDbfs, int sampleRate) {
        if (!(gain > 0) || peakDbfs > 0) {
            throw new IllegalArgumentException("gain must be > 0 and peak <= 0 dBFS, got " + gain + ", " + peakDbfs);
        }
        this.gain = gain;
        this.limit = 32767 * Levels.dbToLinear(peakDbfs);
        this.lookahead = Math.max(1, (int) Math.round(LOOKAHEAD_SECONDS * sampleRate));
        this.release = 1 - Math.exp(-1 / (RELEASE_SECONDS * sampleRate));
        this.pending = new double[lookahead + 1];
        this.allowed = new double[lookahead + 1];
    }

    public short[] process(short[] in) {
        short[] out = new short[Math.max(0, count + in.length - lookahead)];
        int produced = 0;
        for (short s : in) {
            push(s * gain);
            if (count > lookahead) {
                out[produced++] = pop();
            }
        }
        return out;
    }

    /** Emits what the look-ahead still holds and readies the leveler for the next sentence. */
    public short[] flush() {
        short[] out = new short[count];
        for (int i = 0; i < out.length; i++) {
            out[i] = pop();
        }
        current = 1;
        return out;
    }

    private void push(double v) {
        int at = (head + count) % pending.length;
        pending[at] = v;
        double magnitude = Math.abs(v);
        allowed[at] = magnitude > limit ? limit / magnitude : 1;
        count++;
    }

    private short pop() {
        // A sample d places ahead may still be at gain 1 - (1 - allowed) * (lookahead - d) / lookahead,
        // so the gain ramps down to exactly what each peak allows by the time it is output.
        double target = 1;
        for (int d = 0; d < count; d++) {
            double a = allowed[(head + d) % pending.length];
            if (a < 1) {
                target = Math.min(target, a + (1 - a) * d / lookahead);
            }
        }
        current = Math.min(current + (1 - current) * release, target);
        double v = pending[head] * current;
        head = (head + 1) % pending.length;
        count--;
        return (short) Math.max(-limit, Math.min(limit, Math.round(v)));
    }
}
