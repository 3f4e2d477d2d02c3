package dev.ringback.server.demo;

import dev.ringback.speech.audio.Resampler;
import dev.ringback.speech.tts.TextToSpeech;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The demo customer's voice: a different synthesiser from the agent's, so the recogniser hears a
 * second speaker. flite's "rms" voice where installed (the one recognisers cope with best), then
 * espeak-ng, then the agent's own MaryTTS voice.
 */
public sealed interface CustomerVoice {

    /** 8 kHz 16-bit mono speech for one line. */
    short[] speak(String text);

    String description();

    static CustomerVoice best(TextToSpeech fallback, Path workDir) {
        if (onPath("flite")) return new External("flite (rms)", workDir, List.of("flite", "-voice", "rms", "-t"), "-o");
        if (onPath("espeak-ng")) return new External("espeak-ng (en-us)", workDir, List.of("espeak-ng", "-v", "en-us", "-s", "150"), "-w");
        return new Mary(fallback);
    }

    private static boolean onPath(String command) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) return true;
        }
        return false;
    }

    /** A command-line synthesiser that writes a WAV file. */
    record External(String description, Path workDir, List<String> command, String outputFlag) implements CustomerVoice {
        @Override
        public short[] speak(String text) {
            Path wav = null;
            try {
                Files.createDirectories(workDir);
                wav = Files.createTempFile(workDir, "customer-", ".wav");
                var args = new java.util.ArrayList<>(command);
                if (outputFlag.equals("-o")) {            // flite: -t TEXT -o FILE
                    args.add(text);
                    args.add("-o");
                    args.add(wav.toString());
                } else {                                  // espeak-ng: -w FILE TEXT
                    args.add("-w");
                    args.add(wav.toString());
                    args.add(text);
                }
                Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IllegalStateException(description + " failed for: " + text);
                }
                return readWav8k(wav);
            } catch (IOException e) {
                throw new IllegalStateException(description + " could not run: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } finally {
                if (wav != null) {
                    try {
                        Files.deleteIfExists(wav);
                    } catch (IOException ignored) {
                        // a leftover temp file in var/tmp is harmless
                    }
                }
            }
        }
    }

    record Mary(TextToSpeech tts) implements CustomerVoice {
        @Override
        public short[] speak(String text) {
            return tts.synthesize(text);
        }

        @Override
        public String description() {
            return "MaryTTS (same voice as the agent: install flite for a second voice)";
        }
    }

    static short[] readWav8k(Path wav) throws IOException {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(wav.toFile())) {
            AudioFormat f = in.getFormat();
            var pcm = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, f.getSampleRate(), 16, 1, 2, f.getSampleRate(), false);
            try (AudioInputStream mono = AudioSystem.getAudioInputStream(pcm, in)) {
                byte[] bytes = mono.readAllBytes();
                short[] samples = new short[bytes.length / 2];
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(samples);
                return Resampler.convert(samples, Math.round(f.getSampleRate()), 8000);
            }
        } catch (javax.sound.sampled.UnsupportedAudioFileException e) {
            throw new IOException("not a WAV file: " + wav, e);
        }
    }
}
