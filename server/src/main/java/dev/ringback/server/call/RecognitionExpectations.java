package dev.ringback.server.call;

import dev.ringback.agent.dialog.DialogManager;
import dev.ringback.agent.Heard;
import dev.ringback.speech.asr.Expectation;
import dev.ringback.speech.asr.Transcript;

import java.util.List;

/**
 * Where the dialog and the recogniser meet: what the agent just asked becomes what the recogniser listens for,
 * and what the recogniser heard becomes the dialog's input (agent and speech do not know each other).
 */
final class RecognitionExpectations {
    private RecognitionExpectations() {}

    static Expectation of(DialogManager dialog) {
        Expectation.Kind kind = switch (dialog.expectedAnswer()) {
            case OPEN -> Expectation.Kind.OPEN;
            case WHEN -> Expectation.Kind.WHEN;
            case YES_NO -> Expectation.Kind.YES_NO;
            case NAME -> Expectation.Kind.NAME;
            case CHOICE -> Expectation.Kind.CHOICE;
            case ANYTHING_ELSE -> Expectation.Kind.ANYTHING_ELSE;
        };
        return new Expectation(kind, dialog.expectedPhrases());
    }

    static Heard heard(Transcript t) {
        List<Heard.Word> words = t.words().stream().map(w -> new Heard.Word(w.text(), w.confidence())).toList();
        List<String> alternatives = t.alternatives().stream().map(Transcript.Hypothesis::text).filter(a -> !a.equals(t.text())).toList();
        return new Heard(t.text(), t.confidence(), words, alternatives);
    }
}
