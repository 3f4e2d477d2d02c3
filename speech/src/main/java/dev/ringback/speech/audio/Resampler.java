package dev.ringback.speech.audio;

/**
 * Band-limited sample-rate converter for 16-bit mono PCM: a polyphase FIR (Kaiser-windowed sinc)
 * for any rational ratio. The pass band reaches 85 % of the lower Nyquist frequency (3.4 kHz when
 * one side is 8 kHz) and the stop band (≥ 80 dB designed, ≥ 60 dB guaranteed) starts exactly at
 * the lower Nyquist frequency, so nothing aliases.
 *
 * <p>Streaming: {@link #process} keeps the filter history between chunks, so a stream cut into
 * chunks of any size yields the same samples as one call; output lags the input by the filter's
 * group delay ({@link #delaySeconds()}, ≈4 ms). One instance per stream; not thread-safe.
 */
public final class Resampler {

    private static final double PASS_FRACTION = 0.85;
    private static final double STOP_ATTENUATION_DB = 80;

    private final int fromRate;
    private final int up;
    private final int down;
    /** phases[p][k] = prototype[p + k * up]: the taps used when the output lands on phase p. */
    private final float[][] phases;
    private final int tapsPerPhase;
    private final int prototypeLength;
    /** The last tapsPerPhase - 1 input samples, oldest first. */
    private float[] history;
    /** Position of the next output sample on the up-sampled time axis, relative to the next input sample. */
    private long position;

    public Resampler(int fromRate, int toRate) {
        if (fromRate <= 0 || toRate <= 0) {
            throw new IllegalArgumentException("sample rates must be positive: " + fromRate + " -> " + toRate);
        }
        this.fromRate = fromRate;
        int g = gcd(fromRate, toRate);
        this.up = toRate / g;
        this.down = fromRate / g;
        float[] prototype = designLowPass(fromRate, toRate, up);
        this.prototypeLength = prototype.length;
        this.tapsPerPhase = (prototype.length + up - 1) / up;
        this.phases = new float[up][tapsPerPhase];
        for (int i = 0; i < prototype.length; i++) {
            phases[i % up][i / up] = prototype[i];
        }
        this.history = new float[tapsPerPhase - 1];
    }

    /** Group delay of the filter: how far the output of {@link #process} lags its input. */
    public double delaySeconds() {
        return (prototypeLength - 1) / 2.0 / ((double) fromRate * up);
    }

    /** Converts the next chunk of a stream; returns the output samples that became available. */
    public short[] process(short[] in) {
        return process(in, 0, in.length);
    }

    public short[] process(short[] in, int offset, int length) {
        int h = history.length;
        float[] work = new float[h + length];
        System.arraycopy(history, 0, work, 0, h);
        for (int i = 0; i < length; i++) {
            work[h + i] = in[offset + i];
        }
        long limit = (long) length * up;
        int count = position >= limit ? 0 : (int) ((limit - position + down - 1) / down);
        short[] out = new short[count];
        long pos = position;
        for (int n = 0; n < count; n++, pos += down) {
            int newest = h + (int) (pos / up);
            float[] taps = phases[(int) (pos % up)];
            float acc = 0;
            for (int k = 0, j = newest; k < tapsPerPhase; k++, j--) {
                acc += taps[k] * work[j];
            }
            out[n] = clamp(acc);
        }
        position = pos - limit;
        System.arraycopy(work, work.length - h, history, 0, h);
        return out;
    }

    /** Pushes the filter's tail out (as if silence followed) and resets the stream. */
    public short[] flush() {
        short[] tail = process(new short[tapsPerPhase]);
        history = new float[tapsPerPhase - 1];
        position = 0;
        return tail;
    }

    /**
     * Converts a whole signal with the filter delay removed: the result is time-aligned with the
     * input and holds round(in.length * toRate / fromRate) samples.
     */
    public static short[] convert(short[] in, int fromRate, int toRate) {
        if (fromRate == toRate) {
            return in.clone();
        }
        Resampler r = new Resampler(fromRate, toRate);
        // Start the output clock one group delay late, so output n lines up with input time n / toRate.
        r.position = (r.prototypeLength - 1) / 2;
        int outLength = (int) Math.round((double) in.length * toRate / fromRate);
        short[] head = r.process(in);
        short[] tail = r.flush();
        short[] out = new short[outLength];
        int fromHead = Math.min(outLength, head.length);
        System.arraycopy(head, 0, out, 0, fromHead);
        System.arraycopy(tail, 0, out, fromHead, Math.min(outLength - fromHead, tail.length));
        return out;
    }

    /**
     * Kaiser-windowed sinc low-pass at the up-sampled rate fromRate * up, cut-off half-way through
     * the transition band, with gain {@code up} so interpolation keeps the level.
     */
    private static float[] designLowPass(int fromRate, int toRate, int up) {
        double rate = (double) fromRate * up;
        double nyquist = Math.min(fromRate, toRate) / 2.0;
        double passEdge = PASS_FRACTION * nyquist;
        double cutoff = (passEdge + nyquist) / 2 / rate;          // cycles per sample
        double transition = 2 * Math.PI * (nyquist - passEdge) / rate; // radians per sample
        int length = (int) Math.ceil((STOP_ATTENUATION_DB - 8) / (2.285 * transition)) + 1;
        length |= 1; // odd: integer group delay on the up-sampled axis
        double beta = 0.1102 * (STOP_ATTENUATION_DB - 8.7);
        double centre = (length - 1) / 2.0;
        double norm = besselI0(beta);
        double[] h = new double[length];
        double sum = 0;
        for (int i = 0; i < length; i++) {
            double t = i - centre;
            double sinc = t == 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * t) / (Math.PI * t);
            double r = t / centre;
            double window = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / norm;
            h[i] = sinc * window;
            sum += h[i];
        }
        float[] taps = new float[length];
        for (int i = 0; i < length; i++) {
            taps[i] = (float) (h[i] * up / sum);
        }
        return taps;
    }

    private static double besselI0(double x) {
        double sum = 1, term = 1, halfX = x / 2;
        for (int k = 1; k < 50; k++) {
            term *= (halfX / k) * (halfX / k);
            sum += term;
            if (term < sum * 1e-12) {
                break;
            }
        }
        return sum;
    }

    private static short clamp(float v) {
        int s = Math.round(v);
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, s));
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
