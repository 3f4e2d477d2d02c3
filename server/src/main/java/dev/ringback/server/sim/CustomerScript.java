package dev.ringback.server.sim;

import dev.ringback.agent.language.Normalizer;
import dev.ringback.agent.scenario.CustomerGoal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * What the simulated customer says next, by the rules of the scenarios README ("The simulated customer"), judged
 * from the agent's words alone, never from the dialog's state:
 * <ol>
 *   <li>its next line once the agent's turn is over (a line with {@code barge_in_after_ms} starts that far into the turn);</li>
 *   <li>its previous line again when the agent did not catch it or asks for it again (at most twice in a row);</li>
 *   <li>{@code customer_goal.refuse_offer} instead of the next line when the agent proposes a time the goal does not
 *       accept (at most twice), then on with its lines;</li>
 *   <li>"Bye." when its lines run out (the phone hangs up 3 s later if the agent has not).</li>
 * </ol>
 * The phone tells it each agent sentence as it is played ({@link #agentSaid}) and asks what to say when the agent's
 * turn ends ({@link #reply}). Not thread-safe: the phone calls it from one thread.
 */
public final class CustomerScript {

    /** One thing the customer says. */
    public record Line(String text, OptionalLong bargeInAfterMs) {
        public Line {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(bargeInAfterMs, "bargeInAfterMs");
        }

        public static Line of(String text) {
            return new Line(text, OptionalLong.empty());
        }
    }

    /** Why a line is said. */
    public enum Reason { NEXT, REPEAT, REFUSE, BYE }

    /** A line to say now and why. */
    public record Say(Line line, Reason reason) {}

    public static final String BYE = "Bye.";
    private static final int MAX_REPEATS_IN_A_ROW = 2;
    private static final int MAX_REFUSALS = 2;
    private static final Pattern DID_NOT_CATCH = Pattern.compile("\\b(didnt (quite )?catch|didnt hear|didnt understand|did not catch|not sure i understood"
            + "|trouble understanding|say that again|repeat that|could you repeat|can you repeat|sorry what was that|pardon|come again"
            + "|i missed that|one more time)\\b");
    /** A sentence that hands the turn over: a question, or an invitation to speak. */
    private static final Pattern INVITES = Pattern.compile("\\b(go ahead|tell me|let me know|whenever youre ready|what would you like)\\b");

    private final List<Line> lines;
    private final Optional<CustomerGoal> goal;
    private final OfferReader offers;
    private final List<String> agentTurn = new ArrayList<>();
    private int next;
    private Line previous;
    private int repeatsInARow;
    private int repeats;
    private int refusals;
    private boolean byeSaid;

    public CustomerScript(List<Line> lines, Optional<CustomerGoal> goal, OfferReader offers) {
        this.lines = List.copyOf(lines);
        this.goal = Objects.requireNonNull(goal, "goal");
        this.offers = Objects.requireNonNull(offers, "offers");
    }

    /** One agent sentence, as it is played. */
    public void agentSaid(String sentence) {
        agentTurn.add(sentence);
    }

    /** Whether the agent's last sentence hands the turn over (then a short pause is enough to answer). */
    public boolean agentInvitedAnswer() {
        if (agentTurn.isEmpty()) return false;
        String last = agentTurn.get(agentTurn.size() - 1).strip();
        return last.endsWith("?") || INVITES.matcher(Normalizer.normalize(last)).find();
    }

    /** Whether anything was said by the agent since the customer's last line. */
    public boolean agentSpoke() {
        return !agentTurn.isEmpty();
    }

    /** The next line when it is meant to start while the agent is still talking. */
    public Optional<Line> pendingBargeIn() {
        if (next >= lines.size() || byeSaid) return Optional.empty();
        Line line = lines.get(next);
        return line.bargeInAfterMs().isPresent() ? Optional.of(line) : Optional.empty();
    }

    /** Takes the barge-in line returned by {@link #pendingBargeIn()}: it is being said now. */
    public Say bargeIn() {
        Line line = pendingBargeIn().orElseThrow(() -> new IllegalStateException("no barge-in line pending"));
        return said(new Say(line, Reason.NEXT));
    }

    /** The agent's turn is over: what to say, or empty when everything, "Bye." included, has been said. */
    public Optional<Say> reply() {
        if (byeSaid) return Optional.empty();
        List<String> heard = List.copyOf(agentTurn);
        if (previous != null && repeatsInARow < MAX_REPEATS_IN_A_ROW && heard.stream().anyMatch(s -> DID_NOT_CATCH.matcher(Normalizer.normalize(s)).find())) {
            repeatsInARow++;
            repeats++;
            return Optional.of(said(new Say(previous, Reason.REPEAT)));
        }
        if (goal.isPresent() && refusals < MAX_REFUSALS) {
            List<OfferedTime> proposed = heard.stream().flatMap(s -> offers.offers(s).stream()).toList();
            if (!proposed.isEmpty() && proposed.stream().noneMatch(o -> goal.get().takes(o.date(), o.windowStart()))) {
                refusals++;
                repeatsInARow = 0;
                return Optional.of(said(new Say(Line.of(goal.get().refuseOffer()), Reason.REFUSE)));
            }
        }
        repeatsInARow = 0;
        if (next < lines.size()) return Optional.of(said(new Say(lines.get(next), Reason.NEXT)));
        byeSaid = true;
        return Optional.of(said(new Say(Line.of(BYE), Reason.BYE)));
    }

    /** The agent never answered the last line: say it again (counted as a repeat), as a person on the phone would. */
    public Optional<Say> unanswered() {
        if (previous == null || byeSaid) return Optional.empty();
        repeats++;
        return Optional.of(said(new Say(previous, Reason.REPEAT)));
    }

    private Say said(Say say) {
        agentTurn.clear();
        if (say.reason() == Reason.NEXT) next++;
        if (say.reason() != Reason.BYE) previous = say.line();
        return say;
    }

    public int repeats() {
        return repeats;
    }

    public int refusals() {
        return refusals;
    }

    public boolean finished() {
        return byeSaid;
    }
}
