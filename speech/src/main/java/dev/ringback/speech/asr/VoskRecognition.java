package dev.ringback.speech.asr;

import java.util.Arrays;

import org.vosk.Recognizer;

/** One Vosk utterance; Kaldi decodes each chunk as it arrives, on the caller's thread. */
final class VoskRecognition implements Recognition {

    private final Recognizer recognizer;
    private final StringBuilder segments = new StringBuilder();
    private String finalText;

    VoskRecognition(Recognizer recognizer) {
        this.recognizer = recognizer;
    }

    @Override
    public synchronized void accept(short[] pcm16k, int offset, int length) {
        if (finalText != null) {
            return;
        }
        short[] chunk = offset == 0 ? pcm16k : Arrays.copyOfRange(pcm16k, offset, offset + length);
        if (recognizer.acceptWaveForm(chunk, length)) {
            // Vosk found an end point inside the utterance: keep that segment's words
            append(VoskJson.stringField(recognizer.getResult(), "text"));
        }
    }

    @Override
    public synchronized String partial() {
        if (finalText != null) {
            return finalText;
        }
        String current = clean(VoskJson.stringField(recognizer.getPartialResult(), "partial"));
        return joined(segments.toString(), current);
    }

    @Override
    public synchronized Transcript finish() {
        if (finalText == null) {
            append(VoskJson.stringField(recognizer.getFinalResult(), "text"));
            recognizer.close();
            finalText = segments.toString();
        }
        return Transcript.of(finalText);
    }

    private void append(String text) {
        String words = clean(text);
        if (!words.isEmpty()) {
            segments.append(segments.length() == 0 ? "" : " ").append(words);
        }
    }

    private static String joined(String a, String b) {
        return a.isEmpty() ? b : b.isEmpty() ? a : a + " " + b;
    }

    /** Lower case, no punctuation, and no "[unk]" markers. */
    private static String clean(String text) {
        return Words.normalize(text.replace("[unk]", " "));
    }
}
