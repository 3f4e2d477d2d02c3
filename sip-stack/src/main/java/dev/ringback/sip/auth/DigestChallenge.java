package dev.ringback.sip.auth;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import javax.sip.address.URI;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.WWWAuthenticateHeader;

/**
 * An RFC 2617 digest challenge (from a 401 WWW-Authenticate or 407 Proxy-Authenticate) and the answer to it.
 * Only MD5, with or without qop=auth; anything else is refused so the call fails as AUTH_FAILED, never loops.
 */
public record DigestChallenge(String realm, String nonce, Optional<String> opaque, Optional<String> algorithm,
                              boolean qopAuth, boolean stale) {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The challenge in a WWW-Authenticate or (a subtype) Proxy-Authenticate header. */
    public static DigestChallenge of(WWWAuthenticateHeader header) throws UnsupportedChallengeException {
        if (!"Digest".equalsIgnoreCase(header.getScheme())) {
            throw new UnsupportedChallengeException("unsupported auth scheme " + header.getScheme());
        }
        String algorithm = header.getAlgorithm();
        if (algorithm != null && !algorithm.equalsIgnoreCase("MD5")) {
            throw new UnsupportedChallengeException("unsupported digest algorithm " + algorithm);
        }
        String qop = header.getQop();
        boolean qopAuth = false;
        if (qop != null) {
            qopAuth = Arrays.stream(qop.split(",")).map(s -> s.trim().toLowerCase(Locale.ROOT)).anyMatch("auth"::equals);
            if (!qopAuth) throw new UnsupportedChallengeException("unsupported qop " + qop);
        }
        if (header.getRealm() == null || header.getNonce() == null) {
            throw new UnsupportedChallengeException("challenge without realm or nonce");
        }
        return new DigestChallenge(header.getRealm(), header.getNonce(), Optional.ofNullable(header.getOpaque()),
                Optional.ofNullable(algorithm), qopAuth, "true".equalsIgnoreCase(header.getParameter("stale")));
    }

    /** The answer's fields; {@code cnonce} and {@code nonceCount} are only meaningful with qop=auth. */
    public record Answer(String username, String realm, String nonce, String uri, String response,
                         Optional<String> opaque, Optional<String> algorithm, boolean qopAuth, String cnonce, int nonceCount) {

        /** The Authorization (401) or Proxy-Authorization (407) header that carries this answer for {@code requestUri}. */
        public AuthorizationHeader header(HeaderFactory headers, boolean proxy, URI requestUri) throws ParseException {
            AuthorizationHeader header = proxy
                    ? headers.createProxyAuthorizationHeader("Digest")
                    : headers.createAuthorizationHeader("Digest");
            header.setUsername(username);
            header.setRealm(realm);
            header.setNonce(nonce);
            header.setURI(requestUri);
            header.setResponse(response);
            if (algorithm.isPresent()) header.setAlgorithm(algorithm.get());
            if (opaque.isPresent()) header.setOpaque(opaque.get());
            if (qopAuth) {
                header.setQop("auth");
                header.setCNonce(cnonce);
                header.setNonceCount(nonceCount);
            }
            return header;
        }
    }

    /** The answer to this challenge for a request with {@code method} to {@code uri}, with a fresh cnonce. */
    public Answer answer(Credentials credentials, String method, String uri) {
        byte[] cnonceBytes = new byte[8];
        RANDOM.nextBytes(cnonceBytes);
        return answer(credentials, method, uri, HexFormat.of().formatHex(cnonceBytes), 1);
    }

    Answer answer(Credentials credentials, String method, String uri, String cnonce, int nonceCount) {
        String ha1 = md5(credentials.username() + ":" + realm + ":" + credentials.password());
        String ha2 = md5(method + ":" + uri);
        String nc = String.format("%08x", nonceCount);
        String response = qopAuth
                ? md5(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2)
                : md5(ha1 + ":" + nonce + ":" + ha2);
        return new Answer(credentials.username(), realm, nonce, uri, response, opaque, algorithm, qopAuth, cnonce, nonceCount);
    }

    private static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every Java runtime", e);
        }
    }

    /** A challenge we cannot answer: another scheme, algorithm or qop, or no realm or nonce. */
    public static final class UnsupportedChallengeException extends Exception {
        UnsupportedChallengeException(String message) {
            super(message);
        }
    }
}
