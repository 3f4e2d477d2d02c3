package dev.ringback.sip;

import java.time.Instant;
import java.util.Optional;

/**
 * Where the agent's registration stands.
 *
 * @param state       see {@link State}
 * @param sipStatus   the status of the registrar's last final answer, 0 for none (not sent yet, timeout, transport error)
 * @param reason      why we are in this state, for people (never contains the password)
 * @param expiresAt   REGISTERED: when the registrar's binding lapses unless refreshed (we refresh at half-time)
 * @param nextAttempt RETRYING: when the next REGISTER goes out; REGISTERED: when the refresh goes out
 * @param since       when this status was set
 */
public record RegistrationStatus(State state, int sipStatus, String reason, Optional<Instant> expiresAt,
                                 Optional<Instant> nextAttempt, Instant since) {
    public enum State {
        /** A REGISTER is on its way (first one, or after a retry wait). */
        REGISTERING,
        /** The registrar accepted our binding; refreshes keep it. */
        REGISTERED,
        /** The last attempt failed for a reason that may pass (no answer, 5xx, transport/TLS error): retried with back-off. */
        RETRYING,
        /** The registrar refused us for good (credentials rejected, 403, 404, no credentials configured): not retried. */
        FAILED,
        /** The binding was removed (REGISTER with Expires: 0 on close), or never made. */
        UNREGISTERED
    }

    public boolean registered() {
        return state == State.REGISTERED;
    }
}
