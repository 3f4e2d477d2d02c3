package dev.ringback.sip;

import java.text.ParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.InvalidArgumentException;
import javax.sip.ObjectInUseException;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.TimeoutEvent;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.RetryAfterHeader;
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
    private final InviteBuilder invites;

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
    /** Set when the first INVITE is built. */
    private InviteRetries retries;
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
        this.invites = new InviteBuilder(agent, callId, number, session::initialOffer);
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
    public CompletableFuture<TransferResult> transfer(String targetE164) {
        return agent.transfer(() -> session, targetE164);
    }

    /** Builds and sends the initial INVITE. */
    void start() {
        route = agent.trunks.dialOrder();
        try {
            invite = invites.first(trunk());
            retries = new InviteRetries(agent, callId, invites, (SipURI) invite.getRequestURI());
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
                Request retry = invites.toNextTrunk(invite, trunk());
                retries.newTarget((SipURI) retry.getRequestURI());
                sendNext(retry, true);
                return true;
            } catch (ParseException | InvalidArgumentException | SipException | RuntimeException e) {
                LOG.warn("call {}: could not send INVITE via {}", callId, trunk(), e);
                agent.trunks.observed(trunk(), 0);
            }
        }
        return false;
    }

    /**
     * Sends the call's next INVITE. A new target (another trunk host, a redirect) starts afresh: its challenges are
     * answered anew and it may ring again.
     */
    private void sendNext(Request next, boolean newTarget) throws SipException {
        if (newTarget) {
            retries.forgetCredentials();
            state = State.CALLING;
        }
        invite = next;
        send(next);
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
        InviteRetries.Result retry = retries.after(response, invite, this::sendNext);
        if (retry instanceof InviteRetries.Retried) return;
        terminate();
        if (retry instanceof InviteRetries.Failed failed) {
            events.failed(failed.outcome(), status, failed.reason());
        } else {
            events.failed(CallOutcome.forStatus(status), status, describe(response));
        }
    }

    static String describe(Response response) {
        String text = response.getStatusCode() + " " + response.getReasonPhrase();
        RetryAfterHeader retryAfter = (RetryAfterHeader) response.getHeader(RetryAfterHeader.NAME);
        return retryAfter == null ? text : text + "; Retry-After: " + retryAfter.getRetryAfter();
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
        } catch (ObjectInUseException | RuntimeException e) {
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
