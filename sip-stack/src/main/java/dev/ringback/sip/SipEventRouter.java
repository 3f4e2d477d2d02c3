package dev.ringback.sip;

import gov.nist.javax.sip.message.SIPRequest;
import java.net.InetAddress;
import java.util.Set;
import java.util.regex.Pattern;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipListener;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.Header;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes what JAIN-SIP hands one agent: grabs what must be grabbed on the stack's thread (a server transaction, a
 * stateless refusal of a request we cannot take), then continues on the event thread, where requests and responses go
 * by Call-ID to their call, to the registration, to the trunk monitor, or to a new incoming call.
 */
final class SipEventRouter implements SipListener {
    private static final Logger LOG = LoggerFactory.getLogger(SipEventRouter.class);
    /** Methods we recognise; requests for them outside a call get 405 with Allow, any other method 501. */
    private static final Set<String> KNOWN_METHODS = Set.of(Request.INVITE, Request.ACK, Request.BYE, Request.CANCEL,
            Request.OPTIONS, Request.REGISTER, Request.PRACK, Request.SUBSCRIBE, Request.NOTIFY, Request.PUBLISH, Request.INFO,
            Request.REFER, Request.MESSAGE, Request.UPDATE);
    private static final Pattern SIP_20_VIA = Pattern.compile("^\\s*(?:Via|v)\\s*:\\s*SIP\\s*/\\s*2\\.0\\s*/", Pattern.CASE_INSENSITIVE);

    private final AgentContext agent;
    /** Null when the config asks for no registration. */
    private final Registration registration;
    private final RequestChecks checks;
    private final InboundSources sources;
    private volatile IncomingCallHandler incomingHandler;

    SipEventRouter(AgentContext agent, Registration registration) {
        this.agent = agent;
        this.registration = registration;
        this.checks = new RequestChecks(agent);
        this.sources = InboundSources.of(agent.config);
    }

    /** INVITEs refused because they came from no trunk or PBX host we know. */
    long refusedInvites() {
        return sources.refused();
    }

    /** Sets who decides about incoming calls; without a handler they are answered 480. */
    void onIncomingCall(IncomingCallHandler handler) {
        this.incomingHandler = handler;
    }

    @Override
    public void processRequest(RequestEvent event) {
        try {
            Request request = event.getRequest();
            Dialog dialog = event.getDialog();
            if (Request.ACK.equals(request.getMethod())) {
                agent.execute(() -> route(request, null, dialog));
                return;
            }
            if (!speaksSip20(request)) {
                agent.respondStatelessly(request, Response.VERSION_NOT_SUPPORTED, "SIP Version Not Supported");
                return;
            }
            if (!hasBranch(request)) {
                // RFC 3261 8.1.1.7: without a branch we cannot tell a retransmission from a new request
                agent.respondStatelessly(request, Response.BAD_REQUEST, "Missing Via Branch");
                return;
            }
            if (isNewInvite(request) && !sources.allows(sourceOf(request))) {
                // before any transaction: a caller we do not know costs nothing and learns nothing
                if (sources.refuse(sourceOf(request), System.nanoTime()) == InboundSources.Refusal.FORBIDDEN) {
                    agent.respondStatelessly(request, Response.FORBIDDEN, "Forbidden");
                }
                return;
            }
            ServerTransaction transaction = event.getServerTransaction();
            if (transaction == null) transaction = agent.provider.getNewServerTransaction(request);
            ServerTransaction serverTransaction = transaction;
            agent.execute(() -> route(request, serverTransaction, dialog));
        } catch (TransactionAlreadyExistsException e) {
            LOG.debug("retransmitted request absorbed", e);
        } catch (SipException | RuntimeException e) {
            LOG.warn("dropping a request we could not take: {}", e.toString());
        }
    }

    @Override
    public void processResponse(ResponseEvent event) {
        agent.execute(() -> {
            if (agent.trunks.onResponse(event)) return;
            if (registration != null && registration.onResponse(event)) return;
            Response response = event.getResponse();
            ActiveCall call = agent.call(callIdOf(response.getHeader(CallIdHeader.NAME)));
            if (call != null) {
                call.onResponse(event);
            } else {
                onStrayResponse(event);
            }
        });
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        agent.execute(() -> {
            if (registration != null && registration.onTimeout(event)) return;
            Request request = event.isServerTransaction() ? event.getServerTransaction().getRequest()
                    : event.getClientTransaction().getRequest();
            ActiveCall call = agent.call(callIdOf(request.getHeader(CallIdHeader.NAME)));
            if (call != null) call.onTimeout(event);
        });
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        LOG.info("SIP I/O error towards {}:{} over {}", event.getHost(), event.getPort(), event.getTransport());
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
        // transactions end by themselves; calls track their own state
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
        // dialogs end by themselves; calls track their own state
    }

    /**
     * Whether the sender speaks SIP/2.0. JAIN-SIP's parser rewrites any request-line version to SIP/2.0, but the top
     * Via keeps the sent protocol as written, so that is where a SIP/7.0 request shows (RFC 4475 badvers).
     */
    private static boolean speaksSip20(Request request) {
        Header via = request.getHeader(ViaHeader.NAME);
        return via == null || SIP_20_VIA.matcher(via.toString()).find();
    }

