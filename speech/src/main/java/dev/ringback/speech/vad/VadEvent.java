package dev.ringback.speech.vad;

/** A change between silence and speech, at a 16 kHz sample position counted from the start of the stream. */
public sealed interface VadEvent permits VadEvent.SpeechStart, VadEvent.SpeechEnd {

    long sample();

    /** Speech began at {@code sample} (the first sample of the first chunk of the onset run). */
    record SpeechStart(long sample) implements VadEvent {}

    /** Speech ended at {@code sample} (just after the last voiced chunk); reported one hangover later. */
    record SpeechEnd(long sample) implements VadEvent {}
}
