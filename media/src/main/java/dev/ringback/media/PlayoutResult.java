package dev.ringback.media;

/** How much of a queued clip went out: all of it, or {@code framesPlayed} before a flush or close cut it off. */
public record PlayoutResult(int framesPlayed, int framesTotal, boolean interrupted) {
}
