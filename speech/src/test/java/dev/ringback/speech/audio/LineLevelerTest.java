package dev.ringback.speech.audio;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LineLevelerTest {

    private static final int RATE = 8000;

    @Test
    void quietSpeechIsRaisedByTheGainAndNothingIsLost() {
        short[] tone = tone(440, 1000); // about -33 dBFS RMS
        LineLeveler leveler = new LineLeveler(Levels.dbToLinear(15), -1, RATE);

        short[] out = concat(leveler.process(tone), leveler.flush());

        assertEquals(tone.length, out.length, "delayed by the look-ahead, but every sample comes out");
        assertEquals(Levels.rmsDbfs(tone) + 15, Levels.rmsDbfs(out), 0.1);
    }

    @Test
    void peaksAboveTheCeilingAreLimitedWithoutClipping() {
        short[] tone = tone(440, 20_000); // the gain below pushes it to 2.7x full scale
        LineLeveler leveler = new LineLeveler(4, -1, RATE);

        short[] out = concat(leveler.process(tone), leveler.flush());

        assertTrue(Levels.peakDbfs(out) <= -1 + 0.01, "peak " + Levels.peakDbfs(out));
        ToneFit fit = ToneFit.of(out, RATE, 440);
        assertTrue(fit.residualDb() < -30, "still a clean sine (hard clipping would leave ~ -10 dB of distortion): "
                + fit.residualDb() + " dB");
    }

    @Test
    void gainRecoversAfterALoudBurst() {
        short[] burst = concat(tone(440, 30_000), tone(440, 3_000));
        LineLeveler leveler = new LineLeveler(2, -1, RATE);

        short[] out = concat(leveler.process(burst), leveler.flush());

        short[] tail = new short[RATE / 2];
        System.arraycopy(out, out.length - tail.length, tail, 0, tail.length);
        assertEquals(Levels.rmsDbfs(tone(440, 3_000)) + 20 * Math.log10(2), Levels.rmsDbfs(tail), 0.2,
                "full gain again half a second after the burst");
    }

    private static short[] tone(double frequency, double amplitude) {
        short[] pcm = new short[RATE];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * frequency * i / RATE));
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
