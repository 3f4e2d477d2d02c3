package dev.ringback.speech.tts;

import java.util.function.Consumer;

/** Speech synthesis for the phone line: 8 kHz, 16-bit, mono, levelled for G.711. */
public interface TextToSpeech extends AutoCloseable {

    /**
     * Synthesises one sentence and hands 8 kHz PCM to {@code chunks} as soon as each piece is
     * ready (the first chunk well before the sentence is complete). Returns when the sentence is done.
     */
    void stream(String sentence, Consumer<short[]> chunks);

    /** The whole sentence at once, 8 kHz PCM. */
    default short[] synthesise(String sentence) {
        var all = new java.util.ArrayList<short[]>();
        stream(sentence, all::add);
        int n = all.stream().mapToInt(a -> a.length).sum();
        short[] pcm = new short[n];
        int at = 0;
        for (short[] a : all) { System.arraycopy(a, 0, pcm, at, a.length); at += a.length; }
        return pcm;
    }

    @Override
    void close();
}
