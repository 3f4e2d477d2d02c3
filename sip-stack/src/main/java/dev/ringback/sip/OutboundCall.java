package dev.ringback.sip;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.InvalidArgumentException;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.TimeoutEvent;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ProxyAuthenticateHeader;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.RetryAfterHeader;
import javax.sip.header.ViaHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call we place through the trunk: the explicit UAC state machine. This is the only place that reads the
 * status codes of responses to our INVITE and turns them into {@link CallEvent}s. Runs on the agent's event thread.
 */
final class OutboundCall implements SipCall, ActiveCall {
    private static final Logger LOG = LoggerFactory.getLogger(OutboundCall.class);
    /** Distinct challenges answered per call; a bound so a misbehaving trunk cannot make us loop. */
    private static final int MAX_AUTH_ROUNDS = 2;
    private static final String MIN_SE = "Min-SE";
    private static final String P_ASSERTED_IDENTITY = "P-Asserted-Identity";
    /** The longest session interval we agree to when the far end's 422 asks for more (a day). */
    private static final long MAX_SESSION_EXPIRES_SECONDS = 86_400;

    private enum State {
        /** INVITE sent, no provisional response yet. */
        CALLING,
        /** A provisional response arrived; the ring timer runs. */
        PROCEEDING,
        /** CANCEL sent, waiting for the INVITE's final response. */
        CANCELLING,
        /** 2xx received and acknowledged. */
        CONFIRMED,
        TERMINATED
    }

    private final AgentContext agent;
    private final String callId;
    private final String number;
    private final MediaOffer offer;
    private final CallEventSink events;
    private final DialogSession session;

    private State state = State.CALLING;
    /** Trunk hosts to try, in order; {@code routeIndex} is the one the current INVITE went to. */
    private List<TrunkHost> route;
    private int routeIndex;
    private Request invite;
    private ClientTransaction inviteTx;
    private Dialog dialog;
    private Request lastAck;
    private boolean responseSeen;
    /** Hang-up asked for before any provisional response: a CANCEL must wait for one (RFC 3261 9.1). */
    private boolean hangUpPending;
    private boolean cancelledForRingTimeout;
    private int authRounds;
    private boolean sessionIntervalRaised;
    /** Credentials sent so far, keyed by header name + realm, so a proxy and a UAS challenge can both be answered. */
    private final Map<String, AuthorizationHeader> authorizations = new LinkedHashMap<>();
    /** Where this call's INVITEs went, for following 3xx without looping; set when the first INVITE is built. */
    private RedirectTargets redirects;
    private ScheduledFuture<?> inviteTimer;
    private ScheduledFuture<?> ringTimer;
    private ScheduledFuture<?> cancelGuard;

    OutboundCall(AgentContext agent, String callId, String number, MediaOffer offer, CallListener listener) {
        this.agent = agent;
        this.callId = callId;
        this.number = number;
        this.offer = offer;
        this.events = new CallEventSink(callId, listener);
        Optional<SdesKey> srtpKey = agent.config.srtp() == SrtpMode.REQUIRED ? Optional.of(SessionDescriptions.newKey()) : Optional.empty();
        this.session = new DialogSession(agent, callId, offer, srtpKey, events, this::hangUpNow);
    }

    @Override
    public String callId() {
        return callId;
    }

    @Override
    public void hangUp() {
        agent.execute(() -> hangUpNow("hung up"));
    }

    @Override
    public java.util.concurrent.CompletableFuture<TransferResult> transfer(String targetE164) {
        return agent.transfer(() -> session, targetE164);
    }

