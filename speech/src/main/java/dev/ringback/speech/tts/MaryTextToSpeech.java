package dev.ringback.speech.tts;

import dev.ringback.speech.audio.Levels;
import dev.ringback.speech.audio.LineLeveler;
import dev.ringback.speech.audio.Resampler;
import marytts.LocalMaryInterface;
import marytts.exceptions.MaryConfigurationException;
import marytts.exceptions.SynthesisException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * MaryTTS (HSMM voice) for the phone line: 8 kHz, levelled to a steady active-speech RMS with a
 * peak limiter. Audio is streamed while MaryTTS's vocoder is still producing it.
 *
 * <p>Thread safety: {@link #stream} may be called from several threads. MaryTTS's
 * {@code LocalMaryInterface} is not documented as thread-safe, so each synthesis borrows its own
 * interface from a pool of {@link TtsConfig#maxConcurrent()}; callers beyond that wait (stream()
 * blocks anyway — run it on a speech worker, never on an event loop).
 */
public final class MaryTextToSpeech implements TextToSpeech {

    public static final int LINE_RATE = 8000;

    private static final Logger log = LoggerFactory.getLogger(MaryTextToSpeech.class);
    private static final String CALIBRATION_SENTENCE =
            "Hello, this is the assistant calling back about your message; how can I help you today?";
    /** Several lengths, so the JIT has compiled the whole path before the first real sentence. */
    private static final List<String> WARM_UP_SENTENCES = List.of(
            "Thanks, I have booked that for Tuesday morning between eight and ten.",
            "Okay.",
            "Could you tell me the address, please?");
    /** 100 ms of 48 kHz 16-bit mono per read: small enough that chunks flow as the vocoder produces them. */
    private static final int READ_BYTES = 9600;

    private final TtsConfig config;
    private final BlockingQueue<LocalMaryInterface> interfaces;
    private final SentenceCache cache;
    /** Brings MaryTTS's raw output to the target active level; measured at start-up. */
    private final double gain;
    private volatile boolean closed;

    private MaryTextToSpeech(TtsConfig config, BlockingQueue<LocalMaryInterface> interfaces, double gain) {
        this.config = config;
        this.interfaces = interfaces;
        this.cache = new SentenceCache(config.cacheSentences());
        this.gain = gain;
    }

    public static MaryTextToSpeech start() {
        return start(TtsConfig.DEFAULT);
    }

    /**
     * Starts MaryTTS, loads the voice, measures its level and warms the synthesis path so the
     * first real sentence is as fast as later ones (≈2–4 s).
     */
    public static MaryTextToSpeech start(TtsConfig config) {
        // MaryTTS would otherwise write ./log/server.log relative to the working directory.
        if (System.getProperty("log4j.logger.marytts") == null) {
            System.setProperty("log4j.logger.marytts", "WARN, stderr");
        }
        long t0 = System.nanoTime();
        BlockingQueue<LocalMaryInterface> interfaces = new ArrayBlockingQueue<>(config.maxConcurrent());
        try {
            for (int i = 0; i < config.maxConcurrent(); i++) {
                LocalMaryInterface mary = new LocalMaryInterface();
                if (!mary.getAvailableVoices().contains(config.voice())) {
                    throw new TtsException("MaryTTS voice " + config.voice() + " not installed; have " + mary.getAvailableVoices(), null);
                }
                mary.setVoice(config.voice());
                mary.setStreamingAudio(true);
                interfaces.add(mary);
            }
        } catch (MaryConfigurationException e) {
            throw new TtsException("MaryTTS failed to start", e);
        }
        MaryTextToSpeech raw = new MaryTextToSpeech(config, interfaces, 1.0);
        short[] calibration = raw.synthesiseUnlevelled(CALIBRATION_SENTENCE);
        double measured = Levels.activeRmsDbfs(calibration, LINE_RATE);
        double gain = Levels.dbToLinear(config.targetRmsDbfs() - measured);
        MaryTextToSpeech tts = new MaryTextToSpeech(config, interfaces, gain);
        long t1 = System.nanoTime();
        WARM_UP_SENTENCES.forEach(tts::synthesiseUnlevelled);
        log.info("MaryTTS voice {} ready in {} ms (raw level {} dBFS, gain {} dB, warm-up {} ms)",
                config.voice(), (System.nanoTime() - t0) / 1_000_000, String.format("%.1f", measured),
                String.format("%.1f", config.targetRmsDbfs() - measured), (System.nanoTime() - t1) / 1_000_000);
        return tts;
    }

    /**
     * Synthesises {@code sentence}, handing levelled 8 kHz chunks (≈100 ms each) to {@code chunks}
     * on the calling thread as soon as they are ready. A sentence heard before comes from the cache
     * in one chunk. To stop early (barge-in), throw from {@code chunks} or interrupt the thread:
     * synthesis is abandoned and the exception propagates.
     */
    @Override
    public void stream(String sentence, Consumer<short[]> chunks) {
        String text = sentence == null ? "" : sentence.strip();
        if (text.isEmpty()) {
            log.debug("empty sentence, nothing to say");
            return;
        }
        var cached = cache.get(text);
        if (cached.isPresent()) {
            chunks.accept(cached.get());
            return;
        }
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        LineLeveler leveler = new LineLeveler(gain, config.peakDbfs(), LINE_RATE);
        generate(text, pcm -> {
            short[] levelled = leveler.process(pcm);
            emit(levelled, whole, chunks);
        });
        emit(leveler.flush(), whole, chunks);
        cache.put(text, toShorts(whole.toByteArray()));
    }

    private static void emit(short[] pcm, ByteArrayOutputStream whole, Consumer<short[]> chunks) {
        if (pcm.length == 0) {
            return;
        }
        for (short s : pcm) {
            whole.write(s & 0xff);
            whole.write((s >> 8) & 0xff);
        }
        chunks.accept(pcm);
    }

    private short[] synthesiseUnlevelled(String text) {
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        generate(text, pcm -> emit(pcm, whole, p -> { }));
        return toShorts(whole.toByteArray());
    }

    /** Runs MaryTTS on a borrowed interface and passes 8 kHz chunks (not yet levelled) to {@code sink}. */
    private void generate(String text, Consumer<short[]> sink) {
        if (closed) {
            throw new IllegalStateException("MaryTextToSpeech is closed");
        }
        LocalMaryInterface mary;
        try {
            mary = interfaces.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TtsException("interrupted waiting for a MaryTTS interface", e);
        }
        try (AudioInputStream audio = mary.generateAudio(text)) {
            AudioFormat format = audio.getFormat();
            if (format.getSampleSizeInBits() != 16 || format.getChannels() != 1) {
                throw new TtsException("unexpected MaryTTS audio format " + format, null);
            }
            boolean bigEndian = format.isBigEndian();
            Resampler resampler = new Resampler(Math.round(format.getSampleRate()), LINE_RATE);
            byte[] buffer = new byte[READ_BYTES];
            int carry = 0; // a lone byte left over from an odd-length read
            int n;
            while ((n = audio.read(buffer, carry, buffer.length - carry)) != -1) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new TtsException("interrupted while synthesising", null);
                }
                int available = carry + n;
                short[] pcm = new short[available / 2];
                for (int i = 0; i < pcm.length; i++) {
                    int a = buffer[2 * i] & 0xff, b = buffer[2 * i + 1] & 0xff;
                    pcm[i] = (short) (bigEndian ? (a << 8) | b : (b << 8) | a);
                }
                carry = available % 2;
                if (carry == 1) {
                    buffer[0] = buffer[available - 1];
                }
                short[] out = resampler.process(pcm);
                if (out.length > 0) {
                    sink.accept(out);
                }
            }
            sink.accept(resampler.flush());
        } catch (SynthesisException e) {
            log.warn("MaryTTS could not synthesise \"{}\": {}", text, e.getMessage());
            throw new TtsException("MaryTTS could not synthesise the sentence", e);
        } catch (IOException e) {
            throw new TtsException("reading MaryTTS audio failed", e);
        } finally {
            interfaces.add(mary);
        }
    }

    private static short[] toShorts(byte[] le) {
        short[] pcm = new short[le.length / 2];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) ((le[2 * i] & 0xff) | (le[2 * i + 1] << 8));
        }
        return pcm;
    }

    /** MaryTTS keeps its modules for the life of the JVM; closing only drops this instance's interfaces. */
    @Override
    public void close() {
        closed = true;
        interfaces.clear();
    }
}
