package dev.ringback.speech.turn;

/**
 * Keeps the agent's own voice, played back by an echoing phone, from counting as the customer
 * speaking. Works on the 8 kHz line signal before VAD, in two steps:
 *
 * <ol>
 *   <li>An NLMS echo canceller: the echo delay is found by correlating the line's and the
 *       reference's 1 ms envelopes, then a short adaptive filter around that delay learns the echo
 *       path and subtracts its estimate. It adapts only while the line is no louder than echo
 *       could be (never while the customer talks over the agent).</li>
 *   <li>A gate: a frame whose residual energy is no more than the echo that the agent's recent
 *       audio could still explain is replaced by silence (Silero VAD hears speech even 30 dB
 *       down, so attenuating is not enough). The bound is the loudest 20 ms of agent audio within
 *       the delay window times a learnt coupling: an upper quantile of the residual-to-reference
 *       energy ratio while the agent talks (the agent talks far more than the customer talks over
 *       it). As the canceller converges the coupling falls, so a quieter customer gets through.</li>
 * </ol>
 *
 * <p>Reference and line audio share one timeline: line samples are counted as they arrive, and a
 * run of agent frames is placed on it from its send time relative to the latest line frame's
 * arrival, then kept contiguous until the agent pauses. One per call, used from one thread; cost
 * ≈2 M multiply-adds per second of agent speech, nothing while the agent is silent.
 */
final class EchoGate {

    private static final int RATE = 8000;
    private static final long NANOS_PER_SAMPLE = 1_000_000_000L / RATE;
    /** Agent frames further apart than this start a new run (re-anchored on the timeline). */
    private static final long RUN_GAP_NANOS = 60_000_000L;
    /** Lag step of the loudest-reference search (5 ms). */
    private static final int LAG_STEP = 40;
    /** Reference frames quieter than this (mean square) are no agent speech: -60 dBFS. */
    private static final double REFERENCE_FLOOR = Math.pow(10, -60 / 10.0) * 32768.0 * 32768.0;
    private static final double INITIAL_COUPLING_DB = -10;
    private static final double MIN_COUPLING_DB = -45;
    private static final double MAX_COUPLING_DB = 0;
    /** Quantile steps (dB per frame): up 3x down makes the tracker settle at the 75th percentile. */
    private static final double STEP_UP_DB = 0.6;
    private static final double STEP_DOWN_DB = 0.2;
    /** How far above the learnt echo bound the line must be to count as the customer. */
    private static final double MARGIN_DB = 6;

    /** Envelope block for the delay search (1 ms). */
    private static final int BLOCK = 8;
    /** Envelope history correlated for the delay (1 s), re-estimated every 10 frames. */
    private static final int ENVELOPE_BLOCKS = 1000;
    private static final int ESTIMATE_EVERY_FRAMES = 10;
    private static final double MIN_DELAY_CORRELATION = 0.4;
    /** Filter length (16 ms) and how many taps lie before the estimated delay (4 ms). */
    private static final int TAPS = 128;
    private static final int TAPS_BEFORE_DELAY = 32;
    private static final double STEP_SIZE = 0.5;
    /** Regularisation: the filter's input power floor (≈ -50 dBFS per sample). */
    private static final double POWER_FLOOR = TAPS * 100.0 * 100.0;

    private final int searchSamples;
    private final short[] ring;
    private long refEnd;                 // timeline position one past the newest reference sample
    private long lastSentNanos = Long.MIN_VALUE;
    private long lineEnd;                // timeline position one past the newest line sample
    private long lastLineFrameStart = -1;
    private long lastLineArrivalNanos;
    private final double[] lineEnvelope = new double[ENVELOPE_BLOCKS];
    private long lineBlocks;
    private final double[] smoothedCorrelation;
    private int delay = -1;              // estimated echo delay in samples, -1 until found
    private final double[] weights = new double[TAPS];
    private final double[] input = new double[160 + TAPS - 1];
    private long frames;
    private double couplingDb = INITIAL_COUPLING_DB;
    /** The same for the raw line (the echo return loss): decides when the canceller may adapt. */
    private double lineCouplingDb = INITIAL_COUPLING_DB;
    private volatile long suppressedFrames; // read by stats from other threads; one writer

    /** @param maxDelayMs longest echo delay looked for (the far end's playback path plus the network round trip) */
    EchoGate(int maxDelayMs) {
        this.searchSamples = RATE / 1000 * maxDelayMs;
        this.smoothedCorrelation = new double[searchSamples / BLOCK + 1];
        // the delay search looks 1 s + the window back; the reference may also run ahead of the
        // line by the worker's backlog
        this.ring = new short[searchSamples + ENVELOPE_BLOCKS * BLOCK + 4 * RATE];
    }

