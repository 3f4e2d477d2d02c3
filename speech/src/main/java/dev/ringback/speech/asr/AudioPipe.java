package dev.ringback.speech.asr;

import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Hands 16-bit audio from the thread that receives it to a decoder thread, as a little-endian byte
 * stream. Writing never blocks; reading waits for audio until the writer ends the stream, and ends
 * it by itself when no audio arrives for {@code idleTimeoutNanos} (a caller that never calls
 * finish() must not hold a decoder for ever). Audio beyond {@code maxBytes} is dropped.
 */
final class AudioPipe extends InputStream {

    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private final long maxBytes;
    private final long idleTimeoutNanos;
    private int headOffset;
    private long bytesWritten;
    private long bytesRead;
    private boolean ended;
    private boolean truncated;
    private boolean timedOut;

    AudioPipe(long maxBytes, long idleTimeoutNanos) {
        this.maxBytes = maxBytes;
        this.idleTimeoutNanos = idleTimeoutNanos;
    }

    /** Appends samples; returns false when they were dropped (stream ended or too long). */
    synchronized boolean write(short[] pcm, int offset, int length) {
        if (ended || bytesWritten + 2L * length > maxBytes) {
            truncated |= !ended;
            return false;
        }
        byte[] bytes = new byte[2 * length];
        for (int i = 0; i < length; i++) {
            short s = pcm[offset + i];
            bytes[2 * i] = (byte) s;
            bytes[2 * i + 1] = (byte) (s >> 8);
        }
        chunks.addLast(bytes);
        bytesWritten += bytes.length;
        notifyAll();
        return true;
    }

    /** No more audio will come; the reader sees the end once it has read what is buffered. */
    synchronized void end() {
        ended = true;
        notifyAll();
    }

    synchronized boolean truncated() {
        return truncated;
    }

    /** Samples the reader has taken so far. */
    synchronized long samplesRead() {
        return bytesRead / 2;
    }

    synchronized boolean timedOut() {
        return timedOut;
    }

    @Override
    public synchronized int read(byte[] buffer, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        long deadline = System.nanoTime() + idleTimeoutNanos;
        while (chunks.isEmpty() && !ended) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                timedOut = true;
                ended = true;
                break;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ended = true;
            }
        }
        if (chunks.isEmpty()) {
            return -1;
        }
        int copied = 0;
        while (copied < length && !chunks.isEmpty()) {
            byte[] head = chunks.peekFirst();
            int n = Math.min(length - copied, head.length - headOffset);
            System.arraycopy(head, headOffset, buffer, offset + copied, n);
            copied += n;
            headOffset += n;
            if (headOffset == head.length) {
                chunks.removeFirst();
                headOffset = 0;
            }
        }
        bytesRead += copied;
        return copied;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public void close() {
        end();
    }
}