    /** Builds and sends the initial INVITE. */
    void start() {
        route = agent.trunks.dialOrder();
        try {
            invite = buildInvite(trunk());
            redirects = new RedirectTargets((SipURI) invite.getRequestURI(), agent.config.maxRedirects());
        } catch (ParseException | InvalidArgumentException | RuntimeException e) {
            LOG.warn("call {}: cannot build an INVITE for {}", callId, number, e);
            terminate();
            events.failed(CallOutcome.FAILED, 0, "cannot build an INVITE for " + number + ": " + e.getMessage());
            return;
        }
        try {
            send(invite);
        } catch (SipException | RuntimeException e) {
            LOG.warn("call {}: could not send INVITE to {} via {}", callId, number, trunk(), e);
            if (failOver(0)) return;
            abandon();
            events.failed(CallOutcome.TRUNK_UNAVAILABLE, 0, "could not send INVITE: " + e.getMessage());
        }
    }

    private TrunkHost trunk() {
        return route.get(routeIndex);
    }

    /**
     * After a 503 or silence ({@code status} 0) from the current trunk host: marks it, and re-sends the INVITE to the
     * next host of the route. False when no host is left (or we no longer want the call): the caller fails the call.
     */
    private boolean failOver(int status) {
        agent.trunks.observed(trunk(), status);
        while (routeIndex + 1 < route.size() && !hangUpPending && (state == State.CALLING || state == State.PROCEEDING)) {
            TrunkHost failed = trunk();
            routeIndex++;
            LOG.info("call {}: trunk {} {}; trying {}", callId, failed, status == 0 ? "did not answer" : "answered " + status, trunk());
            try {
                Request retry = buildInvite(trunk());
                ((CSeqHeader) retry.getHeader(CSeqHeader.NAME)).setSeqNumber(((CSeqHeader) invite.getHeader(CSeqHeader.NAME)).getSeqNumber() + 1);
                authorizations.clear(); // credentials were for the previous host's challenges
                authRounds = 0;
                state = State.CALLING;
                invite = retry;
                redirects.tried((SipURI) retry.getRequestURI());
                send(retry);
                return true;
            } catch (ParseException | InvalidArgumentException | SipException | RuntimeException e) {
                LOG.warn("call {}: could not send INVITE via {}", callId, trunk(), e);
                agent.trunks.observed(trunk(), 0);
            }
        }
        return false;
    }

    private Request buildInvite(TrunkHost trunk) throws ParseException, InvalidArgumentException {
        SipConfig config = agent.config;
        SipURI target = agent.dialTarget(number, trunk);
        if (config.transport() != Transport.UDP) target.setTransportParam(config.transport().token());

        SipURI fromUri = agent.addresses.createSipURI(config.fromUser(), trunk.host());
        Address fromAddress = agent.addresses.createAddress(fromUri);
        if (!config.fromDisplayName().isBlank()) fromAddress.setDisplayName(config.fromDisplayName());
        FromHeader from = agent.headers.createFromHeader(fromAddress, AgentContext.newTag());

        Request request = agent.messages.createRequest(target, Request.INVITE,
                agent.headers.createCallIdHeader(callId),
                agent.headers.createCSeqHeader(1L, Request.INVITE),
                from,
                agent.headers.createToHeader(agent.addresses.createAddress(target), null),
                java.util.List.of(newVia()),
                agent.headers.createMaxForwardsHeader(70),
                agent.headers.createContentTypeHeader("application", "sdp"),
                session.initialOffer().getBytes(StandardCharsets.US_ASCII));
        request.addHeader(agent.contact(config.fromUser()));
        OutboundRoute.viaOutboundProxy(agent, request);
        request.addHeader(agent.headers.createAllowHeader(AgentContext.ALLOWED_METHODS));
        if (!config.sessionExpires().isZero()) {
            // RFC 4028: we offer to refresh; the answer's Session-Expires decides who does
            request.addHeader(agent.headers.createSupportedHeader("timer"));
            request.addHeader(agent.headers.createHeader(DialogSession.SessionExpires.NAME, config.sessionExpires().toSeconds() + ";refresher=uac"));
            request.addHeader(agent.headers.createHeader(MIN_SE, Long.toString(SipConfig.MIN_SESSION_EXPIRES.toSeconds())));
        }
        if (config.assertedIdentity().isPresent()) request.addHeader(assertedIdentity(config.assertedIdentity().get(), trunk));
        request.addHeader(agent.headers.createUserAgentHeader(java.util.List.of("Ringback")));
        return request;
    }

