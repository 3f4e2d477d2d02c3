package dev.ringback.speech.asr;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Synthetic customer speech as Ringback hears it: a text-to-speech voice (flite or espeak-ng)
 * put through the telephone path (8 kHz G.711 µ-law, then back up to 16 kHz 16-bit) with sox.
 */
public final class TelephoneSpeech {

    /** A synthetic voice; {@code engine} is flite or espeak-ng. */
    public record Voice(String engine, String name) {
        public static final Voice FLITE_RMS = new Voice("flite", "rms");
        public static final Voice FLITE_SLT = new Voice("flite", "slt");
        public static final Voice FLITE_AWB = new Voice("flite", "awb");
        public static final Voice FLITE_KAL = new Voice("flite", "kal");
        public static final Voice ESPEAK_EN_US = new Voice("espeak-ng", "en-us");

        String label() {
            return engine + ":" + name;
        }
    }

    private final Path dir;

    public TelephoneSpeech(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    public static boolean toolsInstalled() {
        return onPath("flite") && onPath("sox") && onPath("espeak-ng");
    }

    /** The text spoken by the voice through the telephone path, as 16 kHz samples. Cached per voice and text. */
    public short[] say(Voice voice, String text) throws IOException, InterruptedException {
        // "-R": sox dithers when it narrows samples, with a new random seed each run unless told to repeat; without it
        // every fresh checkout heard slightly different audio, and a borderline line passed or failed by chance
        String key = voice.engine() + "-" + voice.name() + "-R-" + Integer.toHexString(text.hashCode());
        Path pcm = dir.resolve(key + ".16k.raw");
        if (!Files.exists(pcm)) {
            Path wav = dir.resolve(key + ".wav");
            Path ulaw = dir.resolve(key + ".ul.wav");
            if (voice.engine().equals("flite")) {
                run("flite", "-voice", voice.name(), "-t", text, "-o", wav.toString());
            } else {
                run("espeak-ng", "-v", voice.name(), "-s", "150", "-w", wav.toString(), text);
            }
            run("sox", "-R", wav.toString(), "-r", "8000", "-c", "1", "-e", "mu-law", ulaw.toString());
            run("sox", "-R", ulaw.toString(), "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer", "-L", "-t", "raw", pcm.toString());
        }
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(pcm)).order(ByteOrder.LITTLE_ENDIAN);
        short[] samples = new short[bytes.remaining() / 2];
        bytes.asShortBuffer().get(samples);
        return samples;
    }

    /** Feeds audio in 20 ms chunks (as the media path delivers it) and returns the final text. */
    static String recognise(SpeechRecognizer recognizer, short[] audio, Expectation expectation) {
        Recognition recognition = recognizer.start(expectation);
        feed(recognition, audio);
        return recognition.finish().text();
    }

    public static void feed(Recognition recognition, short[] audio) {
        for (int at = 0; at < audio.length; at += 320) {
            recognition.accept(audio, at, Math.min(320, audio.length - at));
        }
    }

    /** Scenario customer lines with the words the dialog needs from each, and what the agent had just asked. */
    public record Line(String scenario, String text, List<String> keyWords, Expectation.Kind expectation) {
    }

    public static List<Line> scenarioLines() throws IOException {
        List<Line> lines = new ArrayList<>();
        for (String row : resourceLines("scenario-customer-lines.tsv")) {
            String[] cols = row.split("\t");
            lines.add(new Line(cols[0], cols[1], List.of(cols[2].split(" ")), Expectation.Kind.valueOf(cols[3])));
        }
        return lines;
    }

    public static List<String> resourceLines(String name) throws IOException {
        try (var in = TelephoneSpeech.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("test resource " + name + " missing");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("failed: " + String.join(" ", command));
            }
        } finally {
            p.destroyForcibly();
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
