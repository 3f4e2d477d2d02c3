package dev.ringback.sip.tls;

import gov.nist.core.net.SecurityManagerProvider;
import java.util.Properties;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;

/**
 * Gives a JAIN-SIP stack one agent's {@link TlsMaterial}. JAIN-SIP instantiates the class named in
 * {@code gov.nist.javax.sip.SECURITY_MANAGER_PROVIDER} by its public no-argument constructor, which is why this class
 * is public; {@link TlsSipStack} then swaps that empty instance for one holding the agent's material. Not for
 * application use. Naming this class keeps JAIN-SIP's default provider out, which would read JVM-wide
 * {@code javax.net.ssl.*} system properties in preference to the agent's own stores.
 */
public final class JainSipTlsProvider implements SecurityManagerProvider {
    private final TlsMaterial material;

    /** For JAIN-SIP's reflective construction only; replaced before any TLS socket exists. */
    public JainSipTlsProvider() {
        this.material = null;
    }

    JainSipTlsProvider(TlsMaterial material) {
        this.material = material;
    }

    @Override
    public void init(Properties properties) {
        // the material was loaded (and checked) when the agent started
    }

    @Override
    public KeyManager[] getKeyManagers(boolean client) {
        return material().keyManagers();
    }

    @Override
    public TrustManager[] getTrustManagers(boolean client) {
        return material().trustManagers();
    }

    private TlsMaterial material() {
        if (material == null) throw new IllegalStateException("TLS used on a stack that was not given the agent's TLS material");
        return material;
    }
}
