package dev.ringback.agent.language;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One customer turn, understood: normalised text, signals, the time asked for, a time ruled out ("not today"),
 * catalogue services mentioned (ids, in order) and the words that sounded urgent ("burst", "water everywhere").
 */
public record Utterance(String normalized, Set<Signal> signals, When when, When refused, List<String> services,
                        List<String> urgentWords) {
    public Utterance {
        signals = signals.isEmpty() ? EnumSet.noneOf(Signal.class) : EnumSet.copyOf(signals);
        services = List.copyOf(services);
        urgentWords = List.copyOf(urgentWords);
    }

    /** The same turn read without that signal (an emergency the customer then said they did not mean). */
    public Utterance without(Signal s) {
        Set<Signal> rest = EnumSet.noneOf(Signal.class);
        rest.addAll(signals);
        rest.remove(s);
        return new Utterance(normalized, rest, when, refused, services, s == Signal.EMERGENCY ? List.of() : urgentWords);
    }

    public boolean has(Signal s) {
        return signals.contains(s);
    }

    public boolean hasAny(Signal... any) {
        for (Signal s : any) if (signals.contains(s)) return true;
        return false;
    }
}
