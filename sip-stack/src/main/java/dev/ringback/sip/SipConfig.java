package dev.ringback.sip;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a {@link SipUserAgent} needs.
 *
 * @param listenPort        0 picks a free port below 32768
 * @param trunkHost         the preferred trunk host; {@code alternateTrunks} are tried after it, in order
 * @param inviteTimeout     no response at all to an INVITE within this time: the next trunk host, or TRUNK_UNAVAILABLE
 * @param ringTimeout       provisional response but no answer within this time: CANCEL, then NO_ANSWER
 * @param alternateTrunks   fail-over hosts, used after a 503 or no response from the ones before
 * @param keepAliveInterval how often every trunk host gets an OPTIONS probe; zero turns probing off
 * @param sessionExpires    RFC 4028 session interval we ask for in our INVITEs (we refresh at half of it);
 *                          zero leaves session timers out; otherwise at least 90 s (the RFC's minimum Min-SE)
 * @param tls               key and trust stores for {@link Transport#TLS}; empty: the JVM's default CAs, no own certificate
 * @param registration      REGISTER this agent with the trunk/PBX (kept refreshed, removed on close); empty: no REGISTER
 * @param outboundProxy     where INVITEs and REGISTERs go first (a pre-loaded loose Route), whatever host their
 *                          Request-URI names; empty: straight to the trunk host (OPTIONS keep-alives always go straight)
 * @param dialPlan          how called numbers are written for {@code trunkHost} and for alternates without their own plan
 * @param assertedIdentity  when present, every INVITE carries P-Asserted-Identity (RFC 3325) with this user (an E.164
 *                          number) at the trunk host, or this URI when it is one ({@code sip:…}, {@code tel:…})
 * @param maxRedirects      how many 3xx redirections one call follows (0: none, a 3xx fails the call)
 * @param srtp              whether calls use SRTP with SDES keys
 */
public record SipConfig(String listenHost, int listenPort, Transport transport,
                        String trunkHost, int trunkPort, Optional<Credentials> credentials,
                        String fromUser, String fromDisplayName,
                        Duration inviteTimeout, Duration ringTimeout,
                        List<TrunkHost> alternateTrunks, Duration keepAliveInterval, Duration sessionExpires,
                        Optional<TlsSettings> tls, Optional<RegistrationSettings> registration, Optional<TrunkHost> outboundProxy,
                        DialPlan dialPlan, Optional<String> assertedIdentity, int maxRedirects, SrtpMode srtp) {
    /** RFC 4028's smallest allowed session interval. */
    public static final Duration MIN_SESSION_EXPIRES = Duration.ofSeconds(90);
    /** Redirections followed unless configured otherwise. */
    public static final int DEFAULT_MAX_REDIRECTS = 3;
    private static final java.util.regex.Pattern IDENTITY_USER = java.util.regex.Pattern.compile("[A-Za-z0-9+*._-]{1,64}");
    private static final java.util.regex.Pattern IDENTITY_URI = java.util.regex.Pattern.compile("(sips?|tel):[^\\s<>\"]{1,200}");

    public SipConfig {
        Objects.requireNonNull(listenHost, "listenHost");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(trunkHost, "trunkHost");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(fromUser, "fromUser");
        Objects.requireNonNull(inviteTimeout, "inviteTimeout");
        Objects.requireNonNull(ringTimeout, "ringTimeout");
        Objects.requireNonNull(keepAliveInterval, "keepAliveInterval");
        Objects.requireNonNull(sessionExpires, "sessionExpires");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(registration, "registration");
        Objects.requireNonNull(outboundProxy, "outboundProxy");
        alternateTrunks = List.copyOf(Objects.requireNonNull(alternateTrunks, "alternateTrunks"));
        if (listenPort < 0 || listenPort > 65535) throw new IllegalArgumentException("listenPort out of range: " + listenPort);
        if (trunkPort <= 0 || trunkPort > 65535) throw new IllegalArgumentException("trunkPort out of range: " + trunkPort);
        if (inviteTimeout.isNegative() || inviteTimeout.isZero()) throw new IllegalArgumentException("inviteTimeout must be positive");
        if (ringTimeout.isNegative() || ringTimeout.isZero()) throw new IllegalArgumentException("ringTimeout must be positive");
        if (keepAliveInterval.isNegative()) throw new IllegalArgumentException("keepAliveInterval must not be negative");
        if (sessionExpires.isNegative() || !sessionExpires.isZero() && sessionExpires.compareTo(MIN_SESSION_EXPIRES) < 0) {
            throw new IllegalArgumentException("sessionExpires must be 0 (off) or at least 90 s, got " + sessionExpires);
        }
        if (fromDisplayName == null) fromDisplayName = "";
        Objects.requireNonNull(dialPlan, "dialPlan");
        Objects.requireNonNull(assertedIdentity, "assertedIdentity");
        Objects.requireNonNull(srtp, "srtp");
        if (assertedIdentity.isPresent() && !IDENTITY_USER.matcher(assertedIdentity.get()).matches()
                && !IDENTITY_URI.matcher(assertedIdentity.get()).matches()) {
            throw new IllegalArgumentException("assertedIdentity must be a number/user or a sip:, sips: or tel: URI, got '" + assertedIdentity.get() + "'");
        }
        if (maxRedirects < 0 || maxRedirects > 10) throw new IllegalArgumentException("maxRedirects must be 0-10, got " + maxRedirects);
    }

    /** Before dial plans, P-Asserted-Identity, redirects and SRTP were configurable: E.164 as given, none, 3, off. */
    public SipConfig(String listenHost, int listenPort, Transport transport,
                     String trunkHost, int trunkPort, Optional<Credentials> credentials,
                     String fromUser, String fromDisplayName,
                     Duration inviteTimeout, Duration ringTimeout,
                     List<TrunkHost> alternateTrunks, Duration keepAliveInterval, Duration sessionExpires,
                     Optional<TlsSettings> tls, Optional<RegistrationSettings> registration, Optional<TrunkHost> outboundProxy) {
        this(listenHost, listenPort, transport, trunkHost, trunkPort, credentials, fromUser, fromDisplayName,
                inviteTimeout, ringTimeout, alternateTrunks, keepAliveInterval, sessionExpires, tls, registration, outboundProxy,
                DialPlan.E164, Optional.empty(), DEFAULT_MAX_REDIRECTS, SrtpMode.OFF);
    }

    /** No TLS settings, REGISTER, outbound proxy, dial plan, P-Asserted-Identity or SRTP; 3 redirects. */
    public SipConfig(String listenHost, int listenPort, Transport transport,
                     String trunkHost, int trunkPort, Optional<Credentials> credentials,
                     String fromUser, String fromDisplayName,
                     Duration inviteTimeout, Duration ringTimeout,
                     List<TrunkHost> alternateTrunks, Duration keepAliveInterval, Duration sessionExpires) {
        this(listenHost, listenPort, transport, trunkHost, trunkPort, credentials, fromUser, fromDisplayName,
                inviteTimeout, ringTimeout, alternateTrunks, keepAliveInterval, sessionExpires, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** One trunk host, no keep-alive, no session timers. */
    public SipConfig(String listenHost, int listenPort, Transport transport,
                     String trunkHost, int trunkPort, Optional<Credentials> credentials,
                     String fromUser, String fromDisplayName,
                     Duration inviteTimeout, Duration ringTimeout) {
        this(listenHost, listenPort, transport, trunkHost, trunkPort, credentials, fromUser, fromDisplayName,
                inviteTimeout, ringTimeout, List.of(), Duration.ZERO, Duration.ZERO, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** All trunk hosts in priority order: {@code trunkHost:trunkPort} first, then the alternates. */
    public List<TrunkHost> trunks() {
        List<TrunkHost> all = new ArrayList<>();
        all.add(new TrunkHost(trunkHost, trunkPort));
        for (TrunkHost alternate : alternateTrunks) if (!all.contains(alternate)) all.add(alternate);
        return List.copyOf(all);
    }

    public SipConfig withAlternateTrunks(List<TrunkHost> alternates) {
        return new SipConfig(listenHost, listenPort, transport, trunkHost, trunkPort, credentials, fromUser, fromDisplayName,
                inviteTimeout, ringTimeout, alternates, keepAliveInterval, sessionExpires, tls, registration, outboundProxy, dialPlan, assertedIdentity, maxRedirects, srtp);
    }

    public SipConfig withKeepAliveInterval(Duration interval) {
        return new SipConfig(listenHost, listenPort, transport, trunkHost, trunkPort, credentials, fromUser, fromDisplayName,
                inviteTimeout, ringTimeout, alternateTrunks, interval, sessionExpires, tls, registration, outboundProxy, dialPlan, assertedIdentity, maxRedirects, srtp);
    }

    public SipConfig withSessionExpires(Duration expires) {
        return new SipConfig(listenHost, listenPort, transport, trunkHost, trunkPort, credentials, fromUser, fromDisplayName,
                inviteTimeout, ringTimeout, alternateTrunks, keepAliveInterval, expires, tls, registration, outboundProxy, dialPlan, assertedIdentity, maxRedirects, srtp);
    }

    public SipConfig withDialPlan(DialPlan plan) {
        return new SipConfig(listenHost, listenPort, transport, trunkHost, trunkPort, credentials, fromUser, fromDisplayName,
                inviteTimeout, ringTimeout, alternateTrunks, keepAliveInterval, sessionExpires, tls, registration, outboundProxy, plan, assertedIdentity, maxRedirects, srtp);
    }

    public SipConfig withAssertedIdentity(Optional<String> identity) {
        return new SipConfig(listenHost, listenPort, transport, trunkHost, trunkPort, credentials, fromUser, fromDisplayName,
                inviteTimeout, ringTimeout, alternateTrunks, keepAliveInterval, sessionExpires, tls, registration, outboundProxy, dialPlan, identity, maxRedirects, srtp);
    }

    public SipConfig withMaxRedirects(int redirects) {
        return new SipConfig(listenHost, listenPort, transport, trunkHost, trunkPort, credentials, fromUser, fromDisplayName,
                inviteTimeout, ringTimeout, alternateTrunks, keepAliveInterval, sessionExpires, tls, registration, outboundProxy, dialPlan, assertedIdentity, redirects, srtp);
    }

    public SipConfig withSrtp(SrtpMode mode) {
        return new SipConfig(listenHost, listenPort, transport, trunkHost, trunkPort, credentials, fromUser, fromDisplayName,
                inviteTimeout, ringTimeout, alternateTrunks, keepAliveInterval, sessionExpires, tls, registration, outboundProxy, dialPlan, assertedIdentity, maxRedirects, mode);
    }

    /** The dial plan for {@code trunk}: its own, else {@link #dialPlan()}. */
    public DialPlan dialPlanFor(TrunkHost trunk) {
        return trunk.dialPlan().orElse(dialPlan);
    }

    public SipConfig withTls(TlsSettings settings) {
        return new SipConfig(listenHost, listenPort, transport, trunkHost, trunkPort, credentials, fromUser, fromDisplayName,
                inviteTimeout, ringTimeout, alternateTrunks, keepAliveInterval, sessionExpires, Optional.of(settings), registration, outboundProxy, dialPlan, assertedIdentity, maxRedirects, srtp);
    }

    public SipConfig withRegistration(RegistrationSettings settings) {
        return new SipConfig(listenHost, listenPort, transport, trunkHost, trunkPort, credentials, fromUser, fromDisplayName,
                inviteTimeout, ringTimeout, alternateTrunks, keepAliveInterval, sessionExpires, tls, Optional.of(settings), outboundProxy, dialPlan, assertedIdentity, maxRedirects, srtp);
    }

    public SipConfig withOutboundProxy(TrunkHost proxy) {
        return new SipConfig(listenHost, listenPort, transport, trunkHost, trunkPort, credentials, fromUser, fromDisplayName,
                inviteTimeout, ringTimeout, alternateTrunks, keepAliveInterval, sessionExpires, tls, registration, Optional.of(proxy), dialPlan, assertedIdentity, maxRedirects, srtp);
    }
}
