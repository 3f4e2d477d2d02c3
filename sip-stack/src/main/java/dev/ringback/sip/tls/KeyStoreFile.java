package dev.ringback.sip.tls;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A Java key store on disk (PKCS12 or JKS): a trust store (certificates we accept from TLS peers) or a key store
 * (our own certificate and private key). {@link #toString()} never shows the password.
 *
 * @param type "PKCS12" (keytool's default) or "JKS"
 */
public record KeyStoreFile(Path path, String password, String type) {
    public KeyStoreFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(type, "type");
        if (type.isBlank()) throw new IllegalArgumentException("key store type is blank");
    }

    /** A PKCS12 store. */
    public static KeyStoreFile pkcs12(Path path, String password) {
        return new KeyStoreFile(path, password, "PKCS12");
    }

    @Override
    public String toString() {
        return "KeyStoreFile[" + path + ", " + type + ", password=****]";
    }
}
