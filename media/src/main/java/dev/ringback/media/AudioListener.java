package dev.ringback.media;

/**
 * Receives decoded inbound audio, in order, 160 samples (20 ms at 8 kHz) per call.
 * Called on the session's Netty event loop: implementations must hand work off and never block.
 * The array is owned by the listener after the call (it is not reused).
 */
@FunctionalInterface
public interface AudioListener {
    void onFrame(short[] pcm8k, long arrivalNanos);
}
