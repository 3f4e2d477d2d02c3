package dev.ringback.sip;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.InvalidArgumentException;
import javax.sip.ResponseEvent;
import javax.sip.SipException;
import javax.sip.header.CSeqHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 4028 session timers of one established dialog: as refresher we re-INVITE at half the interval, otherwise we end
 * the call when no refresh came in time. Runs on the agent's event thread, for {@link DialogSession}.
 */
final class SessionTimer {
    private static final Logger LOG = LoggerFactory.getLogger(SessionTimer.class);
    /** Below this a session interval from the far end breaks RFC 4028; we still honour it, but say so. */
    private static final long RFC_MIN_SE_SECONDS = SipConfig.MIN_SESSION_EXPIRES.toSeconds();

    private final AgentContext agent;
    private final String callId;
    /** Our current session description: the body of a refresh. */
    private final Supplier<String> currentSdp;
    /** Ends the call from our side (BYE + Ended) when the session expires or a refresh proves the dialog gone. */
    private final Consumer<String> endCall;

    private Dialog dialog;
    private long sessionInterval;
    private boolean weRefresh;
    private ScheduledFuture<?> timer;
    private ClientTransaction refreshTx;
    private long refreshCSeq = -1;
    private Request refreshAck;
    private boolean closed;

    SessionTimer(AgentContext agent, String callId, Supplier<String> currentSdp, Consumer<String> endCall) {
        this.agent = agent;
        this.callId = callId;
        this.currentSdp = currentSdp;
        this.endCall = endCall;
    }

    /**
     * As UAS: a request asking for a session timer gets its interval back in our 2xx, with the refresher it named (the
     * requester itself when it named none), so both sides agree. Returns what was agreed, or null without a timer.
     */
    static SessionExpires agree(AgentContext agent, Request request, Response ok) throws ParseException {
        SessionExpires asked = SessionExpires.of(request.getHeader(SessionExpires.NAME));
        if (asked == null) return null;
        String refresher = asked.refresher() == null ? "uac" : asked.refresher();
        ok.addHeader(agent.headers.createHeader(SessionExpires.NAME, asked.seconds() + ";refresher=" + refresher));
        ok.addHeader(agent.headers.createRequireHeader("timer"));
        return new SessionExpires(asked.seconds(), refresher);
    }

    /**
     * Starts the timer the 2xx to the dialog's INVITE agreed ({@code Session-Expires} there; none means no timer).
     */
    void start(Dialog confirmed, Response ok, boolean weAreUac) {
        this.dialog = confirmed;
        SessionExpires agreed = SessionExpires.of(ok.getHeader(SessionExpires.NAME));
        if (agreed == null) return;
        sessionInterval = agreed.seconds();
        if (sessionInterval < RFC_MIN_SE_SECONDS) LOG.warn("call {}: far end agreed a session interval of {} s, below RFC 4028's 90 s", callId, sessionInterval);
        weRefresh = agreed.refresher() == null ? weAreUac : agreed.refresher().equals(weAreUac ? "uac" : "uas");
        arm();
    }

    /** Our own refresh is under way: a re-INVITE or UPDATE from the far end now would cross it (glare). */
    boolean refreshing() {
        return refreshTx != null;
    }

    /** A re-INVITE/UPDATE from the far end refreshed the session: echo its timer in our 200 and restart ours. */
    void refreshedByFarEnd(Request request, Response ok) throws ParseException {
        SessionExpires agreed = agree(agent, request, ok);
        if (agreed == null) return;
        sessionInterval = agreed.seconds();
        weRefresh = "uas".equals(agreed.refresher()); // the far end sent this request: it is the UAC of this transaction
        arm();
    }

    private void arm() {
        if (timer != null) timer.cancel(false);
        if (sessionInterval <= 0 || closed) return;
        if (weRefresh) {
            timer = agent.schedule(Duration.ofMillis(sessionInterval * 500), this::refresh);
        } else {
            long grace = Math.min(32, sessionInterval / 3); // RFC 4028 10: expire a little before the interval ends
            timer = agent.schedule(Duration.ofSeconds(sessionInterval - grace), this::onExpired);
        }
    }

    private void refresh() {
        if (closed || refreshTx != null) return;
        try {
            Request reinvite = dialog.createRequest(Request.INVITE);
            reinvite.addHeader(agent.headers.createHeader(SessionExpires.NAME, sessionInterval + ";refresher=uac"));
            reinvite.addHeader(agent.headers.createSupportedHeader("timer"));
            reinvite.setContent(currentSdp.get().getBytes(StandardCharsets.US_ASCII), agent.headers.createContentTypeHeader("application", "sdp"));
            ClientTransaction tx = agent.provider.getNewClientTransaction(reinvite);
            refreshTx = tx;
            refreshCSeq = ((CSeqHeader) reinvite.getHeader(CSeqHeader.NAME)).getSeqNumber();
            refreshAck = null;
            dialog.sendRequest(tx);
            LOG.info("call {}: session refresh (re-INVITE, {} s)", callId, sessionInterval);
        } catch (ParseException | SipException | RuntimeException e) {
            LOG.warn("call {}: could not send a session refresh", callId, e);
            refreshTx = null;
            arm();
        }
    }

    /** Takes responses to our refresh re-INVITE; false for anything else. */
    boolean onResponse(ResponseEvent event) {
        CSeqHeader cseq = (CSeqHeader) event.getResponse().getHeader(CSeqHeader.NAME);
        if (!Request.INVITE.equals(cseq.getMethod()) || refreshCSeq < 0 || cseq.getSeqNumber() != refreshCSeq) return false;
        onRefreshResponse(event, cseq.getSeqNumber());
        return true;
    }

    private void onRefreshResponse(ResponseEvent event, long cseq) {
        Response response = event.getResponse();
        int status = response.getStatusCode();
        if (status < 200) return;
        if (status < 300) {
            try {
                if (refreshAck == null) refreshAck = dialog.createAck(cseq);
                dialog.sendAck(refreshAck);
            } catch (SipException | InvalidArgumentException | RuntimeException e) {
                LOG.warn("call {}: could not acknowledge the session refresh", callId, e);
            }
            if (event.getClientTransaction() != refreshTx) return; // a retransmitted 200: acknowledged again, nothing more
            refreshTx = null;
            SessionExpires agreed = SessionExpires.of(response.getHeader(SessionExpires.NAME));
            if (agreed != null) {
                sessionInterval = agreed.seconds();
                weRefresh = agreed.refresher() == null || "uac".equals(agreed.refresher());
            }
            arm();
            return;
        }
        if (event.getClientTransaction() != refreshTx) return;
        refreshTx = null;
        if (status == Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST || status == Response.REQUEST_TIMEOUT) {
            LOG.info("call {}: session refresh answered {}: the dialog is gone", callId, status);
            endCall.accept("session refresh answered " + status);
        } else {
            arm(); // 491 glare and the like: the session goes on, we try again at the next half interval
        }
    }

    /** Takes the timeout of our refresh; false for anything else. */
    boolean onTimeout(ClientTransaction tx) {
        if (tx == null || tx != refreshTx) return false;
        refreshTx = null;
        LOG.info("call {}: session refresh got no answer; ending the call", callId);
        endCall.accept("session refresh got no answer");
        return true;
    }

    private void onExpired() {
        if (closed) return;
        LOG.info("call {}: no session refresh within {} s; ending the call", callId, sessionInterval);
        endCall.accept("session expired");
    }

    void close() {
        closed = true;
        if (timer != null) timer.cancel(false);
    }
}
