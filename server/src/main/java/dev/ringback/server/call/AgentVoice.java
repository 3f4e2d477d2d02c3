package dev.ringback.server.call;

import dev.ringback.media.Playout;
import dev.ringback.media.PlayoutResult;
import dev.ringback.media.RtpSession;
import dev.ringback.speech.tts.TextToSpeech;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The agent's voice on one call: synthesises a turn sentence by sentence on its own queue and plays the audio as
 * it comes, so the first RTP packet of a reply leaves while later sentences are still being synthesised. A barge-in
 * ({@link #interrupt}) works like an interruption frame: the queued audio is flushed at once, the synthesis of the
 * interrupted sentence is abandoned (nothing stale is cached or waits in the queue behind it), and what the customer
 * heard of the turn can be read back.
 */
final class AgentVoice {

    /** A sentence of the turn being spoken and the clips it was queued as. */
    private record SpokenSentence(String text, List<Playout> playouts) {}

    /** The sentence a barge-in cut and how much of it the customer heard (0..1). */
    record Interrupted(String sentence, double fractionHeard) {}

    /** When each sentence of a turn was queued: its first audio, relative to the turn's start. */
    interface Progress {
        void sentenceQueued(String sentence, long firstAudioNanos);
    }

    /** Thrown from the synthesiser's chunk consumer: MaryTTS stops generating and caches nothing. */
    private static final class Cancelled extends RuntimeException {
        Cancelled() {
            super(null, null, false, false);
        }
    }

    private final TextToSpeech tts;
    private final RtpSession media;
    /** Synthesis of the agent's turns, in order, apart from the call's event queue so events never wait for the TTS. */
    private final SerialExecutor speaker;
    /** A generation check and the play or flush it guards happen as one: no stale chunk slips in after a barge-in. */
    private final Object playLock = new Object();
    private final AtomicInteger generation = new AtomicInteger();
    private final List<SpokenSentence> spoken = new CopyOnWriteArrayList<>();

    AgentVoice(TextToSpeech tts, RtpSession media, Executor workers) {
        this.tts = tts;
        this.media = media;
        this.speaker = new SerialExecutor(workers);
    }

    /**
     * Speaks the sentences after whatever is already being said; {@code done} gets the turn's number when the last
     * one has played (never when a barge-in cut the turn first; {@link #isCurrent} tells a late one apart).
     */
    void say(List<String> sentences, Progress progress, IntConsumer done) {
        int turn = generation.get();
        spoken.clear();
        speaker.execute(() -> synthesise(sentences, turn, progress, done));
    }

    /** Synthesises sentences ahead of need (the opening while the phone rings): they then play from the TTS cache at once. */
    void prepare(List<String> sentences) {
        speaker.execute(() -> sentences.forEach(sentence -> tts.stream(sentence, chunk -> { })));
    }

    boolean isCurrent(int turn) {
        return turn == generation.get();
    }

    /** Whether audio is still queued or playing. */
    boolean isPlaying() {
        return media.isPlaying();
    }

    /**
     * Barge-in: flushes the queued audio within one frame and abandons the synthesis behind it.
     *
     * @return the frames dropped
     */
    int interrupt() {
        synchronized (playLock) {
            generation.incrementAndGet();
            return media.flush();
        }
    }

    /** The sentence the last interruption cut, once its playout reported. */
    Optional<Interrupted> interrupted() {
        for (SpokenSentence s : spoken) {
            int played = 0, total = 0;
            boolean cut = false;
            for (Playout p : s.playouts()) {
                PlayoutResult r = p.done().getNow(null);
                if (r == null) continue;
                played += r.framesPlayed();
                total += r.framesTotal();
                cut |= r.interrupted();
            }
            if (cut) return Optional.of(new Interrupted(s.text(), total == 0 ? 0 : (double) played / total));
        }
        return Optional.empty();
    }

    /** Plays prepared audio now (transfer announcements), outside any turn. */
    void play(short[] pcm) {
        media.play(pcm);
    }

    /** Drops whatever is queued, outside any barge-in (the transfer takes the line). */
    void flush() {
        interrupt();
    }

    private void synthesise(List<String> sentences, int turn, Progress progress, IntConsumer done) {
        CompletableFuture<PlayoutResult> last = CompletableFuture.completedFuture(null);
        for (String sentence : sentences) {
            if (turn != generation.get()) return;
            List<Playout> playouts = new CopyOnWriteArrayList<>();
            spoken.add(new SpokenSentence(sentence, playouts));
            long[] firstAudio = {0};
            try {
                tts.stream(sentence, chunk -> {
                    synchronized (playLock) {
                        if (turn != generation.get()) throw new Cancelled();
                        playouts.add(media.play(chunk));
                    }
                    if (firstAudio[0] == 0) firstAudio[0] = System.nanoTime();
                });
            } catch (Cancelled c) {
                return; // the customer cut in: nothing of this turn is said after it
            }
            if (!playouts.isEmpty()) last = playouts.get(playouts.size() - 1).done();
            progress.sentenceQueued(sentence, firstAudio[0]);
        }
        last.whenComplete((r, e) -> done.accept(turn));
    }

}
