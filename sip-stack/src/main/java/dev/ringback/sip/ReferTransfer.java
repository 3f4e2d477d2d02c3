package dev.ringback.sip;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.address.SipURI;
import javax.sip.header.EventHeader;
import javax.sip.header.SubscriptionStateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Our blind transfer (RFC 3515) in one established dialog: the REFER, its answer and the far end's NOTIFYs, ending in
 * one {@link TransferResult}. At most one runs at a time. Runs on the agent's event thread, for {@link DialogSession}.
 */
final class ReferTransfer {
    private static final Logger LOG = LoggerFactory.getLogger(ReferTransfer.class);

    private final AgentContext agent;
    private final String callId;

    private CompletableFuture<TransferResult> transfer;
    private ClientTransaction referTx;
    private int lastSipfrag;
    private ScheduledFuture<?> guard;

    ReferTransfer(AgentContext agent, String callId) {
        this.agent = agent;
        this.callId = callId;
    }

    /** Sends REFER (Refer-To the number at {@code trunk}) in {@code dialog}; {@code result} completes when it ends. */
    void start(Dialog dialog, TrunkHost trunk, String number, CompletableFuture<TransferResult> result) {
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
            guard = agent.schedule(patience, () -> finish(TransferResult.Outcome.FAILED, lastSipfrag,
                    "no final NOTIFY within " + patience.toSeconds() + " s"));
            dialog.sendRequest(tx);
            LOG.info("call {}: REFER to {}", callId, target);
        } catch (ParseException | SipException | RuntimeException e) {
            LOG.warn("call {}: could not send REFER", callId, e);
            transfer = result;
            finish(TransferResult.Outcome.FAILED, 0, "could not send REFER: " + e.getMessage());
        }
    }

    /** A NOTIFY in the dialog: progress of our transfer when its event is "refer", else 489. */
    void onNotify(Request request, ServerTransaction transaction) {
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
            finish(TransferResult.Outcome.ACCEPTED, status, "transfer target answered");
        } else if (status >= 300) {
            finish(targetFailure(status), status, "transfer target failed with " + status);
        } else if (terminated) {
            finish(TransferResult.Outcome.FAILED, lastSipfrag, "subscription ended without a final status");
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

    /** What the transfer target's final failure status (a NOTIFY's sipfrag) means. */
    static TransferResult.Outcome targetFailure(int status) {
        return switch (CallOutcome.forStatus(status)) {
            case BUSY -> TransferResult.Outcome.BUSY;
            case NO_ANSWER -> TransferResult.Outcome.NO_ANSWER;
            default -> TransferResult.Outcome.FAILED;
        };
    }

    /** The answer to our REFER itself. */
    void onReferResponse(ClientTransaction tx, int status, String phrase) {
        if (tx != referTx || transfer == null || status < 200) return;
        if (status < 300) {
            LOG.info("call {}: REFER accepted ({})", callId, status);
        } else {
            finish(TransferResult.Outcome.REJECTED, status, "REFER refused: " + status + " " + phrase);
        }
    }

    /** Takes the timeout of our REFER; false for anything else. */
    boolean onTimeout(ClientTransaction tx) {
        if (tx == null || tx != referTx) return false;
        finish(TransferResult.Outcome.REJECTED, Response.REQUEST_TIMEOUT, "no answer to REFER");
        return true;
    }

    /** The call ended: a running transfer fails. */
    void close(String why) {
        if (transfer != null) finish(TransferResult.Outcome.FAILED, lastSipfrag, "call ended before the transfer completed: " + why);
    }

    private void finish(TransferResult.Outcome outcome, int status, String reason) {
        if (transfer == null) return;
        CompletableFuture<TransferResult> done = transfer;
        transfer = null;
        referTx = null;
        if (guard != null) guard.cancel(false);
        TransferResult result = new TransferResult(outcome, status, reason);
        LOG.info("call {}: transfer {}", callId, result);
        done.complete(result);
    }
}
