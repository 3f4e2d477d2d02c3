package dev.ringback.media;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbound audio waiting to be sent, as whole clips so a flush drops them atomically. Producers (any
 * thread) add and flush; the pacing tick takes one 160-sample frame at a time. The lock is held only to
 * move one frame or the clip list, never while sending or completing futures.
 *
 * <p>A clip is encoded to G.711 when it is added, on the producer's thread: the queue holds half the bytes of
 * 16-bit PCM (queued speech is most of what survives a young GC on a busy media server, and copying it is most of
 * the pause), and the pacing tick only copies 160 bytes.
 */
final class PlayoutQueue {
    private static final Logger log = LoggerFactory.getLogger(PlayoutQueue.class);

    private final ArrayDeque<Clip> clips = new ArrayDeque<>();
    private boolean closed;

    /** A frame taken for sending: {@code finished} is the Playout whose last frame this was, if any. */
    record Taken(boolean audio, Playout finished) {
        static final Taken SILENCE = new Taken(false, null);
        static final Taken AUDIO = new Taken(true, null);
    }

    /** Queues {@code pcm8k} encoded with {@code codec}, the session's codec as far as the producer knows it. */
    Playout add(short[] pcm8k, Codec codec) {
        int frames = (pcm8k.length + RtpSession.SAMPLES_PER_FRAME - 1) / RtpSession.SAMPLES_PER_FRAME;
        Playout playout = new Playout(frames);
        if (frames == 0) {
            playout.complete(0, false);
            return playout;
        }
        byte[] coded = new byte[frames * RtpSession.SAMPLES_PER_FRAME];
        codec.encode(pcm8k, 0, coded, pcm8k.length);
        Arrays.fill(coded, pcm8k.length, coded.length, codec.silence());
        synchronized (clips) {
            if (!closed) {
                clips.add(new Clip(playout, coded, codec, frames));
                return playout;
            }
        }
        playout.complete(0, true);
        return playout;
    }

    /**
     * Puts the next queued frame into {@code payload} (160 bytes) in {@code codec}, or silence when nothing is
     * queued. A clip queued in the other G.711 law (before {@code start}, or before a codec change) is transcoded.
     * Completes nothing itself: the caller completes {@link Taken#finished()} after the frame was written.
     */
    Taken takeFrame(Codec codec, byte[] payload) {
        synchronized (clips) {
            Clip clip = clips.peek();
            if (clip == null) {
                Arrays.fill(payload, codec.silence());
                return Taken.SILENCE;
            }
            int from = clip.nextFrame * RtpSession.SAMPLES_PER_FRAME;
            if (clip.codec == codec) {
                System.arraycopy(clip.coded, from, payload, 0, RtpSession.SAMPLES_PER_FRAME);
            } else {
                for (int i = 0; i < RtpSession.SAMPLES_PER_FRAME; i++) {
                    payload[i] = codec.encode(clip.codec.decode(clip.coded[from + i]));
                }
            }
            clip.nextFrame++;
            if (clip.nextFrame < clip.frames) {
                return Taken.AUDIO;
            }
            clips.poll();
            return new Taken(true, clip.playout);
        }
    }

    /** Drops every queued clip, completing each Playout as interrupted; returns the frames dropped. */
    int flush() {
        List<Clip> dropped;
        synchronized (clips) {
            dropped = new ArrayList<>(clips);
            clips.clear();
        }
        int frames = 0;
        for (Clip clip : dropped) {
            frames += clip.frames - clip.nextFrame;
            clip.playout.complete(clip.nextFrame, true);
        }
        if (frames > 0) {
            log.debug("flushed {} frames of {} clips", frames, dropped.size());
        }
        return frames;
    }

    /** Flushes and refuses further clips (they complete at once as interrupted). */
    void close() {
        synchronized (clips) {
            closed = true;
        }
        flush();
    }

    /** Frames still to be sent. */
    int queuedFrames() {
        synchronized (clips) {
            int frames = 0;
            for (Clip clip : clips) {
                frames += clip.frames - clip.nextFrame;
            }
            return frames;
        }
    }

    boolean isEmpty() {
        synchronized (clips) {
            return clips.isEmpty();
        }
    }

    /** A queued clip; {@code nextFrame} is guarded by the queue's lock until the clip leaves the queue. */
    private static final class Clip {
        final Playout playout;
        /** {@code frames} whole frames, the last padded with silence. */
        final byte[] coded;
        final Codec codec;
        final int frames;
        int nextFrame;

        Clip(Playout playout, byte[] coded, Codec codec, int frames) {
            this.playout = playout;
            this.coded = coded;
            this.codec = codec;
            this.frames = frames;
        }
    }
}