    private static boolean isNewInvite(Request request) {
        ToHeader to = (ToHeader) request.getHeader(ToHeader.NAME);
        return Request.INVITE.equals(request.getMethod()) && (to == null || to.getTag() == null);
    }

    /** Where the packet came from (not what its Via claims). */
    private static InetAddress sourceOf(Request request) {
        return request instanceof SIPRequest sip ? sip.getPeerPacketSourceAddress() : null;
    }

    private static boolean hasBranch(Request request) {
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        return via != null && via.getBranch() != null && !via.getBranch().isBlank();
    }

    private static String callIdOf(Header header) {
        return header instanceof CallIdHeader callId ? callId.getCallId() : "";
    }

    // ---- on the event thread ----

    private void route(Request request, ServerTransaction transaction, Dialog dialog) {
        try {
            dispatch(request, transaction, dialog);
        } catch (RuntimeException e) {
            // a bug of ours: still give the request a final answer so its transaction does not live on; ERROR so tests see it
            LOG.error("could not handle {} of call {}", request.getMethod(), callIdOf(request.getHeader(CallIdHeader.NAME)), e);
            if (transaction != null && !Request.ACK.equals(request.getMethod())) {
                agent.respond(transaction, request, Response.SERVER_INTERNAL_ERROR);
            }
        }
    }

    private void dispatch(Request request, ServerTransaction transaction, Dialog dialog) {
        String callId = callIdOf(request.getHeader(CallIdHeader.NAME));
        String method = request.getMethod();
        ToHeader to = (ToHeader) request.getHeader(ToHeader.NAME);
        boolean inDialog = to != null && to.getTag() != null;
        ActiveCall call = agent.call(callId);
        if (Request.INVITE.equals(method) && !inDialog) {
            // retransmissions never get here (the stack absorbs them): another INVITE with a Call-ID in use is a merged
            // or forged request, and an INVITE transaction left without a final answer would live forever
            if (call == null) {
                if (!checks.refused(request, transaction)) onNewInvite(callId, request, transaction);
            } else {
                agent.respond(transaction, request, Response.LOOP_DETECTED);
            }
            return;
        }
        if (Request.OPTIONS.equals(method)) {
            if (!checks.refused(request, transaction)) agent.respondToOptions(transaction, request);
        } else if (call != null) {
            if (Request.ACK.equals(method) || !checks.refused(request, transaction)) call.onRequest(request, transaction, dialog);
        } else if (Request.ACK.equals(method)) {
            LOG.debug("ACK for unknown call {}", callId);
        } else if (inDialog) {
            agent.respond(transaction, request, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
        } else if (Request.BYE.equals(method) || Request.CANCEL.equals(method)) {
            agent.respond(transaction, request, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
        } else if (KNOWN_METHODS.contains(method)) {
            agent.respondNotAllowed(transaction, request);
        } else {
            agent.respond(transaction, request, Response.NOT_IMPLEMENTED); // RFC 3261 8.2.1: a method we do not know
        }
    }

    private void onNewInvite(String callId, Request invite, ServerTransaction transaction) {
        agent.respond(transaction, invite, Response.TRYING);
        if (checks.refusedOffer(invite, transaction)) return;
        IncomingCallHandler handler = incomingHandler;
        if (handler == null) {
            LOG.info("incoming call {} refused: no handler", callId);
            agent.respond(transaction, invite, Response.TEMPORARILY_UNAVAILABLE);
            return;
        }
        MediaAnswer offered;
        try {
            offered = SessionDescriptions.negotiateOffer(invite.getRawContent(), agent.config.srtp());
        } catch (SdpNegotiationException e) {
            LOG.info("incoming call {} refused: {}", callId, e.getMessage());
            agent.respond(transaction, invite, Response.NOT_ACCEPTABLE_HERE);
            return;
        }
        InboundCall call = new InboundCall(agent, callId, invite, transaction, offered);
        agent.register(callId, call);
        LOG.info("incoming call {} from {} to {}", callId, call.fromUser(), call.toUser());
        try {
            handler.onIncomingCall(call);
        } catch (RuntimeException e) {
            LOG.warn("incoming call handler threw; declining call {}", callId, e);
            call.reject(Response.SERVER_INTERNAL_ERROR, "Handler Failed");
        }
    }

    /**
     * A 2xx for a call we no longer track (answered after we gave up): acknowledge it and hang up. Only for an INVITE
     * transaction of ours: a forged 200 with an unknown Call-ID must not make us send ACK and BYE to whatever its
     * Contact names (a reflection vector the fuzz test found), nor leave the dialog the stack created for it.
     */
    private void onStrayResponse(ResponseEvent event) {
        Response response = event.getResponse();
        CSeqHeader cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
        Dialog dialog = event.getDialog();
        if (event.getClientTransaction() == null) {
            // no request of ours: whatever dialog the stack made for it (any method, any status) would stay forever
            if (dialog != null) dialog.delete();
            return;
        }
        if (cseq == null || !Request.INVITE.equals(cseq.getMethod()) || response.getStatusCode() / 100 != 2 || dialog == null) return;
        try {
            dialog.sendAck(dialog.createAck(cseq.getSeqNumber()));
            Request bye = dialog.createRequest(Request.BYE);
            ClientTransaction tx = agent.provider.getNewClientTransaction(bye);
            dialog.sendRequest(tx);
        } catch (Exception e) {
            LOG.debug("could not take down a stray answered dialog", e);
        }
    }
}