    /** Agent audio as it was sent on the line at {@code sentNanos} (System.nanoTime()). */
    void reference(short[] pcm, long sentNanos) {
        if (lastLineFrameStart < 0) {
            return; // nothing heard yet: no timeline to place the agent on, and no echo to gate
        }
        long at = refEnd;
        if (lastSentNanos == Long.MIN_VALUE || sentNanos - lastSentNanos > RUN_GAP_NANOS || refEnd < lineEnd - searchSamples) {
            at = lastLineFrameStart + (sentNanos - lastLineArrivalNanos) / NANOS_PER_SAMPLE;
        }
        lastSentNanos = sentNanos;
        for (long p = Math.max(refEnd, at - ring.length); p < at; p++) {
            ring[index(p)] = 0; // a pause in the agent's audio
        }
        for (int i = 0; i < pcm.length; i++) {
            ring[index(at + i)] = pcm[i];
        }
        refEnd = Math.max(refEnd, at + pcm.length);
    }

    /**
     * The line frame with the agent's echo cancelled, or silence when what is left could still be
     * echo; {@code pcm} itself when the agent has been silent over the search window.
     */
    short[] process(short[] pcm, long arrivalNanos) {
        long start = lineEnd;
        lastLineFrameStart = start;
        lastLineArrivalNanos = arrivalNanos;
        lineEnd += pcm.length;
        appendEnvelope(pcm);
        double reference = loudestReference(start, pcm.length);
        if (reference < REFERENCE_FLOOR) {
            return pcm;
        }
        if (++frames % ESTIMATE_EVERY_FRAMES == 0) {
            estimateDelay();
        }
        double lineDb = ratioDb(meanSquare(pcm), reference);
        // adapt only while the raw line could be all echo: never learn the customer's voice
        boolean mayAdapt = lineDb < lineCouplingDb + MARGIN_DB;
        lineCouplingDb = track(lineCouplingDb, lineDb);
        short[] residual = delay < 0 ? pcm : cancel(pcm, start, mayAdapt);
        double residualDb = ratioDb(meanSquare(residual), reference);
        boolean explained = residualDb < couplingDb + MARGIN_DB;
        couplingDb = track(couplingDb, residualDb);
        if (!explained) {
            return residual;
        }
        suppressedFrames++;
        return new short[pcm.length];
    }

    private static double track(double quantileDb, double observedDb) {
        double next = quantileDb + (observedDb > quantileDb ? STEP_UP_DB : -STEP_DOWN_DB);
        return Math.max(MIN_COUPLING_DB, Math.min(MAX_COUPLING_DB, next));
    }

    /** The estimates so far (read from other threads for logs: may be a frame stale). */
    String describe() {
        return String.format(java.util.Locale.ROOT, "echo delay %s, return loss %.0f dB, after cancelling %.0f dB",
                delay < 0 ? "unknown" : delay * 1000 / RATE + " ms", -lineCouplingDb, -couplingDb);
    }

    long suppressedFrames() {
        return suppressedFrames;
    }

    /** NLMS over the taps around the estimated delay; a filter that makes things worse is reset. */
    private short[] cancel(short[] pcm, long start, boolean adapt) {
        long first = start - delay + TAPS_BEFORE_DELAY - (TAPS - 1);
        for (int j = 0; j < input.length; j++) {
            input[j] = referenceAt(first + j);
        }
        double power = 0;
        for (int k = 0; k < TAPS; k++) {
            power += input[TAPS - 1 - k] * input[TAPS - 1 - k];
        }
        short[] out = new short[pcm.length];
        double inEnergy = 0;
        double outEnergy = 0;
        for (int n = 0; n < pcm.length; n++) {
            if (n > 0) {
                double entering = input[n + TAPS - 1];
                double leaving = input[n - 1];
                power += entering * entering - leaving * leaving;
            }
            double estimate = 0;
            for (int k = 0; k < TAPS; k++) {
                estimate += weights[k] * input[n + TAPS - 1 - k];
            }
            double error = pcm[n] - estimate;
            if (adapt) {
                double g = STEP_SIZE * error / (Math.max(power, 0) + POWER_FLOOR);
                for (int k = 0; k < TAPS; k++) {
                    weights[k] += g * input[n + TAPS - 1 - k];
                }
            }
            inEnergy += (double) pcm[n] * pcm[n];
            outEnergy += error * error;
            out[n] = (short) Math.max(-32768, Math.min(32767, Math.round(error)));
        }
        if (outEnergy > 2 * inEnergy) {
            java.util.Arrays.fill(weights, 0); // diverged (or the echo path moved): start again
            return pcm;
        }
        return out;
    }

