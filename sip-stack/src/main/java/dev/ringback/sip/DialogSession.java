package dev.ringback.sip;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.InvalidArgumentException;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.TimeoutEvent;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.EventHeader;
import javax.sip.header.Header;
import javax.sip.header.SubscriptionStateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens inside an established dialog, for either kind of call: the far end's re-INVITEs and UPDATEs (hold,
 * resume, new media address), our blind transfer (REFER and its NOTIFYs) and RFC 4028 session timers. Also owns our
 * side of the SDP (session id and version). Runs on the agent's event thread.
 */
final class DialogSession {
    private static final Logger LOG = LoggerFactory.getLogger(DialogSession.class);
    /** Below this a session interval from the far end breaks RFC 4028; we still honour it, but say so. */
    private static final long RFC_MIN_SE_SECONDS = SipConfig.MIN_SESSION_EXPIRES.toSeconds();

    private final AgentContext agent;
    private final String callId;
    private final MediaOffer local;
    /** Our SRTP key for this call's whole life; empty for plain RTP. */
    private final java.util.Optional<SdesKey> localKey;
    private final CallEventSink events;
    /** Ends the call from our side (BYE + Ended) when the session expires or a refresh proves the dialog gone. */
    private final java.util.function.Consumer<String> endCall;
    private final long sessionId = System.currentTimeMillis() / 1000;
    private long version = sessionId;

    private Dialog dialog;
    /** Where transfer targets are reached: the trunk this call went through. */
    private TrunkHost trunk;
    private MediaAnswer media;
    private MediaDirection direction = MediaDirection.SENDRECV;
    /** An offerless re-INVITE got our offer in its 200: the answer comes in the ACK. */
    private boolean offerInOk;

    private CompletableFuture<TransferResult> transfer;
    private ClientTransaction referTx;
    private int lastSipfrag;
    private ScheduledFuture<?> transferGuard;

    private long sessionInterval;
    private boolean weRefresh;
    private ScheduledFuture<?> sessionTimer;
    private ClientTransaction refreshTx;
    private long refreshCSeq = -1;
    private Request refreshAck;
    private boolean closed;

    DialogSession(AgentContext agent, String callId, MediaOffer local, java.util.Optional<SdesKey> localKey, CallEventSink events,
                  java.util.function.Consumer<String> endCall) {
        this.agent = agent;
        this.callId = callId;
        this.local = local;
        this.localKey = localKey;
        this.events = events;
        this.endCall = endCall;
    }

    String initialOffer() {
        return SessionDescriptions.offer(local, sessionId, version, localKey);
    }

    java.util.Optional<SdesKey> localKey() {
        return localKey;
    }

    String initialAnswer(MediaAnswer offered) {
        return SessionDescriptions.answer(local, offered, sessionId, version, MediaDirection.SENDRECV);
    }

    /** The call is answered and confirmed: in-dialog requests may flow. */
    void established(Dialog confirmed, MediaAnswer negotiated, TrunkHost via) {
        this.trunk = via;
        this.dialog = confirmed;
        this.media = negotiated;
    }

    boolean established() {
        return dialog != null && !closed;
    }

    // ---- requests from the far end ----

