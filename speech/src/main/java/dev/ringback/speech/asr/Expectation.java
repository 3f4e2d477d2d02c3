package dev.ringback.speech.asr;

import java.util.List;
import java.util.Objects;

/**
 * What the dialog just asked, so the recogniser listens for that kind of answer first. An engine with
 * per-turn searches picks the one made for {@link #kind()}; every search still hears anything else a
 * caller may say (it is the domain model with the expected answers weighted up, never a closed grammar).
 *
 * @param kind    the kind of answer expected
 * @param phrases phrases the dialog expects next, for engines that take phrase lists (may be empty)
 */
public record Expectation(Kind kind, List<String> phrases) {

    /** The kinds of answer a dialog turn waits for. */
    public enum Kind {
        /** Anything: the reason for the call, a free description of the problem. */
        OPEN,
        /** A day or a time ("Thursday morning", "tomorrow after three"). */
        WHEN,
        /** Yes or no, with a correction behind it ("no, Thursday"). */
        YES_NO,
        /** A person's name. */
        NAME,
        /** One of the times just offered ("the first one", "the Friday"). */
        CHOICE,
        /** The answer to "anything else?". */
        ANYTHING_ELSE
    }

    public static final Expectation OPEN = new Expectation(Kind.OPEN, List.of());

    public Expectation {
        Objects.requireNonNull(kind, "kind");
        phrases = List.copyOf(phrases);
    }

    public static Expectation of(Kind kind) {
        return new Expectation(kind, List.of());
    }
}
