package dev.ringback.media.stage;

import io.netty.buffer.ByteBuf;

/** Where a stage that makes packets hands them on: the next stage towards the socket. */
public interface PacketOut {
    /** A buffer for a packet of about {@code capacity} bytes, from the socket's allocator. */
    ByteBuf buffer(int capacity);

    /**
     * Takes {@code packet} (and its release) over.
     *
     * @return false when a later stage dropped it (counted there), so it never reached the socket
     */
    boolean send(ByteBuf packet);
}
