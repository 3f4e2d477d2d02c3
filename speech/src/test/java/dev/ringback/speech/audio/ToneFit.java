package dev.ringback.speech.audio;

/** Least-squares fit of one sinusoid to the middle of a signal (edges skipped: filter start-up). */
record ToneFit(double amplitude, double phase, double residualRms) {

    static ToneFit of(short[] pcm, int rate, double frequency) {
        int from = pcm.length / 10, to = pcm.length - pcm.length / 10;
        double ss = 0, sc = 0;
        for (int i = from; i < to; i++) {
            double w = 2 * Math.PI * frequency * i / rate;
            ss += pcm[i] * Math.sin(w);
            sc += pcm[i] * Math.cos(w);
        }
        int n = to - from;
        double a = 2 * ss / n, b = 2 * sc / n;
        double residual = 0;
        for (int i = from; i < to; i++) {
            double w = 2 * Math.PI * frequency * i / rate;
            double r = pcm[i] - a * Math.sin(w) - b * Math.cos(w);
            residual += r * r;
        }
        return new ToneFit(Math.hypot(a, b), Math.atan2(b, a), Math.sqrt(residual / n));
    }

    /** RMS of the middle part. */
    static double rms(short[] pcm) {
        int from = pcm.length / 10, to = pcm.length - pcm.length / 10;
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) pcm[i] * pcm[i];
        }
        return Math.sqrt(sum / (to - from));
    }

    double residualDb() {
        return 20 * Math.log10(residualRms / (amplitude / Math.sqrt(2)));
    }
}
