package dev.ringback.sip.tls;

import dev.ringback.sip.SipStartException;
import gov.nist.javax.sip.SipStackImpl;
import java.util.Properties;
import javax.sip.PeerUnavailableException;

/**
 * A JAIN-SIP stack whose TLS key and trust managers are one agent's own. JAIN-SIP's blocking (default) transport makes
 * TLS sockets through the stack's network layer, its NIO transport through the security manager provider: both are set
 * here, right after the stack is constructed and before any listening point or connection exists.
 */
public final class TlsSipStack extends SipStackImpl {
    static final String PROVIDER_PROPERTY = "gov.nist.javax.sip.SECURITY_MANAGER_PROVIDER";
    private static final String[] MODERN_PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    /**
     * A stack with {@code properties} whose TLS uses {@code settings}' stores, loaded now.
     *
     * @throws SipStartException when a store cannot be read (missing file, wrong password, no usable trust manager)
     */
    public static TlsSipStack create(Properties properties, TlsSettings settings) throws SipStartException, PeerUnavailableException {
        return new TlsSipStack(properties, TlsMaterial.load(settings));
    }

    private TlsSipStack(Properties properties, TlsMaterial material) throws PeerUnavailableException {
        super(withProvider(properties));
        this.securityManagerProvider = new JainSipTlsProvider(material);
        this.networkLayer = new TlsNetworkLayer(material);
        // JAIN-SIP's own defaults are four RSA/3DES/anonymous suites and TLS 1.0-1.2: a server certificate on an EC key
        // then has "no cipher suites in common" with anyone. The JDK's defaults for our context instead.
        setEnabledCipherSuites(material.context().getDefaultSSLParameters().getCipherSuites());
        setEnabledProtocols(MODERN_PROTOCOLS);
    }

    private static Properties withProvider(Properties properties) {
        properties.setProperty(PROVIDER_PROPERTY, JainSipTlsProvider.class.getName());
        // trunks do not present client certificates to us; our trust store still judges every server we connect to
        properties.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", "Disabled");
        return properties;
    }
}
