package dev.ringback.sip;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * One side's SDES master key (RFC 4568), as carried in an SDP {@code a=crypto} line. Only
 * {@value #AES_CM_128_HMAC_SHA1_80} is supported: a 16-byte master key and a 14-byte master salt. The bytes are
 * copied in and out; {@link #toString()} never shows them (call events are logged).
 */
public record SdesKey(String suite, byte[] key, byte[] salt) {
    public static final String AES_CM_128_HMAC_SHA1_80 = "AES_CM_128_HMAC_SHA1_80";
    public static final int KEY_LENGTH = 16;
    public static final int SALT_LENGTH = 14;

    /** @throws IllegalArgumentException for another suite or wrong key/salt lengths */
    public SdesKey {
        Objects.requireNonNull(suite, "suite");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(salt, "salt");
        if (!AES_CM_128_HMAC_SHA1_80.equals(suite)) throw new IllegalArgumentException("unsupported SRTP crypto suite " + suite);
        if (key.length != KEY_LENGTH || salt.length != SALT_LENGTH) {
            throw new IllegalArgumentException(suite + " needs a 16-byte key and a 14-byte salt, got " + key.length + " and " + salt.length);
        }
        key = key.clone();
        salt = salt.clone();
    }

    /** A fresh random key and salt. */
    public static SdesKey random(SecureRandom random) {
        byte[] keySalt = new byte[KEY_LENGTH + SALT_LENGTH];
        random.nextBytes(keySalt);
        return ofKeySalt(keySalt);
    }

    /**
     * Parses an SDP {@code inline:} value (without the {@code inline:} prefix): base64 of key||salt, optionally followed
     * by {@code |lifetime}. An MKI ({@code |n:len}) is refused: our SRTP packets carry none.
     *
     * @throws IllegalArgumentException when the value is not usable
     */
    public static SdesKey fromInline(String suite, String inline) {
        Objects.requireNonNull(inline, "inline");
        String[] parts = inline.trim().split("\\|");
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].contains(":")) throw new IllegalArgumentException("SRTP key with an MKI is not supported");
        }
        byte[] keySalt;
        try {
            keySalt = Base64.getDecoder().decode(parts[0]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("SRTP inline key is not base64", e);
        }
        if (keySalt.length != KEY_LENGTH + SALT_LENGTH) {
            throw new IllegalArgumentException("SRTP inline key is " + keySalt.length + " bytes, " + suite + " needs 30");
        }
        return new SdesKey(suite, Arrays.copyOf(keySalt, KEY_LENGTH), Arrays.copyOfRange(keySalt, KEY_LENGTH, KEY_LENGTH + SALT_LENGTH));
    }

    private static SdesKey ofKeySalt(byte[] keySalt) {
        return new SdesKey(AES_CM_128_HMAC_SHA1_80, Arrays.copyOf(keySalt, KEY_LENGTH),
                Arrays.copyOfRange(keySalt, KEY_LENGTH, KEY_LENGTH + SALT_LENGTH));
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    /** Base64 of key||salt: the SDP {@code inline:} value, and what media's SRTP keys are built from. */
    public String inline() {
        byte[] keySalt = Arrays.copyOf(key, KEY_LENGTH + SALT_LENGTH);
        System.arraycopy(salt, 0, keySalt, KEY_LENGTH, SALT_LENGTH);
        return Base64.getEncoder().encodeToString(keySalt);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SdesKey that && suite.equals(that.suite)
                && MessageDigest.isEqual(key, that.key) && MessageDigest.isEqual(salt, that.salt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(suite, Arrays.hashCode(key), Arrays.hashCode(salt));
    }

    @Override
    public String toString() {
        return "SdesKey[" + suite + ", key and salt hidden]";
    }
}
