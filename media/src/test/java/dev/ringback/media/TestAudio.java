package dev.ringback.media;

import java.util.List;

/** Test audio: tones in, frequency and energy out (Goertzel). */
final class TestAudio {
    static final int RATE = 8000;

    private TestAudio() {
    }

    static short[] tone(double hz, double seconds, int amplitude) {
        short[] out = new short[(int) (RATE * seconds)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / RATE));
        }
        return out;
    }

    static double rms(short[] x) {
        double sum = 0;
        for (short s : x) {
            sum += (double) s * s;
        }
        return Math.sqrt(sum / Math.max(1, x.length));
    }

    /** Normalised power of {@code hz} in {@code x} (Goertzel). */
    static double power(short[] x, double hz) {
        double coeff = 2 * Math.cos(2 * Math.PI * hz / RATE);
        double s1 = 0;
        double s2 = 0;
        for (short sample : x) {
            double s = sample + coeff * s1 - s2;
            s2 = s1;
            s1 = s;
        }
        return (s1 * s1 + s2 * s2 - coeff * s1 * s2) / ((double) x.length * x.length);
    }

    /** The strongest frequency of x on a 50 Hz grid across the telephone band. */
    static double dominantFrequency(short[] x) {
        double best = 0;
        double bestPower = -1;
        for (double hz = 200; hz <= 3600; hz += 50) {
            double p = power(x, hz);
            if (p > bestPower) {
                bestPower = p;
                best = hz;
            }
        }
        return best;
    }

    /** The non-silent frames (rms above the threshold), joined. */
    static short[] audibleConcatenation(List<short[]> frames, double rmsThreshold) {
        List<short[]> audible = frames.stream().filter(f -> rms(f) > rmsThreshold).toList();
        short[] out = new short[audible.size() * RtpSession.SAMPLES_PER_FRAME];
        for (int i = 0; i < audible.size(); i++) {
            System.arraycopy(audible.get(i), 0, out, i * RtpSession.SAMPLES_PER_FRAME, RtpSession.SAMPLES_PER_FRAME);
        }
        return out;
    }
}
