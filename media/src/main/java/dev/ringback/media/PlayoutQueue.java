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

    Playout add(short[] pcm8k) {
        int frames = (pcm8k.length + RtpSession.SAMPLES_PER_FRAME - 1) / RtpSession.SAMPLES_PER_FRAME;
        Playout playout = new Playout(frames);
        if (frames == 0) {
            playout.complete(0, false);
            return playout;
        }
        synchronized (clips) {
            if (!closed) {
                clips.add(new Clip(playout, pcm8k.clone(), frames));
                return playout;
            }
        }
        playout.complete(0, true);
        return playout;
    }

    /**
     * Encodes the next queued frame into {@code payload} (160 bytes), or silence when nothing is queued.
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
            int available = Math.min(RtpSession.SAMPLES_PER_FRAME, clip.pcm.length - from);
            codec.encode(clip.pcm, from, payload, available);
            Arrays.fill(payload, available, RtpSession.SAMPLES_PER_FRAME, codec.silence());
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
        final short[] pcm;
        final int frames;
        int nextFrame;

        Clip(Playout playout, short[] pcm, int frames) {
            this.playout = playout;
            this.pcm = pcm;
            this.frames = frames;
        }
    }
}
