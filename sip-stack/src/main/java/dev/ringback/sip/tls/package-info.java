/**
 * TLS for one agent's JAIN-SIP stack, from that agent's own key and trust stores ({@link dev.ringback.sip.tls.TlsSettings})
 * rather than JVM-wide system properties, with hostname checks (RFC 5922) and handshake failures that name the
 * certificate. {@link dev.ringback.sip.tls.TlsSipStack} and {@link dev.ringback.sip.tls.JainSipTlsProvider} are public
 * only because the agent's start-up and JAIN-SIP's reflection need them; applications configure TLS through
 * {@link dev.ringback.sip.tls.TlsSettings} and {@link dev.ringback.sip.tls.KeyStoreFile} alone.
 */
package dev.ringback.sip.tls;
