package dev.ringback.media;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records one call as a stereo 8 kHz 16-bit WAV: left = the customer (what the session decoded, concealment
 * and silence fill included), right = the agent (what the session sent, as G.711 carried it). One stereo frame
 * is written per 20 ms tick of the session's clock, so the channels stay time-aligned. Both sides are written
 * {@value #DELAY_FRAMES} ticks late, so a customer frame delayed that much by a scheduling stall still lands in its
 * slot; when a burst leaves more queued, the customer side lags until the queue drains through the next quiet
 * frames (dropped down to {@value #DELAY_FRAMES} queued); it never lags more than {@value #MAX_CUSTOMER_BACKLOG}
 * frames (older ones are dropped, e.g. if the peer's clock runs fast).
 *
 * <p>Crash safety: the file starts with a valid header; every second the audio gathered so far is appended
 * and the RIFF and data sizes are rewritten, so a reader of a file whose writer died gets all audio up to the
 * last update. Appends happen on the engine's recorder thread, never on an event loop.
 *
 * <p>Threading: frames come from the session's event loop; {@link #stop()} and {@link #close()} may be called
 * from any thread ({@code close()} waits for the file to be finished, so not from an event loop).
 */
public final class CallRecorder implements AutoCloseable {
    static final int RATE = 8000;
    static final int CHANNELS = 2;
    static final int HEADER_SIZE = 44;
    private static final int FRAME_BYTES = RtpSession.SAMPLES_PER_FRAME * CHANNELS * 2;
    /** One second of audio per append and header rewrite. */
    private static final int FLUSH_EVERY_FRAMES = 50;
    private static final int MAX_CUSTOMER_BACKLOG = 25;
    /** Jitter allowance: 60 ms. */
    private static final int DELAY_FRAMES = 3;
    /** Peak level up to which a frame counts as quiet (G.711 idle codes decode to 0 or 8). */
    private static final int QUIET_PEAK = 64;
    private static final Logger log = LoggerFactory.getLogger(CallRecorder.class);

    private final Path path;
    private final FileChannel file;
    private final Executor writer;
    private final CompletableFuture<Path> finished = new CompletableFuture<>();
    /** Queued for every tick without agent audio; only ever read. */
    private final short[] silence = new short[RtpSession.SAMPLES_PER_FRAME];

    // guarded by this: event loop frames vs. stop() from any thread
    private final ArrayDeque<short[]> customer = new ArrayDeque<>();
    private final ArrayDeque<short[]> agent = new ArrayDeque<>();
    private int silenceWrittenForCustomer;
    private ByteBuffer pending = newChunk();
    private boolean stopped;
    private long framesRecorded;
    private long customerFramesDropped;

    // writer thread only
    private long dataBytes;
    private boolean failed;

    private CallRecorder(Path path, FileChannel file, Executor writer) {
        this.path = path;
        this.file = file;
        this.writer = writer;
    }

    /** Creates (or truncates) {@code wav} and writes a header for an empty recording; blocking file I/O. */
    static CallRecorder create(Path wav, Executor writer) throws IOException {
        FileChannel file = FileChannel.open(wav, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        try {
            file.write(header(0), 0);
        } catch (IOException e) {
            file.close();
            throw e;
        }
        return new CallRecorder(wav, file, writer);
    }

    public Path path() {
        return path;
    }

    /** Stereo frames (20 ms each) recorded so far, including those not yet appended to the file. */
    public synchronized long framesRecorded() {
        return framesRecorded;
    }

    /** Completes with the path once the file is finished after {@link #stop()}, or exceptionally on I/O failure. */
    public CompletableFuture<Path> finished() {
        return finished;
    }

    /** A decoded inbound frame (event loop). */
    synchronized void customerFrame(short[] pcm) {
        if (stopped) {
            return;
        }
        if (silenceWrittenForCustomer > 0 && isQuiet(pcm)) {
            silenceWrittenForCustomer--; // a silence-fill frame for time already written as silence
            return;
        }
        customer.add(pcm);
        if (customer.size() > MAX_CUSTOMER_BACKLOG) {
            customer.poll();
            customerFramesDropped++;
        }
    }

    /** One tick: the frame just sent, paired with the oldest customer frame not yet recorded (event loop). */
    synchronized void agentFrame(short[] sent) {
        if (!stopped) {
            agentSlot(sent.clone());
        }
    }

    /** One tick in which the agent side sent no audio (a DTMF tone, or the call is held) (event loop). */
    synchronized void agentSilence() {
        if (!stopped) {
            agentSlot(silence);
        }
    }

    private void agentSlot(short[] frame) {
        agent.add(frame);
        if (agent.size() > DELAY_FRAMES) {
            writeFrame(agent.poll());
        }
    }

    private void writeFrame(short[] sent) {
        while (customer.size() > DELAY_FRAMES && isQuiet(customer.peek())) {
            customer.poll(); // catch up on a lag left by a burst, where it cannot be heard
            customerFramesDropped++;
        }
        short[] heard = customer.poll();
        if (heard == null) {
            silenceWrittenForCustomer = Math.min(silenceWrittenForCustomer + 1, FLUSH_EVERY_FRAMES);
        } else {
            silenceWrittenForCustomer = 0;
        }
        for (int i = 0; i < RtpSession.SAMPLES_PER_FRAME; i++) {
            pending.putShort(heard == null ? 0 : heard[i]);
            pending.putShort(sent[i]);
        }
        framesRecorded++;
        if (!pending.hasRemaining()) {
            handOff(false);
        }
    }

    /** Stops recording and finishes the file in the background; see {@link #finished()}. Idempotent. */
    public CompletableFuture<Path> stop() {
        synchronized (this) {
            if (stopped) {
                return finished;
            }
            stopped = true;
            while (!agent.isEmpty()) {
                writeFrame(agent.poll());
            }
            if (customerFramesDropped > 0) {
                log.debug("recording {}: {} quiet or excess customer frames dropped to stay aligned", path, customerFramesDropped);
            }
            handOff(true);
        }
        return finished;
    }

    /** Stops and waits (up to 5 s) for the file to be finished. Blocking: not on an event loop. */
    @Override
    public void close() throws IOException {
        try {
            stop().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("recording " + path + " not finished within 5 s", e);
        }
    }

    private void handOff(boolean last) {
        ByteBuffer chunk = pending.flip();
        pending = newChunk();
        try {
            writer.execute(() -> append(chunk, last));
        } catch (RejectedExecutionException e) { // engine shutting down: finish here rather than lose the file
            append(chunk, last);
        }
    }

    /** Writer thread: appends a chunk and rewrites the sizes; on the last chunk closes the file. */
    private void append(ByteBuffer chunk, boolean last) {
        if (!failed) {
            try {
                long position = HEADER_SIZE + dataBytes;
                while (chunk.hasRemaining()) {
                    position += file.write(chunk, position);
                }
                dataBytes = position - HEADER_SIZE;
                file.write(header(dataBytes), 0);
            } catch (IOException e) {
                failed = true;
                log.warn("recording {} failed after {} bytes; the file holds the audio up to then", path, dataBytes, e);
                finished.completeExceptionally(e);
            }
        }
        if (last) {
            try {
                file.close();
            } catch (IOException e) {
                finished.completeExceptionally(e);
            }
            log.debug("recording {} finished: {} s", path, dataBytes / (RATE * CHANNELS * 2.0));
            finished.complete(path);
        }
    }

    private static ByteBuffer newChunk() {
        return ByteBuffer.allocate(FLUSH_EVERY_FRAMES * FRAME_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static boolean isQuiet(short[] pcm) {
        for (short s : pcm) {
            if (s > QUIET_PEAK || s < -QUIET_PEAK) {
                return false;
            }
        }
        return true;
    }

    /** The canonical 44-byte PCM WAV header for {@code dataBytes} of stereo 8 kHz 16-bit audio. */
    static ByteBuffer header(long dataBytes) {
        int blockAlign = CHANNELS * 2;
        ByteBuffer h = ByteBuffer.allocate(HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        h.put(new byte[] {'R', 'I', 'F', 'F'}).putInt((int) (36 + dataBytes)).put(new byte[] {'W', 'A', 'V', 'E'});
        h.put(new byte[] {'f', 'm', 't', ' '}).putInt(16).putShort((short) 1).putShort((short) CHANNELS)
                .putInt(RATE).putInt(RATE * blockAlign).putShort((short) blockAlign).putShort((short) 16);
        h.put(new byte[] {'d', 'a', 't', 'a'}).putInt((int) dataBytes);
        return h.flip();
    }
}
