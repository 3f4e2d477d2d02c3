package dev.ringback.speech.asr.pocketsphinx;

import dev.ringback.speech.asr.Recognition;
import dev.ringback.speech.asr.Transcript;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One utterance on a PocketSphinx decoder. Audio is decoded inside {@link #accept} as it arrives; when no
 * decoder was free at the start, it is kept until one is (taken at the next accept, or waited for in
 * {@link #finish}) and then decoded in one go.
 */
final class PocketSphinxRecognition implements Recognition {

    private static final Logger log = LoggerFactory.getLogger(PocketSphinxRecognition.class);
    /** How long finish() waits for a decoder when every one stayed busy for the whole utterance. */
    private static final Duration FINISH_WAIT = Duration.ofSeconds(10);

    private final PocketSphinxRecognizer engine;
    private final PocketSphinxRecognizer.Channel channel;
    private final String search;
    private final long maxSamples;
    private PocketSphinxDecoder decoder;
    private List<short[]> waiting = new ArrayList<>();
    private long samples;
    private boolean truncated;
    private boolean finished;

    PocketSphinxRecognition(PocketSphinxRecognizer engine, PocketSphinxRecognizer.Channel channel, String search) {
        this.engine = engine;
        this.channel = channel;
        this.search = search;
        this.maxSamples = 16_000L * engine.settings().maxUtterance().toSeconds();
        attach(engine.tryTake());
        if (decoder == null) engine.countWait();
    }

    @Override
    public void accept(short[] pcm16k, int offset, int length) {
        if (finished || length <= 0) return;
        if (samples + length > maxSamples) {
            if (!truncated) log.warn("ASR utterance longer than {} s: the rest is not decoded", engine.settings().maxUtterance().toSeconds());
            truncated = true;
            return;
        }
        samples += length;
        if (decoder == null) attach(engine.tryTake());
        if (decoder == null) {
            waiting.add(Arrays.copyOfRange(pcm16k, offset, offset + length));
            return;
        }
        decoder.process(pcm16k, offset, length);
    }

    @Override
    public String partial() {
        return decoder == null || finished ? "" : decoder.partial();
    }

    @Override
    public long samplesDecoded() {
        return decoder == null ? 0 : Long.MAX_VALUE;
    }

    @Override
    public Transcript finish() {
        if (finished) return Transcript.EMPTY;
        finished = true;
        try {
            if (decoder == null) {
                try {
                    attach(engine.take(FINISH_WAIT));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (decoder == null) {
                    log.warn("ASR utterance dropped: no decoder became free within {} s", FINISH_WAIT.toSeconds());
                    return Transcript.EMPTY;
                }
            }
            Transcript heard = decoder.end(engine.settings().alternatives());
            channel.learnt(decoder.cmnMean());
            return heard;
        } finally {
            if (decoder != null) engine.release(decoder);
            decoder = null;
            waiting = List.of();
        }
    }

    private void attach(PocketSphinxDecoder free) {
        if (free == null) return;
        decoder = free;
        decoder.begin(search, channel.cmn(), channel.priorFrames());
        for (short[] chunk : waiting) decoder.process(chunk, 0, chunk.length);
        waiting = new ArrayList<>();
    }
}
