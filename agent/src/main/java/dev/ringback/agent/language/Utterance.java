package dev.ringback.agent.language;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** One customer turn, understood: normalised text, signals, time expression and catalogue services mentioned (ids, in order). */
public record Utterance(String normalized, Set<Signal> signals, When when, List<String> services) {
    public Utterance {
        signals = signals.isEmpty() ? EnumSet.noneOf(Signal.class) : EnumSet.copyOf(signals);
        services = List.copyOf(services);
    }

    public boolean has(Signal s) {
        return signals.contains(s);
    }

    public boolean hasAny(Signal... any) {
        for (Signal s : any) if (signals.contains(s)) return true;
        return false;
    }
}
