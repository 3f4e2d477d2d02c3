package dev.ringback.server.config;

import dev.ringback.sip.auth.Credentials;
import dev.ringback.sip.DialPlan;
import dev.ringback.sip.tls.KeyStoreFile;
import dev.ringback.sip.RegistrationSettings;
import dev.ringback.sip.SipConfig;
import dev.ringback.sip.SrtpMode;
import dev.ringback.sip.tls.TlsSettings;
import dev.ringback.sip.Transport;
import dev.ringback.sip.TrunkHost;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/** The {@code sip.*} keys of ringback.yaml as the SIP user agent's config; every error names the key and where it came from. */
final class SipSettings {
    private SipSettings() {}

    static SipConfig read(ConfigSource c) {
        Transport transport = transport(c, "sip.trunk.transport");
        var sip = SipConfig.builder()
                .listen(c.string("sip.listen.host", "127.0.0.1"), c.port("sip.listen.port", 5060))
                .transport(transport)
                .trunk(c.string("sip.trunk.host"), c.port("sip.trunk.port", 5060))
                .from(c.string("sip.from.user", "ringback"), c.string("sip.from.display-name", "Ringback"))
                .inviteTimeout(Duration.ofMillis(c.integer("sip.invite-timeout-ms", 5000)))
                .ringTimeout(Duration.ofSeconds(c.integer("sip.ring-timeout-s", 45)))
                .alternateTrunks(hosts(c, "sip.trunk.alternates"))
                .inboundFrom(list(c, "sip.inbound.allow"));
        String user = c.string("sip.trunk.username", "");
        if (!user.isEmpty()) sip.credentials(new Credentials(user, c.string("sip.trunk.password", "")));
        int keepAlive = c.integer("sip.trunk.keepalive-s", 0);
        int sessionExpires = c.integer("sip.session-expires-s", 0);
        int redirects = c.integer("sip.max-redirects", 3);
        checked(c, "sip.trunk.keepalive-s", () -> sip.keepAliveInterval(Duration.ofSeconds(keepAlive)));
        checked(c, "sip.session-expires-s", () -> sip.sessionExpires(Duration.ofSeconds(sessionExpires)));
        checked(c, "sip.max-redirects", () -> sip.maxRedirects(redirects));
        sip.dialPlan(dialPlan(c)).srtp(srtp(c));
        c.optional("sip.p-asserted-identity").ifPresent(sip::assertedIdentity);
        c.optional("sip.outbound-proxy").ifPresent(v -> sip.outboundProxy(host(c, "sip.outbound-proxy", v)));
        if (transport == Transport.TLS) sip.tls(tls(c));
        Optional<String> registerAs = c.optional("sip.register.user");
        if (registerAs.isPresent()) {
            var registration = checked(c, "sip.register.user", () -> RegistrationSettings.of(registerAs.get()))
                    .withExpires(Duration.ofSeconds(Math.max(1, c.integer("sip.register.expires-s", 3600))));
            Optional<String> domain = c.optional("sip.register.domain");
            if (domain.isPresent()) registration = registration.withDomain(domain.get());
            sip.registration(registration);
        }
        return sip.build();
    }

    /** The user agent's own validation, reported against the key that carried the value. */
    /** A comma-separated list of host names or addresses (empty entries ignored). */
    private static List<String> list(ConfigSource c, String key) {
        List<String> out = new ArrayList<>();
        for (String v : c.string(key, "").split(",")) if (!v.isBlank()) out.add(v.strip());
        return out;
    }

    private static <T> T checked(ConfigSource c, String key, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + ": " + e.getMessage() + " (from " + c.originOf(key) + ")");
        }
    }

    private static DialPlan dialPlan(ConfigSource c) {
        String key = "sip.trunk.dial-plan";
        DialPlan plan = switch (c.string(key, "e164").toLowerCase(Locale.ROOT)) {
            case "e164" -> DialPlan.E164;
            case "digits" -> DialPlan.digitsOnly();
            case "national" -> checked(c, "sip.trunk.country-code", () -> DialPlan.national(c.string("sip.trunk.country-code", ""),
                    c.string("sip.trunk.national-prefix", "0"), c.string("sip.trunk.international-prefix", "")));
            default -> throw new ConfigException(key + " must be e164, digits or national, got '" + c.string(key, "")
                    + "' (from " + c.originOf(key) + ")");
        };
        return checked(c, "sip.trunk.tech-prefix", () -> plan.withTechPrefix(c.string("sip.trunk.tech-prefix", "")));
    }

    private static SrtpMode srtp(ConfigSource c) {
        String key = "sip.srtp";
        String v = c.string(key, "off").toLowerCase(Locale.ROOT);
        return switch (v) {
            case "off", "false" -> SrtpMode.OFF; // an unquoted YAML off reads as false
            case "required" -> SrtpMode.REQUIRED;
            default -> throw new ConfigException(key + " must be off or required, got '" + v + "' (from " + c.originOf(key) + ")");
        };
    }

    private static TlsSettings tls(ConfigSource c) {
        Optional<KeyStoreFile> trust = c.optional("sip.tls.trust-store")
                .map(p -> KeyStoreFile.pkcs12(Path.of(p), c.string("sip.tls.trust-store-password", "")));
        Optional<KeyStoreFile> own = c.optional("sip.tls.key-store")
                .map(p -> KeyStoreFile.pkcs12(Path.of(p), c.string("sip.tls.key-store-password", "")));
        return new TlsSettings(trust, own, c.bool("sip.tls.verify-hostname", true));
    }

    private static List<TrunkHost> hosts(ConfigSource c, String key) {
        List<TrunkHost> hosts = new ArrayList<>();
        for (String part : c.string(key, "").split(",")) {
            if (!part.isBlank()) hosts.add(host(c, key, part.strip()));
        }
        return hosts;
    }

    /** "host:port", or "host" for port 5060. */
    private static TrunkHost host(ConfigSource c, String key, String value) {
        int colon = value.lastIndexOf(':');
        try {
            return colon < 0 ? new TrunkHost(value, 5060)
                    : new TrunkHost(value.substring(0, colon), Integer.parseInt(value.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + " must be host[:port], got '" + value + "' (from " + c.originOf(key) + ")");
        }
    }

    private static Transport transport(ConfigSource c, String key) {
        String t = c.string(key, "udp").toUpperCase(Locale.ROOT);
        try {
            return Transport.valueOf(t);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + " must be udp, tcp or tls, got '" + t.toLowerCase(Locale.ROOT) + "' (from " + c.originOf(key) + ")");
        }
    }
}
