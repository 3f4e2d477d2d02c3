package dev.ringback.server.sim;

import dev.ringback.speech.audio.Resampler;
import dev.ringback.speech.tts.TextToSpeech;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The simulated customer's voice: 8 kHz speech for one line. A different synthesiser from the agent's, so the
 * recogniser hears a second speaker: flite ({@code rms}, {@code slt}, {@code awb}, {@code kal}), espeak-ng
 * ({@code espeak:<voice>}), the agent's own MaryTTS ({@code mary}), or any program ({@code cmd:<shell command>},
 * run with {@code sh -c}: the line on its stdin, a WAV file of any rate, mono, written to {@code $RINGBACK_VOICE_OUT}),
 * so anyone can bring their own voice or degrade one without touching Ringback.
 */
public sealed interface CustomerVoice {

    /** How long a synthesiser may take for one line. */
    long TIMEOUT_SECONDS = 30;

    /** 8 kHz 16-bit mono speech for one line. */
    short[] speak(String text);

    /** The spec that names this voice ({@code rms}, {@code espeak:en-us}, {@code mary}, {@code cmd:...}). */
    String spec();

    String description();

    /**
     * The voice a spec names.
     *
     * @throws IllegalArgumentException for a spec that names no voice, or a synthesiser that is not installed
     */
    static CustomerVoice parse(String spec, TextToSpeech mary, Path workDir) {
        String s = Objects.requireNonNull(spec, "spec").strip();
        if (s.startsWith("cmd:")) {
            String command = s.substring(4).strip();
            if (command.isEmpty()) throw new IllegalArgumentException("voice cmd: needs a shell command");
            return new Command(command, workDir);
        }
        if (s.startsWith("espeak:")) {
            String voice = s.substring(7).strip();
            if (!voice.matches("[A-Za-z0-9+_-]+")) throw new IllegalArgumentException("espeak voice name '" + voice + "' is not a voice name");
            requireInstalled("espeak-ng", "apt-get install espeak-ng");
            return new Espeak(voice, workDir);
        }
        switch (s.toLowerCase(Locale.ROOT)) {
            case "mary":
                return new Mary(mary);
            case "rms", "slt", "awb", "kal", "kal16", "awb_time":
                requireInstalled("flite", "apt-get install flite");
                return new Flite(s.toLowerCase(Locale.ROOT), workDir);
            default:
                throw new IllegalArgumentException("unknown voice '" + spec + "': use rms, slt, awb, kal (flite), espeak:<voice>, mary or cmd:<command>");
        }
    }

    /** flite's rms voice when installed (the one recognisers cope with best), else espeak-ng, else the agent's MaryTTS. */
    static CustomerVoice best(TextToSpeech mary, Path workDir) {
        if (onPath("flite")) return new Flite("rms", workDir);
        if (onPath("espeak-ng")) return new Espeak("en-us", workDir);
        return new Mary(mary);
    }

    record Flite(String voice, Path workDir) implements CustomerVoice {
        @Override
        public short[] speak(String text) {
            return External.run(workDir, out -> List.of("flite", "-voice", voice, "-t", text, "-o", out.toString()), null, description());
        }

        @Override
        public String spec() {
            return voice;
        }

        @Override
        public String description() {
            return "flite (" + voice + ")";
        }
    }

    record Espeak(String voice, Path workDir) implements CustomerVoice {
        @Override
        public short[] speak(String text) {
            return External.run(workDir, out -> List.of("espeak-ng", "-v", voice, "-s", "150", "-w", out.toString(), text), null, description());
        }

        @Override
        public String spec() {
            return "espeak:" + voice;
        }

        @Override
        public String description() {
            return "espeak-ng (" + voice + ")";
        }
    }

    /** Any program: {@code sh -c COMMAND}, the line on stdin, a WAV file written to {@code $RINGBACK_VOICE_OUT}. */
    record Command(String command, Path workDir) implements CustomerVoice {
        @Override
        public short[] speak(String text) {
            return External.run(workDir, out -> List.of("sh", "-c", command), text, description());
        }

        @Override
        public String spec() {
            return "cmd:" + command;
        }

        @Override
        public String description() {
            return "command (" + command + ")";
        }
    }

    record Mary(TextToSpeech tts) implements CustomerVoice {
        @Override
        public short[] speak(String text) {
            return tts.synthesise(text);
        }

        @Override
        public String spec() {
            return "mary";
        }

        @Override
        public String description() {
            return "MaryTTS (the agent's own voice: install flite for a second voice)";
        }
    }

    private static void requireInstalled(String command, String install) {
        if (!onPath(command)) throw new IllegalArgumentException(command + " is not installed (" + install + ")");
    }

    private static boolean onPath(String command) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) return true;
        }
        return false;
    }

    /** Runs a synthesiser that writes a WAV file, and reads it back at 8 kHz. */
    final class External {
        private External() {}

        interface Args {
            List<String> of(Path out);
        }

        static short[] run(Path workDir, Args args, String stdin, String what) {
            Path wav = null;
            try {
                Files.createDirectories(workDir);
                wav = Files.createTempFile(workDir, "customer-", ".wav");
                ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(args.of(wav))).redirectErrorStream(true);
                pb.environment().put("RINGBACK_VOICE_OUT", wav.toString());
                Process p = pb.start();
                try (OutputStream in = p.getOutputStream()) {
                    if (stdin != null) in.write((stdin + "\n").getBytes(StandardCharsets.UTF_8));
                }
                byte[] output = p.getInputStream().readAllBytes();
                if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(what + " took longer than " + TIMEOUT_SECONDS + " s for: " + stdin);
                }
                if (p.exitValue() != 0) {
                    throw new IllegalStateException(what + " failed (exit " + p.exitValue() + "): "
                            + new String(output, StandardCharsets.UTF_8).strip());
                }
                if (Files.size(wav) == 0) throw new IllegalStateException(what + " wrote no audio to $RINGBACK_VOICE_OUT");
                return readWav8k(wav);
            } catch (IOException e) {
                throw new IllegalStateException(what + " could not run: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } finally {
                if (wav != null) {
                    try {
                        Files.deleteIfExists(wav);
                    } catch (IOException ignored) {
                        // a leftover temp file in the work directory is harmless
                    }
                }
            }
        }
    }

    /** A WAV file of any rate and sample size, mono (the first channel of stereo), as 8 kHz 16-bit samples. */
    static short[] readWav8k(Path wav) throws IOException {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(wav.toFile())) {
            AudioFormat f = in.getFormat();
            int channels = Math.max(1, f.getChannels());
            var pcm = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, f.getSampleRate(), 16, channels, 2 * channels, f.getSampleRate(), false);
            try (AudioInputStream linear = AudioSystem.getAudioInputStream(pcm, in)) {
                byte[] bytes = linear.readAllBytes();
                ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
                short[] samples = new short[bytes.length / 2 / channels];
                for (int i = 0; i < samples.length; i++) samples[i] = buffer.getShort(2 * channels * i);
                return Resampler.convert(samples, Math.round(f.getSampleRate()), 8000);
            }
        } catch (UnsupportedAudioFileException e) {
            throw new IOException("not a WAV file: " + wav, e);
        }
    }
}
