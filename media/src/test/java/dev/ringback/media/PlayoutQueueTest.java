package dev.ringback.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PlayoutQueueTest {
    private final PlayoutQueue queue = new PlayoutQueue();
    private final byte[] payload = new byte[160];

    @Test
    void aClipIsSplitIntoFramesAndTheLastOneIsPaddedWithSilence() {
        short[] pcm = new short[170];
        Arrays.fill(pcm, (short) 4000);
        Playout playout = queue.add(pcm, Codec.PCMU);
        assertEquals(2, playout.framesTotal());

        PlayoutQueue.Taken first = queue.takeFrame(Codec.PCMU, payload);
        assertTrue(first.audio());
        assertNull(first.finished());
        assertEquals(G711.ulawEncode((short) 4000), payload[159]);

        PlayoutQueue.Taken second = queue.takeFrame(Codec.PCMU, payload);
        assertSame(playout, second.finished());
        assertEquals(G711.ulawEncode((short) 4000), payload[9]);
        assertEquals(Codec.PCMU.silence(), payload[10]);
        assertEquals(Codec.PCMU.silence(), payload[159]);
        assertFalse(playout.done().isDone(), "the sender completes it once the frame is written");

        assertFalse(queue.takeFrame(Codec.PCMA, payload).audio());
        assertEquals(Codec.PCMA.silence(), payload[0]);
    }

    @Test
    void aClipQueuedInTheOtherLawIsTranscodedAsItLeaves() {
        short[] pcm = new short[160];
        Arrays.fill(pcm, (short) 4000);
        queue.add(pcm, Codec.PCMU); // queued before the session knew it would be PCMA
        queue.add(pcm, Codec.PCMA);

        queue.takeFrame(Codec.PCMA, payload);
        assertEquals(Codec.PCMA.decode(Codec.PCMA.encode((short) 4000)), Codec.PCMA.decode(payload[0]), 64,
                "within one A-law step of the sample");
        queue.takeFrame(Codec.PCMA, payload);
        assertEquals(Codec.PCMA.encode((short) 4000), payload[0], "same law: the bytes as encoded");
    }

    @Test
    void flushDropsEveryQueuedClipAndReportsWhatWasPlayed() throws Exception {
        Playout a = queue.add(new short[160 * 5], Codec.PCMU);
        Playout b = queue.add(new short[160 * 3], Codec.PCMU);
        queue.takeFrame(Codec.PCMU, payload);
        queue.takeFrame(Codec.PCMU, payload);

        assertEquals(3 + 3, queue.flush());
        assertEquals(new PlayoutResult(2, 5, true), a.done().get());
        assertEquals(new PlayoutResult(0, 3, true), b.done().get());
        assertTrue(queue.isEmpty());
        assertEquals(0, queue.flush());
    }

    @Test
    void anEmptyClipIsDoneAtOnceAndAClosedQueueRefusesClips() throws Exception {
        assertEquals(new PlayoutResult(0, 0, false), queue.add(new short[0], Codec.PCMU).done().get());
        queue.close();
        assertEquals(new PlayoutResult(0, 1, true), queue.add(new short[1], Codec.PCMU).done().get());
        assertTrue(queue.isEmpty());
    }
}
