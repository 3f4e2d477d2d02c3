package dev.ringback.sip;

import dev.ringback.sip.auth.DigestChallenge;
import java.text.ParseException;
import javax.sip.InvalidArgumentException;
import javax.sip.SipException;
import javax.sip.address.SipURI;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The final responses to our INVITE that one call answers with another INVITE: a 3xx (the best Contact not tried
 * yet), a 422 (a longer session interval) and a 401/407 (digest credentials). Each is bounded, so no far end can
 * make a call loop. Runs on the agent's event thread, for {@link OutboundCall}.
 */
final class InviteRetries {
    private static final Logger LOG = LoggerFactory.getLogger(InviteRetries.class);
    private static final int SESSION_INTERVAL_TOO_SMALL = 422;
    /** The longest session interval we agree to when the far end's 422 asks for more (a day). */
    private static final long MAX_SESSION_EXPIRES_SECONDS = 86_400;

    /** Sends the call's next INVITE; a new target (another trunk host, a redirect) answers its challenges anew. */
    @FunctionalInterface
    interface Sender {
        void send(Request next, boolean newTarget) throws SipException;
    }

    /** What became of a failure response. */
    sealed interface Result permits Retried, Failed, NotRetried {}

    /** Another INVITE is on its way. */
    record Retried() implements Result {}

    /** The call fails for this reason; the response's own status is the one to report. */
    record Failed(CallOutcome outcome, String reason) implements Result {}

    /** Not a response we retry, or the retry could not be made: the call fails as the status says. */
    record NotRetried() implements Result {}

    private final AgentContext agent;
    private final String callId;
    private final InviteBuilder invites;
    private final InviteCredentials credentials;
    /** Where this call's INVITEs went, for following 3xx without looping. */
    private final RedirectTargets redirects;
    private boolean sessionIntervalRaised;

    InviteRetries(AgentContext agent, String callId, InviteBuilder invites, SipURI firstTarget) {
        this.agent = agent;
        this.callId = callId;
        this.invites = invites;
        this.credentials = new InviteCredentials(agent);
        this.redirects = new RedirectTargets(firstTarget, agent.config.maxRedirects());
    }

    /** The call's INVITE now goes to {@code target} (the next trunk host): a redirect back to where it was is a loop. */
    void newTarget(SipURI target) {
        redirects.tried(target);
    }

    /** A new target was sent to: the credentials so far were for the old one's challenges. */
    void forgetCredentials() {
        credentials.reset();
    }

    /** Answers the final response {@code failure} to {@code invite} with the next INVITE, when it is one we retry. */
    Result after(Response failure, Request invite, Sender sender) {
        int status = failure.getStatusCode();
        if (status >= 300 && status <= 302) return followRedirect(failure, invite, sender);
        if (status == SESSION_INTERVAL_TOO_SMALL && retryWithLongerSession(failure, invite, sender)) return new Retried();
        if (status == Response.UNAUTHORIZED || status == Response.PROXY_AUTHENTICATION_REQUIRED) {
            String problem = resendWithCredentials(failure, invite, sender);
            return problem == null ? new Retried() : new Failed(CallOutcome.AUTH_FAILED, problem);
        }
        return new NotRetried();
    }

    /**
     * 300/301/302: a new INVITE (same Call-ID and From tag, next CSeq, RFC 3261 8.1.3.4) to the best Contact not tried
     * yet; credentials are dropped, they were for the old target. Bounded by {@link SipConfig#maxRedirects()}.
     */
    private Result followRedirect(Response redirect, Request invite, Sender sender) {
        String describe = OutboundCall.describe(redirect);
        RedirectTargets.Decision decision = redirects.next(RedirectTargets.candidates(redirect));
        if (decision instanceof RedirectTargets.Follow follow) {
            try {
                Request retry = invites.redirected(invite, follow.target());
                LOG.info("call {}: {} redirects to {}", callId, redirect.getStatusCode(), retry.getRequestURI());
                sender.send(retry, true);
                return new Retried();
            } catch (ParseException | InvalidArgumentException | SipException | RuntimeException e) {
                LOG.warn("call {}: could not follow the redirect to {}", callId, follow.target(), e);
                return new Failed(CallOutcome.FAILED, describe + ": could not follow: " + e.getMessage());
            }
        }
        if (decision instanceof RedirectTargets.Loop loop) {
            return new Failed(CallOutcome.REDIRECT_LOOP, describe + ": redirected back to " + loop.target());
        } else if (decision instanceof RedirectTargets.TooMany tooMany) {
            return new Failed(CallOutcome.TOO_MANY_REDIRECTS, describe + ": more than " + tooMany.limit() + " redirections");
        }
        return new Failed(CallOutcome.FAILED, describe + " without a usable sip: Contact");
    }

    /** RFC 4028 6: the far end answered 422 with its Min-SE; ask once more with that interval. False if we cannot. */
    private boolean retryWithLongerSession(Response tooSmall, Request invite, Sender sender) {
        if (agent.config.sessionExpires().isZero() || sessionIntervalRaised) return false;
        SessionExpires minimum = SessionExpires.of(tooSmall.getHeader(InviteBuilder.MIN_SE));
        if (minimum == null || minimum.seconds() > MAX_SESSION_EXPIRES_SECONDS) return false;
        sessionIntervalRaised = true;
        try {
            Request retry = invites.withSessionInterval(invite, minimum.seconds());
            LOG.info("call {}: session interval too small for the far end; asking again with {} s", callId, minimum.seconds());
            sender.send(retry, false);
            return true;
        } catch (ParseException | InvalidArgumentException | SipException | RuntimeException e) {
            LOG.warn("call {}: could not re-send INVITE with a longer session interval", callId, e);
            return false;
        }
    }

    /** Re-sends the INVITE with digest credentials; returns why it cannot (then the call fails AUTH_FAILED), or null. */
    private String resendWithCredentials(Response challenge, Request invite, Sender sender) {
        try {
            String problem = credentials.answer(challenge, invite);
            if (problem != null) return problem;
            Request retry = invites.withCredentials(invite, credentials.headers());
            LOG.info("call {}: answering {} challenge as {}", callId, challenge.getStatusCode(), agent.config.credentials().get().username());
            sender.send(retry, false);
            return null;
        } catch (DigestChallenge.UnsupportedChallengeException e) {
            return OutboundCall.describe(challenge) + ": " + e.getMessage();
        } catch (ParseException | InvalidArgumentException | SipException | RuntimeException e) {
            LOG.warn("call {}: could not re-send INVITE with credentials", callId, e);
            return OutboundCall.describe(challenge) + ": could not re-send with credentials: " + e.getMessage();
        }
    }
}
