package dev.ringback.media;

/**
 * Receives decoded inbound audio, in order, 160 samples (20 ms at 8 kHz) per call, 50 calls a second on
 * average from {@code start}: the peer's audio, concealment for lost packets, and silence while the peer has
 * sent nothing for 100 ms (silence suppression, hold, DTMF, or not sending at all).
 * Called on the session's Netty event loop: implementations must hand work off and never block.
 * The array is owned by the listener after the call (it is not reused).
 */
@FunctionalInterface
public interface AudioListener {
    void onFrame(short[] pcm8k, long arrivalNanos);
}
