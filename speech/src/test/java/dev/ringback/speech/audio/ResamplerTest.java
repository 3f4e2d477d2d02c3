package dev.ringback.speech.audio;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResamplerTest {

    private static final double AMPLITUDE = 10_000;

    @Test
    void oneKilohertzToneSurvives48kTo8kAtTheSameFrequencyAndLevel() {
        short[] out = Resampler.convert(sine(1000, 48_000, 1.0), 48_000, 8_000);

        assertEquals(8_000, out.length);
        ToneFit fit = ToneFit.of(out, 8_000, 1000);
        assertEquals(AMPLITUDE, fit.amplitude(), AMPLITUDE * 0.01, "level kept within 0.1 dB");
        assertTrue(fit.residualDb() < -60, "nothing but a 1 kHz tone left, residual " + fit.residualDb() + " dB");
        assertTrue(Math.abs(fit.phase()) < 0.05, "convert() removes the filter delay, phase " + fit.phase());
    }

    @Test
    void fiveKilohertzToneDoesNotAliasTo3kWhenGoingTo8k() {
        short[] out = Resampler.convert(sine(5000, 48_000, 1.0), 48_000, 8_000);

        double inDb = Levels.rmsDbfs(sine(5000, 48_000, 1.0));
        double outDb = Levels.rmsDbfs(out, 400, out.length - 800);
        double aliasAmplitude = ToneFit.of(out, 8_000, 3000).amplitude();
        assertTrue(outDb - inDb <= -50, "5 kHz attenuated by " + (inDb - outDb) + " dB");
        assertTrue(20 * Math.log10(aliasAmplitude / AMPLITUDE) <= -60, "3 kHz alias at " + aliasAmplitude);
    }

    @Test
    void everyToneAbove4kIsAttenuatedAtLeast60dBGoing48kTo8k() {
        for (int f = 4000; f < 24_000; f += 100) {
            short[] out = Resampler.convert(sine(f, 48_000, 0.25), 48_000, 8_000);
            double attenuation = -20 * Math.log10(ToneFit.rms(out) / (AMPLITUDE / Math.sqrt(2)));
            assertTrue(attenuation >= 60, f + " Hz only " + attenuation + " dB down");
        }
    }

    @Test
    void telephoneBandPassesFlat() {
        for (int f = 100; f <= 3400; f += 100) {
            short[] out = Resampler.convert(sine(f, 48_000, 0.25), 48_000, 8_000);
            double gainDb = 20 * Math.log10(ToneFit.of(out, 8_000, f).amplitude() / AMPLITUDE);
            assertEquals(0, gainDb, 0.1, f + " Hz gain");
        }
    }

    @Test
    void roundTrip8kTo16kTo8kKeepsA1kTone() {
        short[] original = sine(1000, 8_000, 1.0);
        short[] up = Resampler.convert(original, 8_000, 16_000);
        short[] back = Resampler.convert(up, 16_000, 8_000);

        assertEquals(16_000, up.length);
        assertEquals(8_000, back.length);
        ToneFit fit = ToneFit.of(back, 8_000, 1000);
        assertEquals(AMPLITUDE, fit.amplitude(), AMPLITUDE * 0.01);
        assertTrue(fit.residualDb() < -60, "residual " + fit.residualDb() + " dB");
        double image = ToneFit.of(up, 16_000, 7000).amplitude();
        assertTrue(20 * Math.log10(image / AMPLITUDE) <= -60, "no 7 kHz image when up-sampling, got " + image);
    }

    @Test
    void streamingInOddChunksGivesTheSameSamplesAsOneCall() {
        short[] in = noise(48_000, 7);
        short[] whole = new Resampler(48_000, 8_000).process(in);

        Resampler streaming = new Resampler(48_000, 8_000);
        Random random = new Random(3);
        short[] joined = new short[0];
        for (int at = 0; at < in.length; ) {
            int n = Math.min(in.length - at, 1 + random.nextInt(1000));
            short[] chunk = new short[n];
            System.arraycopy(in, at, chunk, 0, n);
            joined = concat(joined, streaming.process(chunk));
            at += n;
        }
        assertArrayEquals(whole, joined);
    }

    @Test
    void anyRationalRatioWorks() {
        short[] out = Resampler.convert(sine(440, 44_100, 0.5), 44_100, 8_000);

        assertEquals(4_000, out.length);
        ToneFit fit = ToneFit.of(out, 8_000, 440);
        assertEquals(AMPLITUDE, fit.amplitude(), AMPLITUDE * 0.01);
        assertTrue(fit.residualDb() < -55, "residual " + fit.residualDb() + " dB");
    }

    @Test
    void fullScaleOvershootIsClampedNotWrapped() {
        short[] square = new short[48_000];
        for (int i = 0; i < square.length; i++) {
            square[i] = (i / 480) % 2 == 0 ? Short.MAX_VALUE : Short.MIN_VALUE; // 50 Hz, edges ring past full scale
        }
        short[] out = Resampler.convert(square, 48_000, 8_000);
        for (int n = 8; n < out.length - 8; n++) {
            int inputIndex = n * 6;
            boolean nearEdge = Math.abs(((inputIndex + 240) % 480) - 240) < 3;
            if (!nearEdge) {
                assertEquals(Integer.signum(square[inputIndex]), Integer.signum(out[n]), "sample " + n + " keeps its sign");
            }
        }
    }

    static short[] sine(double frequency, int rate, double seconds) {
        short[] pcm = new short[(int) Math.round(rate * seconds)];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) Math.round(AMPLITUDE * Math.sin(2 * Math.PI * frequency * i / rate));
        }
        return pcm;
    }

    private static short[] noise(int length, long seed) {
        Random random = new Random(seed);
        short[] pcm = new short[length];
        for (int i = 0; i < length; i++) {
            pcm[i] = (short) (random.nextGaussian() * 5000);
        }
        return pcm;
    }

    private static short[] concat(short[] a, short[] b) {
        short[] c = new short[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
