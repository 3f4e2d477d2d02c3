package dev.ringback.sip.tls;

import java.util.Objects;
import java.util.Optional;

/**
 * TLS for one agent (used when {@link dev.ringback.sip.SipConfig#transport()} is {@link dev.ringback.sip.Transport#TLS}). These are the agent's own
 * stores: JVM-wide {@code javax.net.ssl.*} system properties are not consulted.
 *
 * @param trustStore certificates we accept from the trunk (and from peers calling us); empty: the JVM's default CAs
 * @param keyStore   our certificate and key, shown to peers that connect to our TLS listening port; empty: we only
 *                   connect out (in-dialog requests from the far end then only reach us over our own connection)
 * @param verifyHostname the trunk's certificate must also name the host (or IP address) we connect to (RFC 5922);
 *                   turn off only for a trunk reached by an address its certificate does not carry
 */
public record TlsSettings(Optional<KeyStoreFile> trustStore, Optional<KeyStoreFile> keyStore, boolean verifyHostname) {
    public TlsSettings {
        Objects.requireNonNull(trustStore, "trustStore");
        Objects.requireNonNull(keyStore, "keyStore");
    }

    /** Trusts only the certificates in {@code trustStore}; no certificate of our own. */
    public static TlsSettings trusting(KeyStoreFile trustStore) {
        return new TlsSettings(Optional.of(trustStore), Optional.empty(), true);
    }

    /** The JVM's default certificate authorities; no certificate of our own. */
    public static TlsSettings defaultTrust() {
        return new TlsSettings(Optional.empty(), Optional.empty(), true);
    }

    public TlsSettings withKeyStore(KeyStoreFile ourCertificate) {
        return new TlsSettings(trustStore, Optional.of(ourCertificate), verifyHostname);
    }

    public TlsSettings withoutHostnameVerification() {
        return new TlsSettings(trustStore, keyStore, false);
    }
}
