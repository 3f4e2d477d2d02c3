package dev.ringback.speech.turn;

/** What a {@link TurnDetector} tells the call: the customer started talking, or finished a turn. */
public sealed interface TurnEvent permits SpeechStarted, UserTurn {
}
