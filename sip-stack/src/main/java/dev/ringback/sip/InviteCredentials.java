package dev.ringback.sip;

import dev.ringback.sip.auth.Credentials;
import dev.ringback.sip.auth.DigestChallenge;
import java.text.ParseException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.ListIterator;
import java.util.Map;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.ProxyAuthenticateHeader;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * The digest credentials one call's INVITEs carry towards its current target. Keyed by header name + realm, so a
 * proxy's and a UAS's challenge can both be answered; bounded, so a misbehaving trunk cannot make us loop.
 */
final class InviteCredentials {
    /** Distinct challenges answered per target. */
    private static final int MAX_AUTH_ROUNDS = 2;

    private final AgentContext agent;
    private final Map<String, AuthorizationHeader> authorizations = new LinkedHashMap<>();
    private int rounds;

    InviteCredentials(AgentContext agent) {
        this.agent = agent;
    }

    /** A new target (another trunk host, a redirect): what we answered was for the old one's challenges. */
    void reset() {
        authorizations.clear();
        rounds = 0;
    }

    /**
     * Answers the 401/407 {@code challenge} to {@code invite}; afterwards {@link #headers()} are what the next INVITE
     * carries. Returns why it cannot (the call then fails AUTH_FAILED), or null.
     */
    String answer(Response challenge, Request invite) throws DigestChallenge.UnsupportedChallengeException, ParseException {
        if (agent.config.credentials().isEmpty()) {
            return OutboundCall.describe(challenge) + ": the trunk requires authentication but no credentials are configured";
        }
        Credentials credentials = agent.config.credentials().get();
        boolean proxy = challenge.getStatusCode() == Response.PROXY_AUTHENTICATION_REQUIRED;
        String challengeName = proxy ? ProxyAuthenticateHeader.NAME : WWWAuthenticateHeader.NAME;
        String answerName = proxy ? ProxyAuthorizationHeader.NAME : AuthorizationHeader.NAME;
        ListIterator<?> challenges = challenge.getHeaders(challengeName);
        if (challenges == null || !challenges.hasNext()) return OutboundCall.describe(challenge) + " without a " + challengeName + " header";
        if (++rounds > MAX_AUTH_ROUNDS) return OutboundCall.describe(challenge) + ": challenged again after sending credentials";
        String uri = invite.getRequestURI().toString();
        while (challenges.hasNext()) {
            DigestChallenge digest = DigestChallenge.of((WWWAuthenticateHeader) challenges.next());
            String key = answerName + " " + digest.realm();
            if (authorizations.containsKey(key) && !digest.stale()) {
                return OutboundCall.describe(challenge) + ": credentials for user " + credentials.username() + " rejected by realm " + digest.realm();
            }
            authorizations.put(key, digest.answer(credentials, Request.INVITE, uri).header(agent.headers, proxy, invite.getRequestURI()));
        }
        return null;
    }

    Collection<AuthorizationHeader> headers() {
        return authorizations.values();
    }
}
