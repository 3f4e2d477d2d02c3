package dev.ringback.agent.tools;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 over (call id, turn, tool, canonical arguments): a retried turn maps to the same key. */
public final class IdempotencyKey {
    private IdempotencyKey() {}

    public static String of(String callId, int turn, String tool, String canonicalArgsJson) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            String material = callId + '\u0000' + turn + '\u0000' + tool + '\u0000' + canonicalArgsJson;
            return HexFormat.of().formatHex(sha.digest(material.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
