package dev.ringback.server.peers;

import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Pure tones as marker audio that speech cannot produce: what one side sends at a known frequency, the other side
 * must receive. Found by a Goertzel filter per 20 ms frame.
 */
public final class Tones {
    private static final int RATE = 8000;
    private static final int FRAME = 160;

    private Tones() {}

    /** Raw 8 kHz mu-law (SIPp rtp_stream): {@code seconds} of a sine at {@code hz}. */
    public static Path ulaw(Path dir, String name, double hz, double seconds) throws IOException, InterruptedException {
        Path out = dir.resolve(name + ".ulaw");
        CustomerAudio.run(List.of("sox", "-n", "-r", "8000", "-c", "1", "-e", "mu-law", "-t", "raw", out.toString(),
                "synth", String.valueOf(seconds), "sine", String.valueOf(hz), "vol", "0.5"));
        return out;
    }

    /** 8 kHz 16-bit mono WAV (baresip's aufile): silence, a sine at {@code hz}, silence. */
    public static Path wav(Path dir, String name, double silenceBefore, double hz, double toneSeconds, double silenceAfter)
            throws IOException, InterruptedException {
        Path before = dir.resolve(name + "-a.wav");
        Path tone = dir.resolve(name + "-b.wav");
        Path after = dir.resolve(name + "-c.wav");
        Path out = dir.resolve(name + ".wav");
        CustomerAudio.run(List.of("sox", "-n", "-r", "8000", "-c", "1", "-b", "16", before.toString(), "trim", "0", String.valueOf(silenceBefore)));
        CustomerAudio.run(List.of("sox", "-n", "-r", "8000", "-c", "1", "-b", "16", tone.toString(),
                "synth", String.valueOf(toneSeconds), "sine", String.valueOf(hz), "vol", "0.5"));
        CustomerAudio.run(List.of("sox", "-n", "-r", "8000", "-c", "1", "-b", "16", after.toString(), "trim", "0", String.valueOf(silenceAfter)));
        CustomerAudio.run(List.of("sox", before.toString(), tone.toString(), after.toString(), out.toString()));
        return out;
    }

    /** 20 ms frames in which a sine at {@code hz} carries most of the energy and is clearly audible. */
    public static int framesWithTone(short[] pcm, double hz) {
        int count = 0;
        double coeff = 2 * Math.cos(2 * Math.PI * hz / RATE);
        for (int start = 0; start + FRAME <= pcm.length; start += FRAME) {
            double s1 = 0, s2 = 0, energy = 0;
            for (int i = start; i < start + FRAME; i++) {
                double s0 = pcm[i] + coeff * s1 - s2;
                s2 = s1;
                s1 = s0;
                energy += (double) pcm[i] * pcm[i];
            }
            double tonePower = s1 * s1 + s2 * s2 - coeff * s1 * s2;        // |X(k)|^2
            double toneShare = 2 * tonePower / (FRAME * energy + 1e-9);    // a pure sine gives about 1
            double rms = Math.sqrt(energy / FRAME);
            if (rms > 500 && toneShare > 0.6) count++;
        }
        return count;
    }

    /** Frames (20 ms) louder than speech-level RMS {@code minRms}. */
    public static int loudFrames(short[] pcm, double minRms) {
        int count = 0;
        for (int start = 0; start + FRAME <= pcm.length; start += FRAME) {
            double energy = 0;
            for (int i = start; i < start + FRAME; i++) energy += (double) pcm[i] * pcm[i];
            if (Math.sqrt(energy / FRAME) > minRms) count++;
        }
        return count;
    }

    /** One channel of a 16-bit PCM WAV. */
    public static short[] channel(Path wav, int channel) throws IOException {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(wav.toFile())) {
            int channels = in.getFormat().getChannels();
            boolean bigEndian = in.getFormat().isBigEndian();
            byte[] bytes = in.readAllBytes();
            short[] out = new short[bytes.length / (2 * channels)];
            for (int i = 0; i < out.length; i++) {
                int at = (i * channels + channel) * 2;
                out[i] = bigEndian ? (short) ((bytes[at] << 8) | (bytes[at + 1] & 0xff))
                        : (short) ((bytes[at + 1] << 8) | (bytes[at] & 0xff));
            }
            return out;
        } catch (UnsupportedAudioFileException e) {
            throw new IOException("not a WAV file: " + wav, e);
        }
    }

    /** G.711 mu-law bytes to linear PCM. */
    public static short[] ulawToPcm(byte[] ulaw) {
        short[] out = new short[ulaw.length];
        for (int i = 0; i < ulaw.length; i++) {
            int u = ~ulaw[i] & 0xff;
            int t = ((u & 0x0f) << 3) + 0x84;
            t <<= (u & 0x70) >> 4;
            out[i] = (short) ((u & 0x80) != 0 ? 0x84 - t : t - 0x84);
        }
        return out;
    }
}
