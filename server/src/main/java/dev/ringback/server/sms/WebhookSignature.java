package dev.ringback.server.sms;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Webhook signatures. Twilio: {@code X-Twilio-Signature} = base64(HMAC-SHA1(auth token, full URL + each
 * POST parameter name and value, sorted by name)). JSON: {@code X-Ringback-Signature: sha256=<hex HMAC-SHA256 of the body>}.
 * Comparisons are constant-time so a forger learns nothing from response timing.
 */
public final class WebhookSignature {
    private WebhookSignature() {}

    public static String twilio(String authToken, String url, Map<String, String> params) {
        StringBuilder data = new StringBuilder(url);
        new TreeMap<>(params).forEach((k, v) -> data.append(k).append(v));
        return Base64.getEncoder().encodeToString(hmac("HmacSHA1", authToken, data.toString().getBytes(StandardCharsets.UTF_8)));
    }

    public static boolean twilioValid(String authToken, String url, Map<String, String> params, String header) {
        return header != null && same(twilio(authToken, url, params), header.trim());
    }

    public static String json(String secret, byte[] body) {
        return "sha256=" + HexFormat.of().formatHex(hmac("HmacSHA256", secret, body));
    }

    public static boolean jsonValid(String secret, byte[] body, String header) {
        return header != null && same(json(secret, body), header.trim().toLowerCase(Locale.ROOT));
    }

    private static boolean same(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(String algorithm, String key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is part of every JRE", e);
        }
    }
}
