package dev.ringback.media;

import dev.ringback.media.srtp.SrtpTransform;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/**
 * SDES keys (RFC 4568) for AES_CM_128_HMAC_SHA1_80, one per direction, each the base64 {@code inline:} value
 * of a 16-byte master key followed by a 14-byte master salt.
 *
 * @param sendInline    our key: what we put in our SDP offer/answer, protects what we send
 * @param receiveInline the peer's key from its SDP, checks and decrypts what we receive
 */
public record SrtpKeys(String sendInline, String receiveInline) {
    static final int KEY_LENGTH = SrtpTransform.KEY_LENGTH;
    static final int SALT_LENGTH = SrtpTransform.SALT_LENGTH;
    /** The SDP crypto suite these keys are for. */
    public static final String SUITE = "AES_CM_128_HMAC_SHA1_80";

    /** @throws IllegalArgumentException when a value is not base64 of exactly 30 bytes */
    public SrtpKeys {
        decode(Objects.requireNonNull(sendInline, "sendInline"), "send");
        decode(Objects.requireNonNull(receiveInline, "receiveInline"), "receive");
    }

    /** A fresh random key||salt for our side of an SDES offer or answer. */
    public static String newInlineKey(SecureRandom random) {
        byte[] keySalt = new byte[KEY_LENGTH + SALT_LENGTH];
        random.nextBytes(keySalt);
        return Base64.getEncoder().encodeToString(keySalt);
    }

    byte[] sendKeySalt() {
        return decode(sendInline, "send");
    }

    byte[] receiveKeySalt() {
        return decode(receiveInline, "receive");
    }

    private static byte[] decode(String inline, String which) {
        // an SDP inline value may carry "|lifetime|MKI" after the key: only the key is ours to read
        String base64 = inline.split("\\|", 2)[0].trim();
        byte[] keySalt;
        try {
            keySalt = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("SRTP " + which + " key is not base64", e);
        }
        if (keySalt.length != KEY_LENGTH + SALT_LENGTH) {
            throw new IllegalArgumentException("SRTP " + which + " key is " + keySalt.length + " bytes, "
                    + SUITE + " needs " + (KEY_LENGTH + SALT_LENGTH) + " (16 key + 14 salt)");
        }
        return keySalt;
    }
}
