package dev.ringback.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringback.media.rtp.JitterBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JitterBufferTest {
    private static final long SSRC = 0x1234_5678L;
    private static final long MS = 1_000_000L;

    /** What came out: payload ids in order, "lost" for concealment. */
    private final List<String> out = new ArrayList<>();
    private final JitterBuffer buffer = new JitterBuffer(3, 60 * MS, new JitterBuffer.Sink() {
        @Override
        public void onPayload(byte[] payload, long arrivalNanos) {
            out.add(Integer.toString(payload[0]));
        }

        @Override
        public void onLost(long nowNanos) {
            out.add("lost");
        }
    });

    private void push(int seq, long atMs) {
        buffer.push(seq & 0xFFFF, SSRC, new byte[] {(byte) seq}, atMs * MS);
    }

    @Test
    void inOrderPacketsComeOutImmediately() {
        push(10, 0);
        push(11, 20);
        assertEquals(List.of("10", "11"), out);
    }

    @Test
    void reorderedPacketsComeOutInSequence() {
        push(1, 0);
        push(3, 20);
        push(2, 21);
        push(5, 40);
        push(4, 41);
        assertEquals(List.of("1", "2", "3", "4", "5"), out);
        assertEquals(0, buffer.lost());
    }

    @Test
    void theCallerMayReuseAPayloadArrayUnlessTheBufferKeptIt() {
        byte[] reused = {1};
        assertFalse(buffer.push(1, SSRC, reused, 0), "played at once");
        reused[0] = 3;
        assertTrue(buffer.push(3, SSRC, reused, 20 * MS), "held until 2 comes");
        assertFalse(buffer.push(3, SSRC, new byte[] {3}, 21 * MS), "a duplicate is dropped");
        assertFalse(buffer.push(0, SSRC, new byte[] {0}, 22 * MS), "a late packet is dropped");
        assertFalse(buffer.push(2, SSRC, new byte[] {2}, 23 * MS), "fills the gap and is played");
        assertEquals(List.of("1", "2", "3"), out);
    }

    @Test
    void duplicatesAreDroppedAndCounted() {
        push(1, 0);
        push(1, 1);
        push(3, 20);
        push(3, 21);
        push(2, 22);
        assertEquals(List.of("1", "2", "3"), out);
        assertEquals(2, buffer.duplicates());
    }

    @Test
    void aGapIsConcealedOnceEnoughLaterPacketsWait() {
        push(1, 0);
        push(3, 40);
        push(4, 60);
        push(5, 80);
        assertEquals(List.of("1"), out);
        push(6, 100);
        assertEquals(List.of("1", "lost", "3", "4", "5", "6"), out);
        assertEquals(1, buffer.lost());
        push(2, 110);
        assertEquals(1, buffer.late());
    }

    @Test
    void aGapIsConcealedWhenTheWaitingPacketIsTooOld() {
        push(1, 0);
        push(3, 40);
        buffer.poll(60 * MS);
        assertEquals(List.of("1"), out);
        buffer.poll(100 * MS);
        assertEquals(List.of("1", "lost", "3"), out);
    }

    @Test
    void sequenceNumbersWrapAround() {
        push(65534, 0);
        push(0, 40);
        push(65535, 41);
        push(1, 60);
        assertEquals(List.of(Integer.toString((byte) 65534), Integer.toString((byte) 65535), "0", "1"), out);
        assertEquals(0, buffer.lost());
    }

    @Test
    void aNewSsrcRestartsTheSequence() {
        push(100, 0);
        buffer.push(7, SSRC + 1, new byte[] {7}, 20 * MS);
        buffer.push(8, SSRC + 1, new byte[] {8}, 40 * MS);
        assertEquals(List.of("100", "7", "8"), out);
        assertEquals(0, buffer.lost());
        assertEquals(0, buffer.late());
    }

    @Test
    void aSenderThatRestartsItsSequenceIsFollowedEitherWay() {
        push(5000, 0);
        push(5001, 20);
        push(200, 40);   // 4801 behind: a restart, not a 96 s late packet
        push(201, 60);
        push(9000, 80);  // far ahead: a restart, not 8799 lost packets
        push(9001, 100);
        List<String> ids = List.of(5000, 5001, 200, 201, 9000, 9001).stream()
                .map(seq -> Integer.toString((byte) (int) seq)).toList();
        assertEquals(ids, out);
        assertEquals(0, buffer.lost());
        assertEquals(0, buffer.late());
    }

    @Test
    void packetsWithoutAudioTakeTheirSlotSilently() {
        push(1, 0);
        buffer.push(2, SSRC, null, 20 * MS);
        push(3, 40);
        assertEquals(List.of("1", "3"), out);
        assertEquals(0, buffer.lost());
    }
}