    /** RFC 3325 P-Asserted-Identity: a number/user at the trunk host, or a full sip:/tel: URI, with our display name. */
    private javax.sip.header.Header assertedIdentity(String identity, TrunkHost trunk) throws ParseException {
        String uri = identity.contains(":") ? identity : "sip:" + identity + "@" + trunk.host();
        String display = agent.config.fromDisplayName().replace("\\", "").replace("\"", "");
        return agent.headers.createHeader(P_ASSERTED_IDENTITY, (display.isBlank() ? "" : "\"" + display + "\" ") + "<" + uri + ">");
    }

    private ViaHeader newVia() throws ParseException, InvalidArgumentException {
        ViaHeader via = agent.headers.createViaHeader(agent.config.listenHost(), agent.localPort,
                agent.config.transport().token(), AgentContext.newBranch());
        via.setRPort();
        return via;
    }

    private void send(Request request) throws SipException {
        ClientTransaction tx = agent.provider.getNewClientTransaction(request);
        inviteTx = tx;
        dialog = tx.getDialog();
        responseSeen = false;
        cancel(inviteTimer);
        cancel(ringTimer);
        ringTimer = null; // a re-sent (authenticated) INVITE rings afresh
        tx.sendRequest();
        // armed once sent: a TCP/TLS connect and handshake (done inside sendRequest) is not the far end's silence
        inviteTimer = agent.schedule(agent.config.inviteTimeout(), () -> onInviteTimeout(tx));
    }

    // ---- responses: the one place that reads status codes ----

    @Override
    public void onResponse(ResponseEvent event) {
        if (session.onResponse(event)) return;
        Response response = event.getResponse();
        CSeqHeader cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
        if (cseq == null || !Request.INVITE.equals(cseq.getMethod())) return; // BYE/CANCEL answers change nothing
        int status = response.getStatusCode();
        if (status >= 200 && status < 300) {
            onSuccess(event, cseq.getSeqNumber());
            return;
        }
        if (event.getClientTransaction() == null || event.getClientTransaction() != inviteTx) return; // an earlier, challenged INVITE
        responseSeen = true;
        cancel(inviteTimer);
        if (status < 200) {
            onProvisional(response, status);
        } else {
            onFailure(response, status);
        }
    }

    private void onProvisional(Response response, int status) {
        if (ringTimer == null) {
            ClientTransaction tx = inviteTx;
            ringTimer = agent.schedule(agent.config.ringTimeout(), () -> onRingTimeout(tx));
        }
        if (hangUpPending) {
            sendCancel();
            return;
        }
        if (state == State.CALLING) state = State.PROCEEDING;
        if (state != State.PROCEEDING || status == Response.TRYING) return;
        boolean hasSdp = response.getRawContent() != null && response.getRawContent().length > 0;
        if (hasSdp) {
            try {
                events.earlyMedia(SessionDescriptions.negotiate(response.getRawContent(), SessionDescriptions.Choice.FIRST_LISTED_BY_REMOTE,
                        session.localKey()));
            } catch (SdpNegotiationException e) {
                LOG.info("call {}: ignoring early media in {}: {}", callId, status, e.getMessage());
            }
        }
        if (status == Response.RINGING || !hasSdp) events.ringing(status);
    }

