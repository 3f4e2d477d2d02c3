package dev.ringback.sip.tls;

import dev.ringback.sip.SipStartException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent's TLS key and trust managers and the SSL context made of them, loaded from its {@link TlsSettings} when the
 * agent starts (so a missing file or wrong password stops the start with a clear message, not the first call). A peer
 * certificate we refuse fails the handshake with a message that names the certificate and says it is not trusted.
 */
final class TlsMaterial {
    private static final Logger LOG = LoggerFactory.getLogger(TlsMaterial.class);

    private final KeyManager[] keyManagers;
    private final TrustManager[] trustManagers;
    private final SSLContext context;
    private final boolean verifyHostname;

    private TlsMaterial(KeyManager[] keyManagers, TrustManager[] trustManagers, SSLContext context, boolean verifyHostname) {
        this.keyManagers = keyManagers;
        this.trustManagers = trustManagers;
        this.context = context;
        this.verifyHostname = verifyHostname;
    }

    static TlsMaterial load(TlsSettings settings) throws SipStartException {
        try {
            KeyManager[] keys = new KeyManager[0];
            if (settings.keyStore().isPresent()) {
                KeyStoreFile file = settings.keyStore().get();
                KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                factory.init(read(file, "key store"), file.password().toCharArray());
                keys = factory.getKeyManagers();
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            // null: the JVM's default CA certificates
            factory.init(settings.trustStore().isPresent() ? read(settings.trustStore().get(), "trust store") : null);
            X509ExtendedTrustManager trust = null;
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager x509) trust = x509;
            }
            if (trust == null) throw new SipStartException("no X.509 trust manager available for TLS", null);
            TrustManager[] trustManagers = {new ReportingTrustManager(trust)};
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trustManagers, null);
            return new TlsMaterial(keys, trustManagers, context, settings.verifyHostname());
        } catch (GeneralSecurityException e) {
            throw new SipStartException("cannot set up TLS from " + settings + ": " + e.getMessage(), e);
        }
    }

    private static KeyStore read(KeyStoreFile file, String what) throws SipStartException, GeneralSecurityException {
        if (!Files.isReadable(file.path())) throw new SipStartException("TLS " + what + " " + file.path() + " is not a readable file", null);
        try (InputStream in = Files.newInputStream(file.path())) {
            KeyStore store = KeyStore.getInstance(file.type());
            store.load(in, file.password().toCharArray());
            return store;
        } catch (IOException e) {
            // KeyStore reports a wrong password as an IOException
            throw new SipStartException("cannot read TLS " + what + " " + file + ": " + e.getMessage(), e);
        }
    }

    KeyManager[] keyManagers() {
        return keyManagers.clone();
    }

    TrustManager[] trustManagers() {
        return trustManagers.clone();
    }

    SSLContext context() {
        return context;
    }

    /** Whether a server's certificate must name the host we connected to (RFC 5922), on top of being trusted. */
    boolean verifyHostname() {
        return verifyHostname;
    }

    /**
     * Delegates every decision to the real trust manager, overload for overload: the socket/engine ones are where JSSE
     * checks the peer's name. A refusal names the certificate, because the handshake error is all a failed call shows.
     */
    private static final class ReportingTrustManager extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager delegate;

        ReportingTrustManager(X509ExtendedTrustManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            reporting("server", chain, () -> delegate.checkServerTrusted(chain, authType));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            reporting("client", chain, () -> delegate.checkClientTrusted(chain, authType));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            reporting("server", chain, () -> delegate.checkServerTrusted(chain, authType, socket));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            reporting("server", chain, () -> delegate.checkServerTrusted(chain, authType, engine));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            reporting("client", chain, () -> delegate.checkClientTrusted(chain, authType, socket));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            reporting("client", chain, () -> delegate.checkClientTrusted(chain, authType, engine));
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }

        private interface Check {
            void run() throws CertificateException;
        }

        private void reporting(String role, X509Certificate[] chain, Check check) throws CertificateException {
            try {
                check.run();
            } catch (CertificateException e) {
                throw refused(role, chain, e);
            }
        }

        private CertificateException refused(String role, X509Certificate[] chain, CertificateException cause) {
            String subject = chain == null || chain.length == 0 ? "(no certificate)" : chain[0].getSubjectX500Principal().getName();
            String reason = "TLS " + role + " certificate not trusted: " + subject + " (" + rootCause(cause) + ")";
            LOG.warn(reason);
            return new CertificateException(reason, cause);
        }

        private static String rootCause(Throwable e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) root = root.getCause();
            return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        }
    }
}
