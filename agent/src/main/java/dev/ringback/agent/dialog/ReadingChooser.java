package dev.ringback.agent.dialog;

import dev.ringback.agent.Heard;
import dev.ringback.agent.dialog.DialogState.Step;
import dev.ringback.agent.language.Signal;
import dev.ringback.agent.language.Utterance;
import dev.ringback.agent.language.UtteranceParser;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Picks the reading of a turn to act on: the recogniser's best, unless it does not answer the question just
 * asked (or names another job than the thread's, or hears an emergency only the recogniser heard) and a
 * runner-up of its N-best does.
 */
final class ReadingChooser {
    private final UtteranceParser parser;
    private final UrgentCues cues;
    private final Optional<String> threadService;

    ReadingChooser(UtteranceParser parser, UrgentCues cues, Optional<String> threadService) {
        this.parser = parser;
        this.cues = cues;
        this.threadService = threadService;
    }

    /** namesAnOffer: whether a reading names a time the agent has on offer (false when none is). */
    Reading choose(Heard heard, Step step, Predicate<Utterance> namesAnOffer) {
        Reading best = new Reading(heard.text(), parser.parse(heard.text()), turnConfidence(heard), false, heard.words());
        if (heard.alternatives().isEmpty()) return best;
        Utterance top = best.utterance();
        // picking one of the times offered: "Tuesday first thing" when Thursday first thing was offered and the runner-up says so
        boolean missesTheOffers = step == Step.CHOOSE_ALTERNATIVE && !top.when().isEmpty() && !top.hasAny(Signal.YES, Signal.NO)
                && !namesAnOffer.test(top);
        boolean fine = fits(top, step) && !offTopic(top) && !cues.unsure(best);
        if (fine && !missesTheOffers) return best;
        List<Reading> others = new ArrayList<>();
        for (String text : heard.alternatives()) {
            if (!text.isBlank()) others.add(new Reading(text, parser.parse(text), best.confidence(), true, List.of()));
        }
        if (missesTheOffers) {
            for (Reading r : others) if (namesAnOffer.test(r.utterance()) && !r.utterance().has(Signal.EMERGENCY)) return r;
            if (fine) return best;
        }
        for (Reading r : others) {
            Utterance u = r.utterance();
            if (fits(u, step) && !offTopic(u) && !u.has(Signal.EMERGENCY)) return r;
        }
        if (!fits(best.utterance(), step)) {
            for (Reading r : others) if (fits(r.utterance(), step)) return r;
        }
        return best;
    }

    private static double turnConfidence(Heard heard) {
        if (heard.confidence().isPresent()) return heard.confidence().getAsDouble();
        return heard.words().stream().mapToDouble(Heard.Word::confidence).average().orElse(1.0);
    }

    /** Names a job, but not the one the thread is about (while it names none that is). */
    private boolean offTopic(Utterance u) {
        return threadService.isPresent() && !u.services().isEmpty() && !u.services().contains(threadService.get());
    }

    /** Whether the reading answers the question the agent is waiting on (or makes a request of its own). */
    static boolean fits(Utterance u, Step step) {
        if (u.hasAny(Signal.HUMAN_QUESTION, Signal.REPEAT, Signal.HOLD)) return true;
        boolean request = u.hasAny(Signal.BOOK, Signal.RESCHEDULE, Signal.CANCEL, Signal.PRICE, Signal.MESSAGE, Signal.OWNER_CALLBACK,
                Signal.CALL_LATER, Signal.BUSY, Signal.EMERGENCY, Signal.TRANSFER_REQUEST);
        boolean time = !u.when().isEmpty() || !u.refused().isEmpty();
        boolean answer = u.hasAny(Signal.YES, Signal.NO);
        return switch (step) {
            case AWAIT_DAY, AWAIT_CALLBACK_TIME -> time || u.has(Signal.FLEXIBLE) || request;
            case CHOOSE_ALTERNATIVE, CHOOSE_JOB -> time || answer || u.has(Signal.FLEXIBLE) || !u.services().isEmpty() || request;
            case CONFIRM_EMERGENCY, CHECK_EMERGENCY -> answer || u.has(Signal.NOT_URGENT) || request || time;
            case ANYTHING_ELSE -> answer || u.hasAny(Signal.DONE, Signal.THANKS) || request || time;
            case AWAIT_SERVICE -> !u.services().isEmpty() || request;
            case AWAIT_MESSAGE -> !u.normalized().isBlank();
            case OPEN -> request || time || answer || !u.services().isEmpty() || u.hasAny(Signal.DONE, Signal.THANKS);
            default -> answer || time || request;
        };
    }
}
