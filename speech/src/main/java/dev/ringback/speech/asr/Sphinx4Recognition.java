package dev.ringback.speech.asr;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One Sphinx4 utterance: audio goes into a pipe that a decoder thread reads while the caller speaks. */
final class Sphinx4Recognition implements Recognition {

    private static final Logger log = LoggerFactory.getLogger(Sphinx4Recognition.class);

    private final AudioPipe pipe;
    private final Duration finishTimeout;
    private volatile String partial = "";
    private Future<String> result;
    private String finalText;

    Sphinx4Recognition(AudioPipe pipe, Duration finishTimeout) {
        this.pipe = pipe;
        this.finishTimeout = finishTimeout;
    }

    void decodeOn(ExecutorService threads, Callable<String> decoding) {
        result = threads.submit(decoding);
    }

    /** Between speech segments the decoder briefly has no words: keep showing what was heard. */
    void partial(String text) {
        if (!text.isEmpty()) {
            partial = text;
        }
    }

    @Override
    public void accept(short[] pcm16k, int offset, int length) {
        pipe.write(pcm16k, offset, length);
    }

    @Override
    public String partial() {
        return partial;
    }

    /** What the decoder thread has read; its front end and partials trail this by about 0.1 s. */
    @Override
    public long samplesDecoded() {
        return pipe.samplesRead();
    }

    @Override
    public Transcript finish() {
        return Transcript.of(finalText());
    }

    private String finalText() {
        if (finalText != null) {
            return finalText;
        }
        pipe.end();
        try {
            finalText = result.get(finishTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("ASR result not ready {} ms after the utterance ended; treating it as silence", finishTimeout.toMillis());
            finalText = "";
        } catch (ExecutionException e) {
            log.warn("ASR decoding failed; treating the utterance as silence", e.getCause());
            finalText = "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finalText = "";
        }
        return finalText;
    }
}
