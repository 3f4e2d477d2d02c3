package dev.ringback.sip;

import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.sip.Dialog;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.ContactHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the calls of one agent share: the provider, the JAIN-SIP factories, the config, the single event thread
 * on which every call's state changes and the call registry. The registry is only touched on that thread.
 */
final class AgentContext {
    private static final Logger LOG = LoggerFactory.getLogger(AgentContext.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    static final String ALLOWED_METHODS = "INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, REFER, NOTIFY";

    final SipConfig config;
    final SipProvider provider;
    final AddressFactory addresses;
    final HeaderFactory headers;
    final MessageFactory messages;
    final int localPort;
    private final ScheduledExecutorService events;
    private final Map<String, ActiveCall> calls = new HashMap<>();
    final TrunkMonitor trunks;

    AgentContext(SipConfig config, SipProvider provider, AddressFactory addresses, HeaderFactory headers,
                 MessageFactory messages, int localPort, ScheduledExecutorService events) {
        this.config = config;
        this.provider = provider;
        this.addresses = addresses;
        this.headers = headers;
        this.messages = messages;
        this.localPort = localPort;
        this.events = events;
        this.trunks = new TrunkMonitor(this);
    }

    /** Runs {@code task} on the event thread; a failing task is logged, the thread keeps going. After close: ignored (false). */
    boolean execute(Runnable task) {
        try {
            events.execute(guarded(task));
            return true;
        } catch (RejectedExecutionException e) {
            LOG.debug("SIP agent closed; ignoring a late call action");
            return false;
        }
    }

    /** Starts a blind transfer of {@code session}'s call on the event thread; see {@link SipCall#transfer(String)}. */
    java.util.concurrent.CompletableFuture<TransferResult> transfer(java.util.function.Supplier<DialogSession> sessionOfCall, String number) {
        if (!SipUserAgent.isDiallable(number)) throw new IllegalArgumentException("not a diallable number: '" + number + "'");
        var result = new java.util.concurrent.CompletableFuture<TransferResult>();
        if (!execute(() -> {
            DialogSession session = sessionOfCall.get(); // read on the event thread, where calls set it
            if (session == null) {
                result.complete(new TransferResult(TransferResult.Outcome.FAILED, 0, "call is not answered"));
            } else {
                session.transfer(number, result);
            }
        })) {
            result.complete(new TransferResult(TransferResult.Outcome.FAILED, 0, "SIP agent is closed"));
        }
        return result;
    }

    /** Schedules {@code task} on the event thread; null once the agent is closed. */
    ScheduledFuture<?> schedule(Duration delay, Runnable task) {
        try {
            return events.schedule(guarded(task), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("SIP event task failed", e);
            }
        };
    }

    void register(String callId, ActiveCall call) {
        calls.put(callId, call);
    }

    void unregister(String callId) {
        calls.remove(callId);
    }

    ActiveCall call(String callId) {
        return calls.get(callId);
    }

    Iterable<ActiveCall> activeCalls() {
        return java.util.List.copyOf(calls.values());
    }

    ContactHeader contact(String user) throws ParseException {
        SipURI uri = addresses.createSipURI(user, config.listenHost());
        uri.setPort(localPort);
        if (config.transport() != Transport.UDP) uri.setTransportParam(config.transport().token());
        return headers.createContactHeader(addresses.createAddress(uri));
    }

    static String newTag() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static String newBranch() {
        return "z9hG4bK" + newTag() + newTag();
    }

    /** Headers a response needs for its status (Allow with 405, Unsupported with 420, Accept with 415). */
    @FunctionalInterface
    interface ResponseHeaders {
        void addTo(Response response) throws ParseException;
    }

    /** Answers a request statelessly within its transaction; failures are logged (the peer retransmits or gives up). */
    void respond(ServerTransaction transaction, Request request, int status) {
        respond(transaction, request, status, response -> { });
    }

    /** The same, with the headers {@code status} calls for. */
    void respond(ServerTransaction transaction, Request request, int status, ResponseHeaders headersFor) {
        try {
            Response response = messages.createResponse(status, request);
            headersFor.addTo(response);
            transaction.sendResponse(response);
        } catch (ParseException | SipException | javax.sip.InvalidArgumentException | RuntimeException e) {
            LOG.warn("could not send {} to {}", status, request.getMethod(), e);
            if (status >= 200) abandon(transaction);
        }
    }

    /**
     * Drops a server transaction whose final answer could not be sent (a request too broken to answer, e.g. an empty
     * From tag): JAIN-SIP marks such a transaction terminated but keeps it in its table for good; the fuzz test found it.
     */
    static void abandon(ServerTransaction transaction) {
        try {
            transaction.terminate();
        } catch (javax.sip.ObjectInUseException | RuntimeException e) {
            LOG.debug("could not drop an unanswerable transaction", e);
        }
    }

    /** 200 to OPTIONS (a trunk's keep-alive or a capability query), saying what we take (RFC 3261 11.2). */
    void respondToOptions(ServerTransaction transaction, Request request) {
        try {
            Response response = messages.createResponse(Response.OK, request);
            response.addHeader(headers.createAllowHeader(ALLOWED_METHODS));
            response.addHeader(headers.createAcceptHeader("application", "sdp"));
            response.addHeader(headers.createSupportedHeader("timer"));
            transaction.sendResponse(response);
        } catch (ParseException | SipException | javax.sip.InvalidArgumentException | RuntimeException e) {
            LOG.warn("could not answer OPTIONS", e);
            abandon(transaction);
        }
    }

    /** 405 with the Allow header RFC 3261 21.4.6 requires. */
    void respondNotAllowed(ServerTransaction transaction, Request request) {
        respond(transaction, request, Response.METHOD_NOT_ALLOWED, response -> response.addHeader(headers.createAllowHeader(ALLOWED_METHODS)));
    }

    /** Answers outside any transaction: for requests too broken to open one. */
    void respondStatelessly(Request request, int status, String reason) {
        try {
            Response response = messages.createResponse(status, request);
            response.setReasonPhrase(reason);
            provider.sendResponse(response);
        } catch (ParseException | SipException | RuntimeException e) {
            LOG.info("could not answer a malformed {} with {}: {}", request.getMethod(), status, e.toString());
        }
    }

    void sendBye(Dialog dialog, String callId) {
        try {
            Request bye = dialog.createRequest(Request.BYE);
            dialog.sendRequest(provider.getNewClientTransaction(bye));
        } catch (SipException | RuntimeException e) {
            LOG.warn("call {}: could not send BYE", callId, e);
        }
    }

    /**
     * {@code sip:<number as trunk's dial plan writes it>@trunk}: the Request-URI and To of calls and transfer targets.
     * '#' (in tech prefixes) is not allowed in a SIP URI's user part and goes out escaped (RFC 3261 25.1).
     */
    SipURI dialTarget(String number, TrunkHost trunk) throws ParseException {
        String user = config.dialPlanFor(trunk).dialString(number).replace("#", "%23");
        SipURI target = addresses.createSipURI(user, trunk.host());
        target.setPort(trunk.port());
        return target;
    }
}
