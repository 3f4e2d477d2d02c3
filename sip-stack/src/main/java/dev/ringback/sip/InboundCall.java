package dev.ringback.sip;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import javax.sip.Dialog;
import javax.sip.InvalidArgumentException;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.TimeoutEvent;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An INVITE we received: the UAS state machine. Runs on the agent's event thread. */
final class InboundCall implements IncomingCall, ActiveCall {
    private static final Logger LOG = LoggerFactory.getLogger(InboundCall.class);
    /** RFC 3261 64*T1: how long our 200 OK may wait for its ACK. */
    private static final Duration ACK_WAIT = Duration.ofSeconds(32);

    private enum State {
        /** Ringing on our side: waiting for answer/reject/hangUp. */
        OFFERED,
        /** 200 OK sent, waiting for the ACK. */
        ANSWERED,
        CONFIRMED,
        TERMINATED
    }

    private final AgentContext agent;
    private final String callId;
    private final Request invite;
    private final ServerTransaction inviteTx;
    private final MediaAnswer offered;
    private final String toTag = AgentContext.newTag();

    private State state = State.OFFERED;
    private boolean cancelledByCaller;
    private CallEventSink events;
    private DialogSession session;
    /** Our 200 OK: its Session-Expires starts the session timer once the ACK confirms the call. */
    private Response answer;
    private Dialog dialog;
    private ScheduledFuture<?> ackGuard;

    InboundCall(AgentContext agent, String callId, Request invite, ServerTransaction inviteTx, MediaAnswer offered) {
        this.agent = agent;
        this.callId = callId;
        this.invite = invite;
        this.inviteTx = inviteTx;
        this.offered = offered;
    }

    @Override
    public String callId() {
        return callId;
    }

    @Override
    public String fromUser() {
        return userOf(((FromHeader) invite.getHeader(FromHeader.NAME)).getAddress().getURI());
    }

    @Override
    public String toUser() {
        return userOf(((ToHeader) invite.getHeader(ToHeader.NAME)).getAddress().getURI());
    }

    private static String userOf(URI uri) {
        return uri instanceof SipURI sip && sip.getUser() != null ? sip.getUser() : uri.toString();
    }

    @Override
    public MediaAnswer offered() {
        return offered;
    }

    @Override
    public void answer(MediaOffer local, CallListener listener) {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(listener, "listener");
        agent.execute(() -> answerNow(local, listener));
    }

    @Override
    public void reject(int status, String reason) {
        if (status < 300 || status > 699) throw new IllegalArgumentException("reject needs a 3xx-6xx status, got " + status);
        agent.execute(() -> {
            if (state != State.OFFERED) return;
            sendFinal(status, reason);
        });
    }

    @Override
    public void hangUp() {
        agent.execute(() -> hangUpNow("hung up"));
    }

    @Override
    public java.util.concurrent.CompletableFuture<TransferResult> transfer(String targetE164) {
        return agent.transfer(() -> session, targetE164);
    }

    private void answerNow(MediaOffer local, CallListener listener) {
        if (events == null) events = new CallEventSink(callId, listener);
        if (state != State.OFFERED) {
            if (cancelledByCaller) events.ended(true, "caller cancelled before answer");
            return;
        }
        try {
            inviteTx.sendResponse(response(Response.RINGING));
            Response ok = response(Response.OK);
            session = new DialogSession(agent, callId, local, offered.srtp().map(SdesKeys::send), events, this::hangUpNow);
            ok.addHeader(agent.headers.createAllowHeader(AgentContext.ALLOWED_METHODS));
            SessionTimer.agree(agent, invite, ok); // RFC 4028 as UAS: both sides agree in our 200
            ok.setContent(session.initialAnswer(offered).getBytes(StandardCharsets.US_ASCII),
                    agent.headers.createContentTypeHeader("application", "sdp"));
            inviteTx.sendResponse(ok);
            answer = ok;
            dialog = inviteTx.getDialog();
            state = State.ANSWERED;
            ackGuard = agent.schedule(ACK_WAIT, this::onAckMissing);
        } catch (ParseException | SipException | InvalidArgumentException | RuntimeException e) {
            LOG.warn("call {}: could not answer", callId, e);
            terminate();
            events.failed(CallOutcome.FAILED, 0, "could not answer: " + e.getMessage());
        }
    }

    private Response response(int status) throws ParseException {
        Response response = agent.messages.createResponse(status, invite);
        ((ToHeader) response.getHeader(ToHeader.NAME)).setTag(toTag);
        response.addHeader(agent.contact(agent.config.fromUser()));
        return response;
    }

    private void sendFinal(int status, String reason) {
        try {
            Response response = response(status);
            if (reason != null && !reason.isBlank()) response.setReasonPhrase(reason);
            inviteTx.sendResponse(response);
        } catch (ParseException | SipException | InvalidArgumentException | RuntimeException e) {
            LOG.warn("call {}: could not send {}", callId, status, e);
            AgentContext.abandon(inviteTx);
        }
        terminate();
    }

    private void onAckMissing() {
        if (state != State.ANSWERED) return;
        agent.sendBye(dialog, callId);
        terminate();
        events.failed(CallOutcome.FAILED, 0, "no ACK for our 200 OK");
    }

    @Override
    public void onRequest(Request request, ServerTransaction transaction, Dialog requestDialog) {
        if (state == State.CONFIRMED && session.onRequest(request, transaction)) return;
        switch (request.getMethod()) {
            case Request.ACK -> {
                if (state != State.ANSWERED) return;
                state = State.CONFIRMED;
                cancelAckGuard();
                session.established(dialog, offered, agent.trunks.preferred());
                events.answered(offered);
                session.startSessionTimer(answer, false);
            }
            case Request.BYE -> {
                agent.respond(transaction, request, Response.OK);
                if (state != State.ANSWERED && state != State.CONFIRMED) return;
                terminate();
                events.ended(true, "remote hung up");
            }
            case Request.CANCEL -> {
                agent.respond(transaction, request, Response.OK);
                if (state != State.OFFERED) return;
                cancelledByCaller = true;
                sendFinal(Response.REQUEST_TERMINATED, null);
            }
            case Request.INVITE, Request.UPDATE -> agent.respond(transaction, request, Response.REQUEST_PENDING);
            default -> {
                if (transaction != null) agent.respondNotAllowed(transaction, request);
            }
        }
    }

    @Override
    public void onResponse(ResponseEvent event) {
        if (session != null) session.onResponse(event); // BYE answers need nothing
    }

    @Override
    public void onTimeout(TimeoutEvent event) {
        // a lost BYE answer changes nothing for us; the missing ACK has its own guard
        if (session != null) session.onTimeout(event);
    }

    @Override
    public void closeByAgent() {
        hangUpNow("agent closed");
    }

    private void hangUpNow(String reason) {
        switch (state) {
            case OFFERED -> sendFinal(Response.DECLINE, null);
            case ANSWERED, CONFIRMED -> {
                agent.sendBye(dialog, callId);
                terminate();
                events.ended(false, reason);
            }
            case TERMINATED -> { }
        }
    }

    private void terminate() {
        state = State.TERMINATED;
        if (session != null) session.close("call ended");
        cancelAckGuard();
        agent.unregister(callId);
    }

    private void cancelAckGuard() {
        if (ackGuard != null) ackGuard.cancel(false);
    }
}
