package dev.ringback.sip;

import dev.ringback.sip.auth.Credentials;
import dev.ringback.sip.tls.TlsSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a {@link SipUserAgent} needs; made with {@link #builder()}.
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
                        DialPlan dialPlan, Optional<String> assertedIdentity, int maxRedirects, SrtpMode srtp, List<String> inboundFrom) {
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
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(registration, "registration");
        Objects.requireNonNull(outboundProxy, "outboundProxy");
        Objects.requireNonNull(dialPlan, "dialPlan");
        Objects.requireNonNull(assertedIdentity, "assertedIdentity");
        Objects.requireNonNull(srtp, "srtp");
        alternateTrunks = List.copyOf(Objects.requireNonNull(alternateTrunks, "alternateTrunks"));
        inboundFrom = List.copyOf(Objects.requireNonNull(inboundFrom, "inboundFrom"));
        for (String host : inboundFrom) if (host.isBlank()) throw new IllegalArgumentException("an inbound host is blank");
        checkListenPort(listenPort);
        checkTrunkPort(trunkPort);
        checkPositive("inviteTimeout", inviteTimeout);
        checkPositive("ringTimeout", ringTimeout);
        checkKeepAliveInterval(keepAliveInterval);
        checkSessionExpires(sessionExpires);
        if (fromDisplayName == null) fromDisplayName = "";
        assertedIdentity.ifPresent(SipConfig::checkAssertedIdentity);
        checkMaxRedirects(maxRedirects);
    }

    /** A builder with every default: see {@link Builder}. The trunk host has none and must be set. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from this config. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** All trunk hosts in priority order: {@code trunkHost:trunkPort} first, then the alternates. */
    public List<TrunkHost> trunks() {
        List<TrunkHost> all = new ArrayList<>();
        all.add(new TrunkHost(trunkHost, trunkPort));
        for (TrunkHost alternate : alternateTrunks) if (!all.contains(alternate)) all.add(alternate);
        return List.copyOf(all);
    }

    /** The dial plan for {@code trunk}: its own, else {@link #dialPlan()}. */
    public DialPlan dialPlanFor(TrunkHost trunk) {
        return trunk.dialPlan().orElse(dialPlan);
    }

    private static void checkListenPort(int port) {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("listenPort out of range: " + port);
    }

    private static void checkTrunkPort(int port) {
        if (port <= 0 || port > 65535) throw new IllegalArgumentException("trunkPort out of range: " + port);
    }

    private static void checkPositive(String name, Duration timeout) {
        Objects.requireNonNull(timeout, name);
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException(name + " must be positive");
    }

    private static void checkKeepAliveInterval(Duration interval) {
        Objects.requireNonNull(interval, "keepAliveInterval");
        if (interval.isNegative()) throw new IllegalArgumentException("keepAliveInterval must not be negative");
    }

    private static void checkSessionExpires(Duration expires) {
        Objects.requireNonNull(expires, "sessionExpires");
        if (expires.isNegative() || !expires.isZero() && expires.compareTo(MIN_SESSION_EXPIRES) < 0) {
            throw new IllegalArgumentException("sessionExpires must be 0 (off) or at least 90 s, got " + expires);
        }
    }

    private static void checkAssertedIdentity(String identity) {
        if (!IDENTITY_USER.matcher(identity).matches() && !IDENTITY_URI.matcher(identity).matches()) {
            throw new IllegalArgumentException("assertedIdentity must be a number/user or a sip:, sips: or tel: URI, got '" + identity + "'");
        }
    }

    private static void checkMaxRedirects(int redirects) {
        if (redirects < 0 || redirects > 10) throw new IllegalArgumentException("maxRedirects must be 0-10, got " + redirects);
    }

    /**
     * Builds a {@link SipConfig}. Each setter refuses a bad value at once (IllegalArgumentException), so a caller can
     * tell which of its settings was wrong. Defaults: listen on 127.0.0.1, a free port, UDP; trunk port 5060; no
     * credentials; From user "ringback" with no display name; INVITE timeout 5 s, ring timeout 45 s; no alternate
     * trunks, keep-alive, session timer, TLS settings, registration or outbound proxy; E.164 dial plan; no
     * P-Asserted-Identity; 3 redirects ({@link SipConfig#DEFAULT_MAX_REDIRECTS}); no SRTP.
     */
    public static final class Builder {
        private String listenHost = "127.0.0.1";
        private int listenPort;
        private Transport transport = Transport.UDP;
        private String trunkHost;
        private int trunkPort = 5060;
        private Optional<Credentials> credentials = Optional.empty();
        private String fromUser = "ringback";
        private String fromDisplayName = "";
        private Duration inviteTimeout = Duration.ofSeconds(5);
        private Duration ringTimeout = Duration.ofSeconds(45);
        private List<TrunkHost> alternateTrunks = List.of();
        private Duration keepAliveInterval = Duration.ZERO;
        private Duration sessionExpires = Duration.ZERO;
        private Optional<TlsSettings> tls = Optional.empty();
        private Optional<RegistrationSettings> registration = Optional.empty();
        private Optional<TrunkHost> outboundProxy = Optional.empty();
        private DialPlan dialPlan = DialPlan.E164;
        private Optional<String> assertedIdentity = Optional.empty();
        private int maxRedirects = DEFAULT_MAX_REDIRECTS;
        private SrtpMode srtp = SrtpMode.OFF;
        private List<String> inboundFrom = List.of();

        private Builder() {
        }

        private Builder(SipConfig c) {
            listenHost = c.listenHost;
            listenPort = c.listenPort;
            transport = c.transport;
            trunkHost = c.trunkHost;
            trunkPort = c.trunkPort;
            credentials = c.credentials;
            fromUser = c.fromUser;
            fromDisplayName = c.fromDisplayName;
            inviteTimeout = c.inviteTimeout;
            ringTimeout = c.ringTimeout;
            alternateTrunks = c.alternateTrunks;
            keepAliveInterval = c.keepAliveInterval;
            sessionExpires = c.sessionExpires;
            tls = c.tls;
            registration = c.registration;
            outboundProxy = c.outboundProxy;
            dialPlan = c.dialPlan;
            assertedIdentity = c.assertedIdentity;
            maxRedirects = c.maxRedirects;
            srtp = c.srtp;
            inboundFrom = c.inboundFrom;
        }

        /** Where the agent listens; port 0 picks a free port below 32768. */
        public Builder listen(String host, int port) {
            checkListenPort(port);
            this.listenHost = Objects.requireNonNull(host, "listenHost");
            this.listenPort = port;
            return this;
        }

        public Builder transport(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /** The preferred trunk host; {@link #alternateTrunks(List)} are tried after it. */
        public Builder trunk(String host, int port) {
            checkTrunkPort(port);
            this.trunkHost = Objects.requireNonNull(host, "trunkHost");
            this.trunkPort = port;
            return this;
        }

        /** Digest credentials for 401/407 challenges and REGISTER. */
        public Builder credentials(Credentials credentials) {
            this.credentials = Optional.of(credentials);
            return this;
        }

        /** The From user of our requests and its display name ("" for none). */
        public Builder from(String user, String displayName) {
            this.fromUser = Objects.requireNonNull(user, "fromUser");
            this.fromDisplayName = displayName == null ? "" : displayName;
            return this;
        }

        public Builder inviteTimeout(Duration timeout) {
            checkPositive("inviteTimeout", timeout);
            this.inviteTimeout = timeout;
            return this;
        }

        public Builder ringTimeout(Duration timeout) {
            checkPositive("ringTimeout", timeout);
            this.ringTimeout = timeout;
            return this;
        }

        public Builder alternateTrunks(List<TrunkHost> alternates) {
            this.alternateTrunks = List.copyOf(alternates);
            return this;
        }

        public Builder keepAliveInterval(Duration interval) {
            checkKeepAliveInterval(interval);
            this.keepAliveInterval = interval;
            return this;
        }

        public Builder sessionExpires(Duration expires) {
            checkSessionExpires(expires);
            this.sessionExpires = expires;
            return this;
        }

        public Builder tls(TlsSettings settings) {
            this.tls = Optional.of(settings);
            return this;
        }

        public Builder registration(RegistrationSettings settings) {
            this.registration = Optional.of(settings);
            return this;
        }

        public Builder outboundProxy(TrunkHost proxy) {
            this.outboundProxy = Optional.of(proxy);
            return this;
        }

        public Builder dialPlan(DialPlan plan) {
            this.dialPlan = Objects.requireNonNull(plan, "dialPlan");
            return this;
        }

        public Builder assertedIdentity(String identity) {
            checkAssertedIdentity(Objects.requireNonNull(identity, "assertedIdentity"));
            this.assertedIdentity = Optional.of(identity);
            return this;
        }

        public Builder maxRedirects(int redirects) {
            checkMaxRedirects(redirects);
            this.maxRedirects = redirects;
            return this;
        }

        public Builder srtp(SrtpMode mode) {
            this.srtp = Objects.requireNonNull(mode, "srtp");
            return this;
        }

        /** @throws NullPointerException when no trunk host was set */
        /** Hosts calls may come in from besides the trunk, its alternates, the outbound proxy and the registrar. */
        public Builder inboundFrom(List<String> hosts) {
            this.inboundFrom = List.copyOf(hosts);
            return this;
        }

        public SipConfig build() {
            return new SipConfig(listenHost, listenPort, transport, trunkHost, trunkPort, credentials, fromUser, fromDisplayName,
                    inviteTimeout, ringTimeout, alternateTrunks, keepAliveInterval, sessionExpires, tls, registration, outboundProxy,
                    dialPlan, assertedIdentity, maxRedirects, srtp, inboundFrom);
        }
    }
}
