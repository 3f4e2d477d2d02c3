package dev.ringback.sip;

import dev.ringback.sip.tls.KeyStoreFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Self-signed certificates for TLS tests, made with the JDK's keytool: a key store (PKCS12) per party, the
 * certificate as PEM, and for non-Java peers (baresip) the key and certificate together as PEM.
 */
final class TestCertificates {
    static final String PASSWORD = "changeit";

    private final Path dir;

    TestCertificates(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    /** A key pair for {@code name}, certificate for CN=127.0.0.1 with IP SAN 127.0.0.1: the key store holding it. */
    KeyStoreFile keyPair(String name) throws IOException, InterruptedException {
        return keyPair(name, "127.0.0.1");
    }

    /** A key pair whose certificate names only the IP address {@code address}. */
    KeyStoreFile keyPair(String name, String address) throws IOException, InterruptedException {
        return keyPair(name, address, "ip:" + address);
    }

    /** A key pair whose certificate names only the DNS name {@code host}. */
    KeyStoreFile keyPairForHostName(String name, String host) throws IOException, InterruptedException {
        return keyPair(name, host, "dns:" + host);
    }

    private KeyStoreFile keyPair(String name, String commonName, String subjectAlternativeName) throws IOException, InterruptedException {
        Path store = dir.resolve(name + ".p12");
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                "-dname", "CN=" + commonName + ", O=Ringback test " + name, "-ext", "san=" + subjectAlternativeName, "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", name, "-keystore", store.toString(), "-storepass", PASSWORD,
                "-file", certificatePem(name).toString());
        return KeyStoreFile.pkcs12(store, PASSWORD);
    }

    /** The PEM certificate of a {@link #keyPair} made before. */
    Path certificatePem(String name) {
        return dir.resolve(name + ".crt");
    }

    /** A trust store holding the certificates of the named key pairs. */
    KeyStoreFile trustStore(String storeName, String... trusted) throws IOException, InterruptedException {
        Path store = dir.resolve(storeName + ".p12");
        for (String name : trusted) {
            keytool("-importcert", "-noprompt", "-alias", name, "-file", certificatePem(name).toString(),
                    "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", PASSWORD);
        }
        return KeyStoreFile.pkcs12(store, PASSWORD);
    }

    /** Private key (PKCS#8) and certificate of a key pair in one PEM file, as OpenSSL-based peers read them. */
    Path keyAndCertificatePem(String name) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(name + ".p12"))) {
            store.load(in, PASSWORD.toCharArray());
        }
        Key key = store.getKey(name, PASSWORD.toCharArray());
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n"
                + Files.readString(certificatePem(name), StandardCharsets.US_ASCII);
        Path file = dir.resolve(name + "-key-and-cert.pem");
        Files.writeString(file, pem, StandardCharsets.US_ASCII);
        return file;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) throw new IllegalStateException("keytool failed: " + command + "\n" + output);
    }
}