    private void onSuccess(ResponseEvent event, long cseq) {
        Dialog answeredDialog = event.getDialog() != null ? event.getDialog() : dialog;
        if (lastAck != null) {
            if (answeredDialog == dialog) {
                resendAck(answeredDialog);
            } else if (sendAck(answeredDialog, cseq)) {
                agent.sendBye(answeredDialog, callId); // a second, forked answer: we already have our call
            }
            return;
        }
        responseSeen = true;
        cancelTimers();
        if (!sendAck(answeredDialog, cseq)) {
            terminate();
            events.failed(CallOutcome.FAILED, event.getResponse().getStatusCode(), "could not acknowledge the answer");
            return;
        }
        dialog = answeredDialog;
        if (state == State.CALLING && !hangUpPending || state == State.PROCEEDING) {
            try {
                MediaAnswer media = SessionDescriptions.negotiate(event.getResponse().getRawContent(),
                        SessionDescriptions.Choice.FIRST_LISTED_BY_REMOTE, session.localKey());
                state = State.CONFIRMED;
                session.established(dialog, media, trunk());
                events.answered(media);
                session.startSessionTimer(event.getResponse(), true);
            } catch (SdpNegotiationException e) {
                agent.sendBye(dialog, callId);
                terminate();
                LOG.info("call {}: answer unusable, hanging up: {}", callId, e.getMessage());
                events.failed(e.outcome(), 200, "answer unusable: " + e.getMessage());
            }
            return;
        }
        // answered after we gave up on it (hang-up or ring timeout crossed the 200): take it down again
        agent.sendBye(dialog, callId);
        terminate();
        if (cancelledForRingTimeout) events.failed(CallOutcome.NO_ANSWER, 200, "answered after the ring timeout; hung up");
    }

    private void onFailure(Response response, int status) {
        cancelTimers();
        if (state == State.CANCELLING || hangUpPending) {
            terminate();
            if (cancelledForRingTimeout) {
                events.failed(CallOutcome.NO_ANSWER, status, "no answer within " + agent.config.ringTimeout().toSeconds() + " s; " + describe(response));
            }
            return;
        }
        if (status == Response.SERVICE_UNAVAILABLE && failOver(status)) return;
        if (status >= 300 && status <= 302) {
            followRedirect(response);
            return;
        }
        if (status == SESSION_INTERVAL_TOO_SMALL && retryWithLongerSession(response)) return;
        if (status == Response.UNAUTHORIZED || status == Response.PROXY_AUTHENTICATION_REQUIRED) {
            String problem = resendWithCredentials(response);
            if (problem == null) return;
            terminate();
            events.failed(CallOutcome.AUTH_FAILED, status, problem);
            return;
        }
        terminate();
        events.failed(outcomeFor(status), status, describe(response));
    }

    static CallOutcome outcomeFor(int status) {
        return switch (status) {
            case 486, 600 -> CallOutcome.BUSY;
            case 480, 408, 487 -> CallOutcome.NO_ANSWER;
            case 603 -> CallOutcome.DECLINED;
            case 404, 484, 410, 604 -> CallOutcome.NOT_FOUND;
            case 403 -> CallOutcome.FORBIDDEN;
            case 488, 606, 415 -> CallOutcome.NO_COMMON_CODEC;
            case 401, 407 -> CallOutcome.AUTH_FAILED;
            default -> status >= 500 && status < 600 ? CallOutcome.TRUNK_UNAVAILABLE : CallOutcome.FAILED;
        };
    }

    private static String describe(Response response) {
        String text = response.getStatusCode() + " " + response.getReasonPhrase();
        RetryAfterHeader retryAfter = (RetryAfterHeader) response.getHeader(RetryAfterHeader.NAME);
        return retryAfter == null ? text : text + "; Retry-After: " + retryAfter.getRetryAfter();
    }

    private static final int SESSION_INTERVAL_TOO_SMALL = 422;

