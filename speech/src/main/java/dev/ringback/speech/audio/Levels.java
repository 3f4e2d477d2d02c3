package dev.ringback.speech.audio;

/** Level measurements on 16-bit PCM, in dB relative to full scale (a full-scale sine is -3 dBFS RMS). */
public final class Levels {

    private static final double FULL_SCALE = 32768.0;
    /** Frames quieter than this below the loudest frame are pauses, not speech. */
    private static final double ACTIVE_RANGE_DB = 30;

    private Levels() {
    }

    public static double rmsDbfs(short[] pcm, int offset, int length) {
        double sum = 0;
        for (int i = offset; i < offset + length; i++) {
            sum += (double) pcm[i] * pcm[i];
        }
        return toDb(Math.sqrt(sum / Math.max(1, length)));
    }

    public static double rmsDbfs(short[] pcm) {
        return rmsDbfs(pcm, 0, pcm.length);
    }

    public static double peakDbfs(short[] pcm) {
        int peak = 0;
        for (short s : pcm) {
            peak = Math.max(peak, Math.abs(s));
        }
        return toDb(peak);
    }

    /**
     * RMS over the 20 ms frames within 30 dB of the loudest one: the level of the speech itself,
     * not diluted by pauses (a simplified ITU-T P.56 active level).
     */
    public static double activeRmsDbfs(short[] pcm, int sampleRate) {
        int frame = Math.max(1, sampleRate / 50);
        int frames = pcm.length / frame;
        if (frames == 0) {
            return rmsDbfs(pcm);
        }
        double[] energy = new double[frames];
        double loudest = 0;
        for (int f = 0; f < frames; f++) {
            double sum = 0;
            for (int i = f * frame; i < (f + 1) * frame; i++) {
                sum += (double) pcm[i] * pcm[i];
            }
            energy[f] = sum / frame;
            loudest = Math.max(loudest, energy[f]);
        }
        double floor = loudest * Math.pow(10, -ACTIVE_RANGE_DB / 10);
        double sum = 0;
        int active = 0;
        for (double e : energy) {
            if (e >= floor && e > 0) {
                sum += e;
                active++;
            }
        }
        return active == 0 ? Double.NEGATIVE_INFINITY : toDb(Math.sqrt(sum / active));
    }

    public static double dbToLinear(double db) {
        return Math.pow(10, db / 20);
    }

    private static double toDb(double amplitude) {
        return amplitude <= 0 ? Double.NEGATIVE_INFINITY : 20 * Math.log10(amplitude / FULL_SCALE);
    }
}
