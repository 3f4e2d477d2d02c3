package dev.ringback.sip;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Registering the agent with a PBX or trunk, so calls to {@code sip:user@domain} reach {@link SipUserAgent#onIncomingCall}.
 * Digest credentials are the agent's ({@link SipConfig#credentials()}).
 *
 * @param user       the address-of-record's user part (often the trunk account name)
 * @param domain     the address-of-record's domain; empty: the registrar's host
 * @param registrar  where REGISTER goes; empty: the config's preferred trunk host
 * @param expires    the registration lifetime we ask for; the registrar may grant another, which we then follow
 * @param retryMin   the first wait after a failed attempt; it doubles with each further failure ...
 * @param retryMax   ... up to this
 */
public record RegistrationSettings(String user, Optional<String> domain, Optional<TrunkHost> registrar,
                                   Duration expires, Duration retryMin, Duration retryMax) {
    public static final Duration DEFAULT_EXPIRES = Duration.ofSeconds(3600);
    public static final Duration DEFAULT_RETRY_MIN = Duration.ofSeconds(5);
    public static final Duration DEFAULT_RETRY_MAX = Duration.ofMinutes(5);

    public RegistrationSettings {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(registrar, "registrar");
        Objects.requireNonNull(expires, "expires");
        Objects.requireNonNull(retryMin, "retryMin");
        Objects.requireNonNull(retryMax, "retryMax");
        if (user.isBlank()) throw new IllegalArgumentException("registration user is blank");
        if (!SipUserAgent.isDiallable(user)) throw new IllegalArgumentException("registration user has characters a SIP URI cannot carry: '" + user + "'");
        if (domain.isPresent() && domain.get().isBlank()) throw new IllegalArgumentException("registration domain is blank");
        if (expires.toSeconds() < 1) throw new IllegalArgumentException("registration expires must be at least 1 s, got " + expires);
        if (retryMin.isNegative() || retryMin.isZero()) throw new IllegalArgumentException("retryMin must be positive");
        if (retryMax.compareTo(retryMin) < 0) throw new IllegalArgumentException("retryMax must not be below retryMin");
    }

    /** Registers {@code user} at the trunk host for an hour, retrying from 5 s up to 5 min. */
    public static RegistrationSettings of(String user) {
        return new RegistrationSettings(user, Optional.empty(), Optional.empty(), DEFAULT_EXPIRES, DEFAULT_RETRY_MIN, DEFAULT_RETRY_MAX);
    }

    public RegistrationSettings withExpires(Duration lifetime) {
        return new RegistrationSettings(user, domain, registrar, lifetime, retryMin, retryMax);
    }

    public RegistrationSettings withRetry(Duration min, Duration max) {
        return new RegistrationSettings(user, domain, registrar, expires, min, max);
    }

    public RegistrationSettings withDomain(String aorDomain) {
        return new RegistrationSettings(user, Optional.of(aorDomain), registrar, expires, retryMin, retryMax);
    }
}