    /**
     * 300/301/302: a new INVITE (same Call-ID and From tag, next CSeq, RFC 3261 8.1.3.4) to the best Contact not tried
     * yet; credentials are dropped, they were for the old target. Bounded by {@link SipConfig#maxRedirects()}.
     */
    private void followRedirect(Response redirect) {
        List<RedirectTargets.Candidate> contacts = new java.util.ArrayList<>();
        ListIterator<?> headers = redirect.getHeaders(ContactHeader.NAME);
        while (headers != null && headers.hasNext()) {
            ContactHeader contact = (ContactHeader) headers.next();
            if (contact.getAddress() == null || !(contact.getAddress().getURI() instanceof SipURI uri)) continue; // tel:, *, …
            float q = contact.getQValue();
            contacts.add(new RedirectTargets.Candidate(uri, q < 0 ? 1f : q));
        }
        RedirectTargets.Decision decision = redirects.next(contacts);
        if (decision instanceof RedirectTargets.Follow follow) {
            try {
                SipURI target = (SipURI) follow.target().clone();
                target.removeParameter("method"); // Contact URI parameters that do not belong in a Request-URI
                target.removeParameter("maddr");
                Request retry = (Request) invite.clone();
                retry.setRequestURI(target);
                retry.removeHeader(AuthorizationHeader.NAME);
                retry.removeHeader(ProxyAuthorizationHeader.NAME);
                CSeqHeader cseq = (CSeqHeader) retry.getHeader(CSeqHeader.NAME);
                cseq.setSeqNumber(cseq.getSeqNumber() + 1);
                retry.removeHeader(ViaHeader.NAME);
                retry.addFirst(newVia());
                authorizations.clear();
                authRounds = 0;
                state = State.CALLING;
                invite = retry;
                LOG.info("call {}: {} redirects to {}", callId, redirect.getStatusCode(), target);
                send(retry);
            } catch (ParseException | InvalidArgumentException | SipException | RuntimeException e) {
                LOG.warn("call {}: could not follow the redirect to {}", callId, follow.target(), e);
                terminate();
                events.failed(CallOutcome.FAILED, redirect.getStatusCode(), describe(redirect) + ": could not follow: " + e.getMessage());
            }
            return;
        }
        terminate();
        if (decision instanceof RedirectTargets.Loop loop) {
            events.failed(CallOutcome.REDIRECT_LOOP, redirect.getStatusCode(), describe(redirect) + ": redirected back to " + loop.target());
        } else if (decision instanceof RedirectTargets.TooMany tooMany) {
            events.failed(CallOutcome.TOO_MANY_REDIRECTS, redirect.getStatusCode(), describe(redirect) + ": more than " + tooMany.limit() + " redirections");
        } else {
            events.failed(CallOutcome.FAILED, redirect.getStatusCode(), describe(redirect) + " without a usable sip: Contact");
        }
    }

    /** RFC 4028 6: the far end answered 422 with its Min-SE; ask once more with that interval. False if we cannot. */
    private boolean retryWithLongerSession(Response tooSmall) {
        if (agent.config.sessionExpires().isZero() || sessionIntervalRaised) return false;
        DialogSession.SessionExpires minimum = DialogSession.SessionExpires.of(tooSmall.getHeader(MIN_SE));
        if (minimum == null || minimum.seconds() > MAX_SESSION_EXPIRES_SECONDS) return false;
        sessionIntervalRaised = true;
        try {
            Request retry = (Request) invite.clone();
            retry.removeHeader(DialogSession.SessionExpires.NAME);
            retry.removeHeader(MIN_SE);
            retry.addHeader(agent.headers.createHeader(DialogSession.SessionExpires.NAME, minimum.seconds() + ";refresher=uac"));
            retry.addHeader(agent.headers.createHeader(MIN_SE, Long.toString(minimum.seconds())));
            CSeqHeader cseq = (CSeqHeader) retry.getHeader(CSeqHeader.NAME);
            cseq.setSeqNumber(cseq.getSeqNumber() + 1);
            retry.removeHeader(ViaHeader.NAME);
            retry.addFirst(newVia());
            invite = retry;
            LOG.info("call {}: session interval too small for the far end; asking again with {} s", callId, minimum.seconds());
            send(retry);
            return true;
        } catch (ParseException | InvalidArgumentException | SipException | RuntimeException e) {
            LOG.warn("call {}: could not re-send INVITE with a longer session interval", callId, e);
            return false;
        }
    }

