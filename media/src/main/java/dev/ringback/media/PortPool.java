package dev.ringback.media;

import java.util.BitSet;
import java.util.OptionalInt;

/**
 * Hands out the even ports of an {@link RtpConfig} range, round-robin so a just-released port (which the
 * peer may still be sending to) is reused last. Thread-safe.
 */
final class PortPool {
    private final int firstPort;
    private final int capacity;
    private final BitSet inUse;
    private int cursor;

    PortPool(RtpConfig config) {
        this.firstPort = config.portMin() + (config.portMin() & 1);
        this.capacity = config.capacity();
        this.inUse = new BitSet(capacity);
    }

    /** Reserves the next free even port after the last one handed out, or empty when all are taken. */
    synchronized OptionalInt reserve() {
        for (int i = 0; i < capacity; i++) {
            int slot = (cursor + i) % capacity;
            if (!inUse.get(slot)) {
                inUse.set(slot);
                cursor = (slot + 1) % capacity;
                return OptionalInt.of(firstPort + 2 * slot);
            }
        }
        return OptionalInt.empty();
    }

    synchronized void release(int port) {
        inUse.clear((port - firstPort) / 2);
    }

    synchronized int inUse() {
        return inUse.cardinality();
    }

    int capacity() {
        return capacity;
    }
}
