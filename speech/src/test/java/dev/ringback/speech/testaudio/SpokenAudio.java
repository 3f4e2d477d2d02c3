package dev.ringback.speech.testaudio;

import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Real speech for tests: flite's "rms" voice converted with sox to the wanted rate, cached under
 * the module's target directory (surefire's working directory).
 */
public final class SpokenAudio {

    private SpokenAudio() {
    }

    public static short[] say(String text, int rate) {
        return say(text, rate, "rms");
    }

    /** The text in one of flite's voices (rms, slt, awb, kal). */
    public static short[] say(String text, int rate, String voice) {
        try {
            Path dir = Path.of("speech-fixtures").toAbsolutePath();
            Files.createDirectories(dir);
            String key = HexFormat.of().toHexDigits(text.hashCode()) + "-" + rate + (voice.equals("rms") ? "" : "-" + voice);
            Path raw = dir.resolve(key + "-flite.wav");
            Path wav = dir.resolve(key + ".wav");
            if (!Files.exists(wav)) {
                run(List.of("flite", "-voice", voice, "-t", text, "-o", raw.toString()));
                run(List.of("sox", raw.toString(), "-r", Integer.toString(rate), "-c", "1", "-b", "16", wav.toString()));
            }
            try (AudioInputStream in = AudioSystem.getAudioInputStream(wav.toFile())) {
                byte[] bytes = in.readAllBytes();
                boolean bigEndian = in.getFormat().isBigEndian();
                short[] pcm = new short[bytes.length / 2];
                for (int i = 0; i < pcm.length; i++) {
                    int a = bytes[2 * i] & 0xff, b = bytes[2 * i + 1] & 0xff;
                    pcm[i] = (short) (bigEndian ? (a << 8) | b : (b << 8) | a);
                }
                return pcm;
            }
        } catch (IOException | javax.sound.sampled.UnsupportedAudioFileException e) {
            throw new IllegalStateException("could not make test speech for \"" + text + "\"", e);
        }
    }

    private static void run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) {
                throw new IOException(command.get(0) + " failed: " + new String(out));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running " + command.get(0), e);
        } finally {
            p.destroyForcibly();
        }
    }

    public static short[] silence(int rate, double seconds) {
        return new short[(int) Math.round(rate * seconds)];
    }

    /** Gaussian noise at the given RMS level. */
    public static short[] noise(int rate, double seconds, double rmsDbfs, long seed) {
        Random random = new Random(seed);
        double sigma = 32768 * Math.pow(10, rmsDbfs / 20);
        short[] pcm = new short[(int) Math.round(rate * seconds)];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) Math.max(-32768, Math.min(32767, Math.round(random.nextGaussian() * sigma)));
        }
        return pcm;
    }

    public static short[] concat(short[]... parts) {
        int n = 0;
        for (short[] p : parts) {
            n += p.length;
        }
        short[] all = new short[n];
        int at = 0;
        for (short[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    /** First sample of the first 10 ms frame louder than -45 dBFS (where the words really begin). */
    public static int firstLoud(short[] pcm, int rate) {
        int frame = rate / 100;
        for (int f = 0; (f + 1) * frame <= pcm.length; f++) {
            if (loud(pcm, f * frame, frame)) {
                return f * frame;
            }
        }
        return -1;
    }

    /** One past the last sample of the last 10 ms frame louder than -45 dBFS. */
    public static int lastLoud(short[] pcm, int rate) {
        int frame = rate / 100;
        for (int f = pcm.length / frame - 1; f >= 0; f--) {
            if (loud(pcm, f * frame, frame)) {
                return (f + 1) * frame;
            }
        }
        return -1;
    }

    private static boolean loud(short[] pcm, int from, int length) {
        double sum = 0;
        for (int i = from; i < from + length; i++) {
            sum += (double) pcm[i] * pcm[i];
        }
        return 20 * Math.log10(Math.sqrt(sum / length) / 32768) > -45;
    }
}