    /** Re-sends the INVITE with digest credentials; returns why it cannot (then the call fails AUTH_FAILED), or null. */
    private String resendWithCredentials(Response challenge) {
        if (agent.config.credentials().isEmpty()) {
            return describe(challenge) + ": the trunk requires authentication but no credentials are configured";
        }
        Credentials credentials = agent.config.credentials().get();
        boolean proxy = challenge.getStatusCode() == Response.PROXY_AUTHENTICATION_REQUIRED;
        String challengeName = proxy ? ProxyAuthenticateHeader.NAME : WWWAuthenticateHeader.NAME;
        String answerName = proxy ? ProxyAuthorizationHeader.NAME : AuthorizationHeader.NAME;
        ListIterator<?> challenges = challenge.getHeaders(challengeName);
        if (challenges == null || !challenges.hasNext()) return describe(challenge) + " without a " + challengeName + " header";
        if (++authRounds > MAX_AUTH_ROUNDS) return describe(challenge) + ": challenged again after sending credentials";
        try {
            String uri = invite.getRequestURI().toString();
            while (challenges.hasNext()) {
                DigestChallenge digest = DigestChallenge.of((WWWAuthenticateHeader) challenges.next());
                String key = answerName + " " + digest.realm();
                if (authorizations.containsKey(key) && !digest.stale()) {
                    return describe(challenge) + ": credentials for user " + credentials.username() + " rejected by realm " + digest.realm();
                }
                authorizations.put(key, agent.authorization(proxy, digest.answer(credentials, Request.INVITE, uri), invite.getRequestURI()));
            }
            Request retry = (Request) invite.clone();
            retry.removeHeader(AuthorizationHeader.NAME);
            retry.removeHeader(ProxyAuthorizationHeader.NAME);
            for (AuthorizationHeader header : authorizations.values()) retry.addHeader(header);
            CSeqHeader cseq = (CSeqHeader) retry.getHeader(CSeqHeader.NAME);
            cseq.setSeqNumber(cseq.getSeqNumber() + 1);
            retry.removeHeader(ViaHeader.NAME);
            retry.addFirst(newVia());
            invite = retry;
            LOG.info("call {}: answering {} challenge as {}", callId, challenge.getStatusCode(), credentials.username());
            send(retry);
            return null;
        } catch (DigestChallenge.UnsupportedChallengeException e) {
            return describe(challenge) + ": " + e.getMessage();
        } catch (ParseException | InvalidArgumentException | SipException | RuntimeException e) {
            LOG.warn("call {}: could not re-send INVITE with credentials", callId, e);
            return describe(challenge) + ": could not re-send with credentials: " + e.getMessage();
        }
    }

    // ---- timers ----

    private void onInviteTimeout(ClientTransaction tx) {
        if (tx != inviteTx || responseSeen || state == State.TERMINATED) return;
        TrunkHost silent = trunk();
        dropTransaction();
        if (failOver(0)) return;
        terminate();
        events.failed(CallOutcome.TRUNK_UNAVAILABLE, 0, "no response from " + silent + " within " + agent.config.inviteTimeout().toMillis() + " ms"
                + (route.size() > 1 ? " (all " + route.size() + " trunk hosts tried)" : ""));
    }

    private void onRingTimeout(ClientTransaction tx) {
        if (tx != inviteTx || state != State.PROCEEDING) return;
        LOG.info("call {}: no answer within {}, cancelling", callId, agent.config.ringTimeout());
        cancelledForRingTimeout = true;
        sendCancel();
    }