    /** Finds the lag (1 ms steps) at which the reference envelope best matches the line's over the last second. */
    private void estimateDelay() {
        int blocks = (int) Math.min(lineBlocks, ENVELOPE_BLOCKS);
        if (blocks < ENVELOPE_BLOCKS / 4) {
            return;
        }
        long lineStartBlock = lineBlocks - blocks;
        double[] line = new double[blocks];
        double lineMean = 0;
        for (int b = 0; b < blocks; b++) {
            line[b] = lineEnvelope[(int) ((lineStartBlock + b) % ENVELOPE_BLOCKS)];
            lineMean += line[b] / blocks;
        }
        int lags = smoothedCorrelation.length;
        double[] ref = new double[blocks + lags];
        long refStartBlock = lineStartBlock - lags;
        for (int b = 0; b < ref.length; b++) {
            ref[b] = referenceEnvelope(refStartBlock + b);
        }
        int best = -1;
        double bestCorrelation = MIN_DELAY_CORRELATION;
        for (int lag = 0; lag < lags; lag++) {
            double refMean = 0;
            int offset = lags - lag; // ref[offset + b] is the reference lag blocks before line[b]
            for (int b = 0; b < blocks; b++) {
                refMean += ref[offset + b] / blocks;
            }
            double cross = 0, lineVar = 0, refVar = 0;
            for (int b = 0; b < blocks; b++) {
                double l = line[b] - lineMean, r = ref[offset + b] - refMean;
                cross += l * r;
                lineVar += l * l;
                refVar += r * r;
            }
            double correlation = lineVar > 0 && refVar > 0 ? cross / Math.sqrt(lineVar * refVar) : 0;
            smoothedCorrelation[lag] = 0.7 * smoothedCorrelation[lag] + 0.3 * correlation;
            if (smoothedCorrelation[lag] > bestCorrelation) {
                bestCorrelation = smoothedCorrelation[lag];
                best = lag;
            }
        }
        if (best >= 0 && Math.abs(best * BLOCK - delay) > 2 * BLOCK) {
            delay = best * BLOCK;
            java.util.Arrays.fill(weights, 0); // the taps now cover another stretch of the reference
        }
    }

    private void appendEnvelope(short[] pcm) {
        for (int b = 0; b + BLOCK <= pcm.length; b += BLOCK) {
            double sum = 0;
            for (int i = b; i < b + BLOCK; i++) {
                sum += Math.abs(pcm[i]);
            }
            lineEnvelope[(int) (lineBlocks++ % ENVELOPE_BLOCKS)] = sum / BLOCK;
        }
    }

    private double referenceEnvelope(long block) {
        double sum = 0;
        for (long p = block * BLOCK; p < (block + 1) * BLOCK; p++) {
            sum += Math.abs(referenceAt(p));
        }
        return sum / BLOCK;
    }

    /** Reference sample at a timeline position; 0 where no agent audio is known. */
    private double referenceAt(long position) {
        return position < refEnd && position >= refEnd - ring.length && position >= 0 ? ring[index(position)] : 0;
    }

    /** Highest mean square of any {@code length}-sample stretch of reference that could echo into [start, start+length). */
    private double loudestReference(long start, int length) {
        long from = Math.max(start - searchSamples, refEnd - ring.length + 1);
        long to = Math.min(start + length, refEnd);
        if (to - from < length) {
            return 0;
        }
        double best = 0;
        for (long end = to; end - length >= from; end -= LAG_STEP) {
            double sum = 0;
            for (long p = end - length; p < end; p++) {
                double s = ring[index(p)];
                sum += s * s;
            }
            best = Math.max(best, sum / length);
        }
        return best;
    }

    private static double ratioDb(double energy, double reference) {
        return 10 * Math.log10(Math.max(energy, 1e-3) / reference);
    }

    private static double meanSquare(short[] pcm) {
        double sum = 0;
        for (short s : pcm) {
            sum += (double) s * s;
        }
        return sum / pcm.length;
    }

    private int index(long position) {
        return (int) Math.floorMod(position, (long) ring.length);
    }
}
