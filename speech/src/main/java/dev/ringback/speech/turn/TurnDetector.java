package dev.ringback.speech.turn;

import dev.ringback.speech.asr.Expectation;
import dev.ringback.speech.asr.Recognition;
import dev.ringback.speech.asr.RecognitionChannel;
import dev.ringback.speech.asr.SpeechRecognizer;
import dev.ringback.speech.asr.Transcript;
import dev.ringback.speech.audio.Resampler;
import dev.ringback.speech.vad.SileroVad;
import dev.ringback.speech.vad.VadConfig;
import dev.ringback.speech.vad.VadEvent;
import dev.ringback.speech.vad.VoiceActivityDetector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Turn-taking for one call: 8 kHz frames in, {@link SpeechStarted} and {@link UserTurn} out.
 *
 * <p>{@link #accept} runs on the media event loop and only enqueues (bounded; overflow is dropped
 * and counted). The work — resampling to 16 kHz, Silero VAD, feeding the recogniser — runs on the
 * shared {@link SpeechWorkers}, at most one task per call at a time so frames stay in order. Waiting
 * for a recogniser's final text happens on the workers' finisher threads, so VAD keeps up with the
 * line while the last words decode. The listener is called one event at a time, on a worker or
 * finisher thread; it must return quickly (hand off to the dialog's own executor, or flush the
 * outbound queue and return). {@link UserTurn}s arrive in order, each after its own
 * {@link SpeechStarted}; a {@link SpeechStarted} is delivered at once, so it may overtake the
 * previous {@link UserTurn} while that one's text is still decoding (barge-in never waits for the
 * recogniser).
 *
 * <p>With {@link #agentAudio} fed, an echo of the agent from the customer's phone is cancelled and
 * gated before VAD ({@link TurnConfig#echoSearchMs()}); a turn whose words already form a complete
 * answer ends after {@link TurnConfig#quickHangoverMs()} of silence instead of the full hangover.
 */
public final class TurnDetector implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TurnDetector.class);
    private static final int LINE_RATE = 8000;

    private record Frame(short[] pcm, long nanos) {
    }

    /** The partial must reach this far past the last voiced sample (16 kHz) before it can end a turn early (the decoder's own lag). */
    private static final long PARTIAL_MARGIN_SAMPLES = SileroVad.SAMPLE_RATE / 10;

    private final SpeechRecognizer recognizer;
    private final RecognitionChannel channel;
    private final SpeechWorkers workers;
    private final TurnConfig config;
    private final Consumer<TurnEvent> listener;
    private final ArrayBlockingQueue<Frame> frames;
    private final ArrayBlockingQueue<Frame> agentFrames;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicLong dropped = new AtomicLong();
    private volatile Expectation expectation = Expectation.OPEN;
    private volatile boolean agentSpeaking;
    private volatile boolean closed;

    // Worker-side state: touched only by the one task running for this call.
    private final Resampler upsampler = new Resampler(LINE_RATE, SileroVad.SAMPLE_RATE);
    private final VoiceActivityDetector vad;
    private final EchoGate echoGate;
    private final VadConfig bargeInVad;
    private final long maxTurnSamples;
    private final AudioHistory history;
    private final ArrivalTimes arrivals;
    private final float[] chunk = new float[SileroVad.CHUNK_SAMPLES];
    private int chunkFill;
    private Recognition recognition;
    /** What the current utterance was opened listening for. */
    private Expectation recognitionExpectation = Expectation.OPEN;
    private long fedUpTo;
    private long speechStartNanos;
    private long turnStartSample;
    /** Sample position where the current utterance's audio starts going to the recogniser. */
    private long recognitionStartSample;
    /** Turns leave in order: a turn's final text may still be decoding when the next one ends. */
    private CompletableFuture<Void> emitted = CompletableFuture.completedFuture(null);

    /**
     * @param vad        the shared Silero model (this detector opens its own stream on it)
     * @param recognizer the shared ASR engine; one {@link Recognition} is opened per utterance
     * @param workers    the shared speech pool
     * @param listener   receives events on a speech worker thread, in order
     */
    public TurnDetector(SileroVad vad, SpeechRecognizer recognizer, SpeechWorkers workers, TurnConfig config,
                        Consumer<TurnEvent> listener) {
        this.recognizer = recognizer;
        this.channel = recognizer.newChannel();
        this.workers = workers;
        this.config = config;
        this.listener = listener;
        this.frames = new ArrayBlockingQueue<>(config.queueFrames());
        this.agentFrames = new ArrayBlockingQueue<>(config.queueFrames());
        this.echoGate = config.echoSearchMs() > 0 ? new EchoGate(config.echoSearchMs()) : null;
        this.vad = new VoiceActivityDetector(vad.newStream(), config.vad());
        this.bargeInVad = config.vad().withMinOnsetMs(config.bargeInOnsetMs());
        this.maxTurnSamples = samplesIn(config.maxTurnMs());
        int keepMs = config.preRollMs() + config.bargeInOnsetMs() + config.vad().hangoverMs() + 1000;
        this.history = new AudioHistory(SileroVad.SAMPLE_RATE / 1000 * keepMs);
        this.arrivals = new ArrivalTimes(keepMs / 10); // frames are 20 ms; room for half-size frames
    }

    /**
     * One frame of 8 kHz, 16-bit mono audio from the line (normally 160 samples). Never blocks;
     * the array must not be changed afterwards.
     */
    public void accept(short[] pcm8k, long arrivalNanos) {
        if (closed) {
            return;
        }
        if (!frames.offer(new Frame(pcm8k, arrivalNanos))) {
            if (dropped.incrementAndGet() % 50 == 1) {
                log.warn("turn detector queue full, {} frames dropped so far", dropped.get());
            }
            return;
        }
        schedule();
    }

    /**
     * One frame of the agent's 8 kHz audio, at the moment it was sent on the line
     * ({@code sentNanos}, System.nanoTime()), so an echo of it coming back from the customer's
     * phone is not taken for the customer speaking. Never blocks (only queues: the echo gate runs
     * on the speech workers); the array must not be changed afterwards. Without these calls there
     * is no echo gate.
     */
    public void agentAudio(short[] pcm8k, long sentNanos) {
        if (closed || echoGate == null) {
            return;
        }
        if (!agentFrames.offer(new Frame(pcm8k, sentNanos))) {
            agentFrames.poll(); // the oldest agent audio is the least useful
            agentFrames.offer(new Frame(pcm8k, sentNanos));
        }
    }

    /** What the dialog just asked; the next utterance is recognised listening for that answer. */
    public void setExpectation(Expectation expected) {
        this.expectation = java.util.Objects.requireNonNull(expected, "expected");
    }

    /** While the agent talks, speech must last {@link TurnConfig#bargeInOnsetMs()} to count. */
    public void setAgentSpeaking(boolean speaking) {
        this.agentSpeaking = speaking;
    }

    /** Line frames the echo gate took for the agent's own echo and silenced. */
    public long echoSuppressedFrames() {
        return echoGate == null ? 0 : echoGate.suppressedFrames();
    }

    /** The echo gate's estimates for logs: echo delay, return loss, loss after cancelling (or "no echo gate"). */
    public String echoState() {
        return echoGate == null ? "no echo gate" : echoGate.describe();
    }

    /** Frames dropped because the worker fell behind. */
    public long droppedFrames() {
        return dropped.get();
    }

    /** Stops listening; an utterance in progress is abandoned without a {@link UserTurn}. */
    @Override
    public void close() {
        closed = true;
        frames.clear();
        agentFrames.clear();
        schedule();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true) && !workers.tryExecute(this::drain)) {
            scheduled.set(false);
            if (workers.rejectedTasks() % 100 == 1) {
                log.warn("speech workers saturated ({} tasks refused so far); frames wait in the call's queue",
                        workers.rejectedTasks());
            }
        }
    }

    private void drain() {
        do {
            Frame frame;
            while (!closed && (frame = frames.poll()) != null) {
                try {
                    process(frame);
                } catch (RuntimeException e) {
                    log.error("turn detection failed on a frame; continuing", e);
                }
            }
            if (closed) {
                abandonUtterance();
            }
            scheduled.set(false);
        } while ((closed ? recognition != null : !frames.isEmpty()) && scheduled.compareAndSet(false, true));
    }

    private void process(Frame frame) {
        arrivals.add(history.end(), frame.nanos());
        short[] line = frame.pcm();
        if (echoGate != null) {
            // agent audio sent after this frame arrived cannot be echoed in it: it waits for later frames
            Frame sent;
            while ((sent = agentFrames.peek()) != null && sent.nanos() <= frame.nanos()) {
                agentFrames.poll();
                echoGate.reference(sent.pcm(), sent.nanos());
            }
            line = echoGate.process(line, frame.nanos());
        }
        short[] pcm16k = upsampler.process(line);
        history.append(pcm16k);
        for (short s : pcm16k) {
            chunk[chunkFill++] = s / 32768f;
            if (chunkFill == chunk.length) {
                chunkFill = 0;
                onChunk();
            }
        }
    }

    private void onChunk() {
        vad.setConfig(agentSpeaking ? bargeInVad : config.vad());
        Optional<VadEvent> event = vad.accept(chunk);
        if (event.isEmpty() && vad.isSpeaking() && vad.position() - turnStartSample >= maxTurnSamples) {
            log.info("turn longer than {} ms; cutting it here", config.maxTurnMs());
            event = vad.endSpeech();
        }
        if (event.isEmpty() && answerLooksComplete()) {
            event = vad.endSpeech();
        }
        if (event.isPresent() && event.get() instanceof VadEvent.SpeechStart start) {
            turnStartSample = start.sample();
            speechStartNanos = arrivals.arrivalOf(start.sample());
            recognition = openRecognition();
            fedUpTo = Math.max(history.start(), start.sample() - samplesIn(config.preRollMs()));
            recognitionStartSample = fedUpTo;
            // at once, not behind the previous turn's text still decoding: barge-in must not wait for the recogniser
            deliver(new SpeechStarted(speechStartNanos));
        }
        if (recognition != null) {
            short[] audio = history.copy(fedUpTo, vad.position());
            recognition.accept(audio, 0, audio.length);
            fedUpTo += audio.length;
        }
        if (event.isPresent() && event.get() instanceof VadEvent.SpeechEnd end) {
            long endNanos = arrivals.arrivalOf(end.sample() - 1);
            long startNanos = speechStartNanos;
            Recognition finishing = recognition;
            recognition = null;
            // the decoder may need a while for the last words: wait for it off this worker
            emit(CompletableFuture.supplyAsync(() -> finish(finishing), workers.finishers())
                    .thenApply(heard -> new UserTurn(heard, startNanos, endNanos, System.nanoTime())));
        }
    }

    /**
     * Adaptive end of turn: after a short pause, end the turn at once when the recogniser has
     * decoded past the last voiced audio and its words form a complete answer ("yes", "thursday
     * morning"); a phrase left hanging ("on", "and", "um") waits for the full hangover.
     */
    private boolean answerLooksComplete() {
        if (recognition == null || config.quickHangoverMs() == 0 || !vad.isSpeaking()
                || vad.trailingSilenceMs() < config.quickHangoverMs()) {
            return false;
        }
        long needed = vad.lastVoicedEnd() - recognitionStartSample + PARTIAL_MARGIN_SAMPLES;
        if (recognition.samplesDecoded() < needed) return false;
        return switch (CompleteAnswer.judge(recognition.partial(), recognitionExpectation.kind())) {
            case COMPLETE -> true;
            case PLAIN_ANSWER -> vad.trailingSilenceMs() >= config.plainAnswerHangoverMs();
            case INCOMPLETE -> false;
        };
    }

    private void emit(CompletableFuture<? extends TurnEvent> event) {
        emitted = emitted.thenCombine(event, (done, e) -> e).thenAccept(this::deliver);
    }

    /** Serialised: a speech start (worker thread) and a finished turn (finisher thread) never reach the listener at once. */
    private synchronized void deliver(TurnEvent event) {
        if (closed) {
            return;
        }
        try {
            listener.accept(event);
        } catch (RuntimeException e) {
            log.error("turn listener failed on {}", event, e);
        }
    }

    private static long samplesIn(int ms) {
        return (long) SileroVad.SAMPLE_RATE * ms / 1000;
    }

    private Recognition openRecognition() {
        try {
            recognitionExpectation = expectation;
            return channel.start(recognitionExpectation);
        } catch (RuntimeException e) {
            log.error("recogniser {} could not start an utterance; this turn will have no text", recognizer.name(), e);
            return null;
        }
    }

    private Transcript finish(Recognition finishing) {
        if (finishing == null) {
            return Transcript.EMPTY;
        }
        try {
            return finishing.finish();
        } catch (RuntimeException e) {
            log.error("recogniser {} failed to finish an utterance", recognizer.name(), e);
            return Transcript.EMPTY;
        }
    }

    private void abandonUtterance() {
        if (recognition != null) {
            try {
                recognition.finish();
            } catch (RuntimeException e) {
                log.warn("recogniser failed while abandoning an utterance", e);
            } finally {
                recognition = null;
            }
        }
    }
}
