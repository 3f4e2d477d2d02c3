package dev.ringback.speech.asr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class AudioPipeTest {

    @Test
    void samplesComeOutLittleEndianThenTheStreamEnds() {
        AudioPipe pipe = new AudioPipe(1000, TimeUnit.SECONDS.toNanos(5));
        pipe.write(new short[] {0x0102, -2, 7}, 1, 2);
        pipe.end();
        byte[] out = new byte[10];
        assertEquals(4, pipe.read(out, 0, 10));
        assertArrayEquals(new byte[] {(byte) 0xfe, (byte) 0xff, 7, 0}, java.util.Arrays.copyOf(out, 4));
        assertEquals(-1, pipe.read(out, 0, 10));
    }

    @Test
    void aReaderWaitsForTheWriter() throws Exception {
        AudioPipe pipe = new AudioPipe(1000, TimeUnit.SECONDS.toNanos(5));
        Thread writer = new Thread(() -> {
            sleep(50);
            pipe.write(new short[] {1, 2}, 0, 2);
        });
        writer.start();
        byte[] out = new byte[8];
        assertEquals(4, pipe.read(out, 0, 8));
        writer.join();
    }

    @Test
    void anAbandonedUtteranceEndsAfterTheIdleTimeout() {
        AudioPipe pipe = new AudioPipe(1000, TimeUnit.MILLISECONDS.toNanos(30));
        assertEquals(-1, pipe.read(new byte[4], 0, 4));
        assertTrue(pipe.timedOut());
    }

    @Test
    void audioBeyondTheLimitIsDroppedAndReported() {
        AudioPipe pipe = new AudioPipe(8, TimeUnit.SECONDS.toNanos(5));
        assertTrue(pipe.write(new short[4], 0, 4));
        assertFalse(pipe.write(new short[1], 0, 1));
        assertTrue(pipe.truncated());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