    /** Takes the in-dialog requests this class owns (INVITE, UPDATE, NOTIFY, the ACK of a re-INVITE); false for others. */
    boolean onRequest(Request request, ServerTransaction transaction) {
        switch (request.getMethod()) {
            case Request.INVITE -> onReoffer(request, transaction, true);
            case Request.UPDATE -> onReoffer(request, transaction, false);
            case Request.NOTIFY -> onNotify(request, transaction);
            case Request.ACK -> {
                if (!offerInOk) return false;
                offerInOk = false;
                byte[] answer = request.getRawContent();
                if (answer != null && answer.length > 0) acceptAnswerInAck(answer);
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private void onReoffer(Request request, ServerTransaction transaction, boolean invite) {
        if (!established()) {
            // RFC 3261 14.2: a re-INVITE before the first one completed; RFC 3311: an UPDATE we cannot take yet
            agent.respond(transaction, request, invite ? Response.REQUEST_PENDING : Response.SERVER_INTERNAL_ERROR);
            return;
        }
        if (refreshTx != null) {
            agent.respond(transaction, request, Response.REQUEST_PENDING); // glare with our own refresh (RFC 3261 14.1)
            return;
        }
        byte[] offer = request.getRawContent();
        boolean hasOffer = offer != null && offer.length > 0;
        try {
            Response ok = agent.messages.createResponse(Response.OK, request);
            ok.addHeader(agent.contact(agent.config.fromUser()));
            echoSessionTimer(request, ok);
            if (hasOffer) {
                MediaAnswer offered = SessionDescriptions.negotiate(offer, SessionDescriptions.Choice.PREFER_PCMU, localKey);
                MediaDirection ours = SessionDescriptions.direction(offer).mirrored();
                version++;
                ok.setContent(SessionDescriptions.answer(local, offered, sessionId, version, ours).getBytes(StandardCharsets.US_ASCII), sdpType());
                transaction.sendResponse(ok);
                changeMedia(offered, ours);
            } else if (invite) {
                // offerless re-INVITE: we offer in the 200, the far end answers in the ACK (RFC 3261 14.2)
                ok.setContent(SessionDescriptions.offer(local, sessionId, version, localKey).getBytes(StandardCharsets.US_ASCII), sdpType());
                transaction.sendResponse(ok);
                offerInOk = true;
            } else {
                transaction.sendResponse(ok); // an UPDATE without SDP only refreshes the session
            }
        } catch (SdpNegotiationException e) {
            LOG.info("call {}: refusing {} with unusable SDP: {}", callId, request.getMethod(), e.getMessage());
            agent.respond(transaction, request, Response.NOT_ACCEPTABLE_HERE); // the old session stays (RFC 3261 14.2)
        } catch (ParseException | SipException | InvalidArgumentException | RuntimeException e) {
            LOG.warn("call {}: could not answer {}", callId, request.getMethod(), e);
        }
    }

    private void acceptAnswerInAck(byte[] answer) {
        try {
            changeMedia(SessionDescriptions.negotiate(answer, SessionDescriptions.Choice.FIRST_LISTED_BY_REMOTE, localKey),
                    SessionDescriptions.direction(answer).mirrored());
        } catch (SdpNegotiationException e) {
            LOG.info("call {}: unusable SDP answer in ACK, keeping the old session: {}", callId, e.getMessage());
        }
    }

    private void changeMedia(MediaAnswer next, MediaDirection ours) {
        if (next.equals(media) && ours == direction) return; // a session refresh: nothing changed for the application
        media = next;
        direction = ours;
        events.mediaChanged(next, ours);
    }

    private ContentTypeHeader sdpType() throws ParseException {
        return agent.headers.createContentTypeHeader("application", "sdp");
    }

    // ---- blind transfer ----

    void transfer(String number, CompletableFuture<TransferResult> result) {
        if (!established()) {
            result.complete(new TransferResult(TransferResult.Outcome.FAILED, 0, "call is not answered"));
            return;
        }
        if (transfer != null) {
            result.complete(new TransferResult(TransferResult.Outcome.FAILED, 0, "a transfer is already running"));
            return;
        }
        try {
            Request refer = dialog.createRequest(Request.REFER);
            SipURI target = agent.dialTarget(number, trunk);
            refer.addHeader(agent.headers.createReferToHeader(agent.addresses.createAddress(target)));
            SipURI us = agent.addresses.createSipURI(agent.config.fromUser(), trunk.host());
            refer.addHeader(agent.headers.createHeader("Referred-By", "<" + us + ">"));
            ClientTransaction tx = agent.provider.getNewClientTransaction(refer);
            transfer = result;
            referTx = tx;
            lastSipfrag = 0;
            Duration patience = agent.config.ringTimeout().plus(agent.config.inviteTimeout()).plusSeconds(5);
            transferGuard = agent.schedule(patience, () -> finishTransfer(TransferResult.Outcome.FAILED, lastSipfrag,
                    "no final NOTIFY within " + patience.toSeconds() + " s"));
            dialog.sendRequest(tx);
            LOG.info("call {}: REFER to {}", callId, target);
        } catch (ParseException | SipException | RuntimeException e) {
            LOG.warn("call {}: could not send REFER", callId, e);
            transfer = result;
            finishTransfer(TransferResult.Outcome.FAILED, 0, "could not send REFER: " + e.getMessage());
        }
    }

    private void onNotify(Request request, ServerTransaction transaction) {
        EventHeader event = (EventHeader) request.getHeader(EventHeader.NAME);
        if (event == null || !"refer".equalsIgnoreCase(event.getEventType())) {
            agent.respond(transaction, request, Response.BAD_EVENT);
            return;
        }
        agent.respond(transaction, request, Response.OK);
        if (transfer == null) return;
        int status = sipfragStatus(request.getRawContent());
        if (status > 0) lastSipfrag = status;
        SubscriptionStateHeader state = (SubscriptionStateHeader) request.getHeader(SubscriptionStateHeader.NAME);
        boolean terminated = state != null && SubscriptionStateHeader.TERMINATED.equalsIgnoreCase(state.getState());
        LOG.info("call {}: transfer progress {}{}", callId, status, terminated ? " (subscription terminated)" : "");
        if (status >= 200 && status < 300) {
            finishTransfer(TransferResult.Outcome.ACCEPTED, status, "transfer target answered");
        } else if (status >= 300) {
            finishTransfer(TransferResult.Outcome.FAILED, status, "transfer target failed with " + status);
        } else if (terminated) {
            finishTransfer(TransferResult.Outcome.FAILED, lastSipfrag, "subscription ended without a final status");
        }
    }

    /** The status code of a message/sipfrag body ("SIP/2.0 200 OK"); 0 if there is none. */
    static int sipfragStatus(byte[] body) {
        if (body == null) return 0;
        String text = new String(body, StandardCharsets.UTF_8).trim();
        String[] parts = text.split("\\s+", 3);
        if (parts.length < 2 || !parts[0].toUpperCase(Locale.ROOT).startsWith("SIP/")) return 0;
        try {
            int status = Integer.parseInt(parts[1]);
            return status >= 100 && status <= 699 ? status : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void onReferResponse(ClientTransaction tx, int status, String phrase) {
        if (tx != referTx || transfer == null || status < 200) return;
        if (status < 300) {
            LOG.info("call {}: REFER accepted ({})", callId, status);
        } else {
            finishTransfer(TransferResult.Outcome.REJECTED, status, "REFER refused: " + status + " " + phrase);
        }
    }

    private void finishTransfer(TransferResult.Outcome outcome, int status, String reason) {
        if (transfer == null) return;
        CompletableFuture<TransferResult> done = transfer;
        transfer = null;
        referTx = null;
        if (transferGuard != null) transferGuard.cancel(false);
        TransferResult result = new TransferResult(outcome, status, reason);
        LOG.info("call {}: transfer {}", callId, result);
        done.complete(result);
    }

    // ---- session timers (RFC 4028) ----

    /**
     * Starts the session timer the 2xx to our INVITE agreed ({@code Session-Expires} there; none means no timer).
     * As refresher we re-INVITE at half the interval; otherwise we end the call if no refresh came in time.
     */
    void startSessionTimer(Response ok, boolean weAreUac) {
        SessionExpires agreed = SessionExpires.of(ok.getHeader(SessionExpires.NAME));
        if (agreed == null) return;
        sessionInterval = agreed.seconds();
        if (sessionInterval < RFC_MIN_SE_SECONDS) LOG.warn("call {}: far end agreed a session interval of {} s, below RFC 4028's 90 s", callId, sessionInterval);
        weRefresh = agreed.refresher() == null ? weAreUac : agreed.refresher().equals(weAreUac ? "uac" : "uas");
        armSessionTimer();
    }

    private void armSessionTimer() {
        if (sessionTimer != null) sessionTimer.cancel(false);
        if (sessionInterval <= 0 || closed) return;
        if (weRefresh) {
            sessionTimer = agent.schedule(Duration.ofMillis(sessionInterval * 500), this::refresh);
        } else {
            long grace = Math.min(32, sessionInterval / 3); // RFC 4028 10: expire a little before the interval ends
            sessionTimer = agent.schedule(Duration.ofSeconds(sessionInterval - grace), this::onSessionExpired);
        }
    }

    private void refresh() {
        if (!established() || refreshTx != null) return;
        try {
            Request reinvite = dialog.createRequest(Request.INVITE);
            reinvite.addHeader(agent.headers.createHeader(SessionExpires.NAME, sessionInterval + ";refresher=uac"));
            reinvite.addHeader(agent.headers.createSupportedHeader("timer"));
            // an unchanged description keeps its version (RFC 3264 8)
            String sdp = media == null ? SessionDescriptions.offer(local, sessionId, version, localKey)
                    : SessionDescriptions.answer(local, media, sessionId, version, direction);
            reinvite.setContent(sdp.getBytes(StandardCharsets.US_ASCII), sdpType());
            ClientTransaction tx = agent.provider.getNewClientTransaction(reinvite);
            refreshTx = tx;
            refreshCSeq = ((CSeqHeader) reinvite.getHeader(CSeqHeader.NAME)).getSeqNumber();
            refreshAck = null;
            dialog.sendRequest(tx);
            LOG.info("call {}: session refresh (re-INVITE, {} s)", callId, sessionInterval);
        } catch (ParseException | SipException | RuntimeException e) {
            LOG.warn("call {}: could not send a session refresh", callId, e);
            refreshTx = null;
            armSessionTimer();
        }
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
            armSessionTimer();
            return;
        }
        if (event.getClientTransaction() != refreshTx) return;
        refreshTx = null;
        if (status == Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST || status == Response.REQUEST_TIMEOUT) {
            LOG.info("call {}: session refresh answered {}: the dialog is gone", callId, status);
            endCall.accept("session refresh answered " + status);
        } else {
            armSessionTimer(); // 491 glare and the like: the session goes on, we try again at the next half interval
        }
    }

    private void onSessionExpired() {
        if (!established()) return;
        LOG.info("call {}: no session refresh within {} s; ending the call", callId, sessionInterval);
        endCall.accept("session expired");
    }

    /** A re-INVITE/UPDATE from the far end refreshed the session: echo its timer in our 200 and restart ours. */
    private void echoSessionTimer(Request request, Response ok) throws ParseException {
        SessionExpires asked = SessionExpires.of(request.getHeader(SessionExpires.NAME));
        if (asked == null) return;
        String refresher = asked.refresher() == null ? "uac" : asked.refresher();
        ok.addHeader(agent.headers.createHeader(SessionExpires.NAME, asked.seconds() + ";refresher=" + refresher));
        ok.addHeader(agent.headers.createRequireHeader("timer"));
        sessionInterval = asked.seconds();
        weRefresh = "uas".equals(refresher); // the far end sent this request: it is the UAC of this transaction
        armSessionTimer();
    }

    // ---- responses and timeouts for our in-dialog requests ----

    /** Takes responses to our REFER and session refresh; false for anything else. */
    boolean onResponse(ResponseEvent event) {
        Response response = event.getResponse();
        CSeqHeader cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
        if (cseq == null) return false;
        if (Request.REFER.equals(cseq.getMethod())) {
            onReferResponse(event.getClientTransaction(), response.getStatusCode(), response.getReasonPhrase());
            return true;
        }
        if (Request.INVITE.equals(cseq.getMethod()) && refreshCSeq >= 0 && cseq.getSeqNumber() == refreshCSeq) {
            onRefreshResponse(event, cseq.getSeqNumber());
            return true;
        }
        return false;
    }

    /** Takes timeouts of our REFER and session refresh; false for anything else. */
    boolean onTimeout(TimeoutEvent event) {
        if (event.isServerTransaction()) return false;
        ClientTransaction tx = event.getClientTransaction();
        if (tx != null && tx == referTx) {
            finishTransfer(TransferResult.Outcome.REJECTED, Response.REQUEST_TIMEOUT, "no answer to REFER");
            return true;
        }
        if (tx != null && tx == refreshTx) {
            refreshTx = null;
            LOG.info("call {}: session refresh got no answer; ending the call", callId);
            endCall.accept("session refresh got no answer");
            return true;
        }
        return false;
    }

    /** The call ended: stop timers and settle a running transfer. */
    void close(String why) {
        if (closed) return;
        closed = true;
        if (sessionTimer != null) sessionTimer.cancel(false);
        if (transfer != null) {
            finishTransfer(TransferResult.Outcome.FAILED, lastSipfrag, "call ended before the transfer completed: " + why);
        }
    }

    /** A parsed Session-Expires header ("1800;refresher=uac"); JAIN-SIP may hand it over typed or generic. */
    record SessionExpires(long seconds, String refresher) {
        static final String NAME = "Session-Expires";

        static SessionExpires of(Header header) {
            if (header == null) return null;
            String text = header.toString().trim();
            int colon = text.indexOf(':');
            if (colon >= 0) text = text.substring(colon + 1).trim();
            String[] parts = text.split(";");
            try {
                long seconds = Long.parseLong(parts[0].trim());
                if (seconds <= 0) return null;
                String refresher = null;
                for (int i = 1; i < parts.length; i++) {
                    String[] param = parts[i].trim().split("=", 2);
                    if (param.length == 2 && param[0].trim().equalsIgnoreCase("refresher")) refresher = param[1].trim().toLowerCase(Locale.ROOT);
                }
                return new SessionExpires(seconds, refresher);
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
