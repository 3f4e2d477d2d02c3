package dev.ringback.sip;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.InvalidArgumentException;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.TimeoutEvent;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens inside an established dialog, for either kind of call: the far end's re-INVITEs and UPDATEs (hold,
 * resume, new media address), our blind transfer ({@link ReferTransfer}) and RFC 4028 session timers
 * ({@link SessionTimer}). Also owns our side of the SDP (session id and version). Runs on the agent's event thread.
 */
final class DialogSession {
    private static final Logger LOG = LoggerFactory.getLogger(DialogSession.class);

    private final AgentContext agent;
    private final String callId;
    private final MediaOffer local;
    /** Our SRTP key for this call's whole life; empty for plain RTP. */
    private final Optional<SdesKey> localKey;
    private final CallEventSink events;
    private final SessionTimer sessionTimer;
    private final ReferTransfer transfer;
    private final long sessionId = System.currentTimeMillis() / 1000;
    private long version = sessionId;

    private Dialog dialog;
    /** Where transfer targets are reached: the trunk this call went through. */
    private TrunkHost trunk;
    private MediaAnswer media;
    private MediaDirection direction = MediaDirection.SENDRECV;
    /** An offerless re-INVITE got our offer in its 200: the answer comes in the ACK. */
    private boolean offerInOk;

    private boolean closed;

    /** @param endCall ends the call from our side (BYE + Ended) when the session expires or a refresh proves the dialog gone */
    DialogSession(AgentContext agent, String callId, MediaOffer local, Optional<SdesKey> localKey, CallEventSink events,
                  Consumer<String> endCall) {
        this.agent = agent;
        this.callId = callId;
        this.local = local;
        this.localKey = localKey;
        this.events = events;
        this.sessionTimer = new SessionTimer(agent, callId, this::currentDescription, endCall);
        this.transfer = new ReferTransfer(agent, callId);
    }

    String initialOffer() {
        return SessionDescriptions.offer(local, sessionId, version, localKey);
    }

    Optional<SdesKey> localKey() {
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
            case Request.NOTIFY -> transfer.onNotify(request, transaction);
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
        if (sessionTimer.refreshing()) {
            agent.respond(transaction, request, Response.REQUEST_PENDING); // glare with our own refresh (RFC 3261 14.1)
            return;
        }
        byte[] offer = request.getRawContent();
        boolean hasOffer = offer != null && offer.length > 0;
        try {
            Response ok = agent.messages.createResponse(Response.OK, request);
            ok.addHeader(agent.contact(agent.config.fromUser()));
            sessionTimer.refreshedByFarEnd(request, ok);
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

    /** Our SDP as it stands: the offer until an answer was negotiated, then the answer (version unchanged, RFC 3264 8). */
    private String currentDescription() {
        return media == null ? SessionDescriptions.offer(local, sessionId, version, localKey)
                : SessionDescriptions.answer(local, media, sessionId, version, direction);
    }

    // ---- blind transfer and session timers ----

    /** Blind transfer of the answered call to {@code number}; see {@link SipCall#transfer(String)}. */
    void transfer(String number, CompletableFuture<TransferResult> result) {
        if (!established()) {
            result.complete(new TransferResult(TransferResult.Outcome.FAILED, 0, "call is not answered"));
            return;
        }
        transfer.start(dialog, trunk, number, result);
    }

    /**
     * Starts the session timer the 2xx to our INVITE agreed ({@code Session-Expires} there; none means no timer).
     * As refresher we re-INVITE at half the interval; otherwise we end the call if no refresh came in time.
     */
    void startSessionTimer(Response ok, boolean weAreUac) {
        sessionTimer.start(dialog, ok, weAreUac);
    }

    /** Takes responses to our REFER and session refresh; false for anything else. */
    boolean onResponse(ResponseEvent event) {
        Response response = event.getResponse();
        CSeqHeader cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
        if (cseq == null) return false;
        if (Request.REFER.equals(cseq.getMethod())) {
            transfer.onReferResponse(event.getClientTransaction(), response.getStatusCode(), response.getReasonPhrase());
            return true;
        }
        return sessionTimer.onResponse(event);
    }

    /** Takes timeouts of our REFER and session refresh; false for anything else. */
    boolean onTimeout(TimeoutEvent event) {
        if (event.isServerTransaction()) return false;
        ClientTransaction tx = event.getClientTransaction();
        return transfer.onTimeout(tx) || sessionTimer.onTimeout(tx);
    }

    /** The call ended: stop timers and settle a running transfer. */
    void close(String why) {
        if (closed) return;
        closed = true;
        sessionTimer.close();
        transfer.close(why);
    }
}
