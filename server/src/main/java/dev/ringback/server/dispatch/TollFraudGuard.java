package dev.ringback.server.dispatch;

import dev.ringback.server.config.RingbackConfig.GuardConfig;
import dev.ringback.server.sms.CallbackRequest;
import dev.ringback.server.sms.E164;
import dev.ringback.server.store.CallbackRequestStore;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides whether a request may be dialled: a webhook must never make us call premium or foreign numbers
 * at will. Only E.164 numbers that texted in, in an allowed country code, at most N calls per hour each.
 */
public final class TollFraudGuard {
    private final CallbackRequestStore requests;
    private final GuardConfig config;

    public TollFraudGuard(CallbackRequestStore requests, GuardConfig config) {
        this.requests = requests;
        this.config = config;
    }

    /** Why the request must not be dialled, or empty when it may be. */
    public Optional<String> refusal(CallbackRequest request) {
        String number = request.customerPhone();
        if (!E164.isValid(number)) return Optional.of(number + " is not an E.164 number");
        if (config.allowedCountryCodes().stream().noneMatch(cc -> number.startsWith("+" + cc))) {
            return Optional.of(number + " is outside the allowed country codes " + config.allowedCountryCodes());
        }
        if (!requests.textedIn(number)) return Optional.of(number + " never texted in");
        int lastHour = requests.callsSince(number, Instant.now().minus(Duration.ofHours(1)));
        if (lastHour >= config.maxCallsPerNumberPerHour()) {
            return Optional.of(number + " was already called " + lastHour + " times in the last hour (limit "
                    + config.maxCallsPerNumberPerHour() + ")");
        }
        return Optional.empty();
    }
}