    private void sendCancel() {
        state = State.CANCELLING;
        try {
            Request cancel = inviteTx.createCancel();
            agent.provider.getNewClientTransaction(cancel).sendRequest();
        } catch (SipException | RuntimeException e) {
            LOG.warn("call {}: could not send CANCEL", callId, e);
        }
        cancel(cancelGuard);
        cancelGuard = agent.schedule(agent.config.inviteTimeout(), this::onCancelUnanswered);
    }

    private void onCancelUnanswered() {
        if (state != State.CANCELLING) return;
        abandon();
        if (cancelledForRingTimeout) events.failed(CallOutcome.NO_ANSWER, 0, "no answer; the CANCEL got no final response");
    }

    // ---- requests from the far end and from our side ----

    @Override
    public void onRequest(Request request, ServerTransaction transaction, Dialog requestDialog) {
        if (state == State.CONFIRMED && session.onRequest(request, transaction)) return;
        if (transaction == null) return; // an ACK we have no use for
        if (!Request.BYE.equals(request.getMethod())) {
            if (Request.INVITE.equals(request.getMethod()) || Request.UPDATE.equals(request.getMethod())) {
                agent.respond(transaction, request, Response.REQUEST_PENDING); // the call is not confirmed yet
            } else {
                agent.respondNotAllowed(transaction, request);
            }
            return;
        }
        agent.respond(transaction, request, Response.OK);
        if (state == State.TERMINATED) return;
        terminate();
        events.ended(true, "remote hung up");
    }

    @Override
    public void onTimeout(TimeoutEvent event) {
        if (session.onTimeout(event)) return;
        if (event.isServerTransaction() || event.getClientTransaction() != inviteTx || state == State.TERMINATED) return;
        if (state == State.CANCELLING) {
            onCancelUnanswered();
            return;
        }
        abandon();
        events.failed(responseSeen ? CallOutcome.NO_ANSWER : CallOutcome.TRUNK_UNAVAILABLE, 0, "INVITE transaction timed out");
    }

    @Override
    public void closeByAgent() {
        hangUpNow("agent closed");
    }

    private void hangUpNow(String reason) {
        switch (state) {
            case CALLING -> {
                if (hangUpPending) return;
                hangUpPending = true;
                events.ended(false, reason + " before answer");
            }
            case PROCEEDING -> {
                events.ended(false, reason + " before answer");
                sendCancel();
            }
            case CONFIRMED -> {
                agent.sendBye(dialog, callId);
                terminate();
                events.ended(false, reason);
            }
            case CANCELLING, TERMINATED -> { }
        }
    }

    // ---- plumbing ----

    private boolean sendAck(Dialog answered, long cseq) {
        try {
            Request ack = answered.createAck(cseq);
            answered.sendAck(ack);
            if (lastAck == null) lastAck = ack;
            return true;
        } catch (SipException | InvalidArgumentException | RuntimeException e) {
            LOG.warn("call {}: could not send ACK", callId, e);
            return false;
        }
    }

    private void resendAck(Dialog answered) {
        try {
            answered.sendAck(lastAck);
        } catch (SipException | RuntimeException e) {
            LOG.debug("call {}: could not re-send ACK", callId, e);
        }
    }

    /** The call is over for us: stops timers and forgets the call. */
    private void terminate() {
        state = State.TERMINATED;
        session.close("call ended");
        cancelTimers();
        agent.unregister(callId);
    }

    /** Terminates the call and drops an INVITE transaction that never got a final response. */
    private void abandon() {
        terminate();
        dropTransaction();
    }

    private void dropTransaction() {
        if (inviteTx == null) return;
        try {
            inviteTx.terminate();
        } catch (javax.sip.ObjectInUseException | RuntimeException e) {
            LOG.debug("call {}: INVITE transaction already gone", callId, e);
        }
        if (dialog != null) dialog.delete();
    }

    private void cancelTimers() {
        cancel(inviteTimer);
        cancel(ringTimer);
        cancel(cancelGuard);
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) timer.cancel(false);
    }
}
