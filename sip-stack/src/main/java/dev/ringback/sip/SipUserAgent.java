package dev.ringback.sip;

import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SIP user agent on JAIN-SIP RI: places calls through the trunk and receives calls. Each agent owns its own
 * JAIN-SIP stack, so several agents can live in one JVM. Every call event and every handler callback runs on the
 * agent's single event thread ("sip-events-…"): listeners must not block.
 */
public final class SipUserAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SipUserAgent.class);
    /** Where a free port is looked for when the config says 0: below the Linux ephemeral range. */
    private static final int FREE_PORT_MIN = 20000;
    private static final int FREE_PORT_MAX = 32000;
    private static final int FREE_PORT_ATTEMPTS = 40;
    private static final AtomicInteger STACK_COUNTER = new AtomicInteger();
    /** E.164 ("+61412000111") or a plain SIP user name: characters that need no escaping in a SIP URI's user part. */
    /** Methods we recognise; requests for them outside a call get 405 with Allow, any other method 501. */
    private static final java.util.Set<String> KNOWN_METHODS = java.util.Set.of(Request.INVITE, Request.ACK, Request.BYE, Request.CANCEL,
            Request.OPTIONS, Request.REGISTER, Request.PRACK, Request.SUBSCRIBE, Request.NOTIFY, Request.PUBLISH, Request.INFO,
            Request.REFER, Request.MESSAGE, Request.UPDATE);
    private static final Pattern SIP_20_VIA = Pattern.compile("^\\s*(?:Via|v)\\s*:\\s*SIP\\s*/\\s*2\\.0\\s*/", Pattern.CASE_INSENSITIVE);
    private static final Pattern DIALLABLE = Pattern.compile("[A-Za-z0-9+*#._-]{1,64}");

    private final SipStack stack;
    private final ScheduledThreadPoolExecutor events;
    private final AtomicReference<Thread> eventThread;
    private final AgentContext agent;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile IncomingCallHandler incomingHandler;
    /** Null when the config asks for no registration. */
    private final Registration registration;

    private SipUserAgent(SipStack stack, ScheduledThreadPoolExecutor events, AtomicReference<Thread> eventThread, AgentContext agent,
                         Registration registration) {
        this.registration = registration;
        this.eventThread = eventThread;
        this.stack = stack;
        this.events = events;
        this.agent = agent;
    }

    public static SipUserAgent start(SipConfig config) throws SipStartException {
        Objects.requireNonNull(config, "config");
        long startedAt = System.nanoTime();
        String stackName = "ringback-" + STACK_COUNTER.incrementAndGet() + "-" + ProcessHandle.current().pid();
        AtomicReference<Thread> eventThread = new AtomicReference<>();
        ScheduledThreadPoolExecutor events = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "sip-events-" + stackName);
            thread.setDaemon(true);
            eventThread.set(thread);
            return thread;
        });
        events.setRemoveOnCancelPolicy(true);
        SipStack stack = null;
        try {
            SipFactory factory = SipFactory.getInstance();
            SipProvider provider;
            ListeningPoint listeningPoint;
            // SipFactory is a JVM-wide singleton with mutable state: create each stack under its lock
            synchronized (factory) {
                factory.setPathName("gov.nist");
                Properties properties = stackProperties(stackName);
                stack = config.transport() == Transport.TLS
                        ? new TlsSipStack(properties, TlsMaterial.load(config.tls().orElse(TlsSettings.defaultTrust())))
                        : factory.createSipStack(properties);
                listeningPoint = listen(stack, config);
                provider = stack.createSipProvider(listeningPoint);
                AgentContext agent = new AgentContext(config, provider, factory.createAddressFactory(), factory.createHeaderFactory(),
                        factory.createMessageFactory(), listeningPoint.getPort(), events);
                Registration registration = config.registration().map(settings -> new Registration(agent, settings)).orElse(null);
                SipUserAgent userAgent = new SipUserAgent(stack, events, eventThread, agent, registration);
                provider.addSipListener(userAgent.new Dispatcher());
                stack.start();
                agent.trunks.start();
                if (registration != null) registration.start();
                LOG.info("SIP agent {} listening on {} {}:{}, trunks {} (started in {} ms)", stackName, config.transport(), config.listenHost(),
                        listeningPoint.getPort(), config.trunks(), (System.nanoTime() - startedAt) / 1_000_000);
                return userAgent;
            }
        } catch (SipStartException e) {
            stop(stack, events);
            throw e;
        } catch (Exception e) {
            stop(stack, events);
            throw new SipStartException("cannot start SIP stack on " + config.transport() + " " + config.listenHost() + ":" + config.listenPort()
                    + ": " + e.getMessage(), e);
        }
    }

    private static Properties stackProperties(String stackName) {
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", stackName);
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "on");
        // NOTIFYs for our REFER reach us even when the stack did not pair them with the REFER's implicit subscription
        p.setProperty("gov.nist.javax.sip.DELIVER_UNSOLICITED_NOTIFY", "true");
        // one thread reads incoming messages, so a 180 sent just before a 200 is never processed after it
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "1");
        // JAIN-SIP's default logger is log4j 1.x (absent) writing files into the working dir: route to SLF4J instead
        p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "0");
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", Slf4jMessageLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "false");
        return p;
    }

    private static ListeningPoint listen(SipStack stack, SipConfig config) throws SipStartException {
        String transport = config.transport().token();
        if (config.listenPort() != 0) {
            try {
                return stack.createListeningPoint(config.listenHost(), config.listenPort(), transport);
            } catch (Exception e) {
                throw new SipStartException("cannot listen on " + config.transport() + " " + config.listenHost() + ":" + config.listenPort()
                        + " (port in use or address not local?): " + e.getMessage(), e);
            }
        }
        Exception last = null;
        for (int attempt = 0; attempt < FREE_PORT_ATTEMPTS; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(FREE_PORT_MIN, FREE_PORT_MAX);
            try {
                return stack.createListeningPoint(config.listenHost(), port, transport);
            } catch (Exception e) {
                last = e;
            }
        }
        throw new SipStartException("no free " + config.transport() + " port on " + config.listenHost() + " in "
                + FREE_PORT_MIN + "-" + FREE_PORT_MAX + " after " + FREE_PORT_ATTEMPTS + " attempts", last);
    }

    /** The port this agent listens on (the chosen one when the config said 0). */
    public int localPort() {
        return agent.localPort;
    }

    /**
     * Calls {@code sip:<e164>@trunkHost:trunkPort} offering {@code offer}; the user part is the number as the trunk
     * host's {@link DialPlan} writes it (E.164 as given by default). 3xx answers are followed up to
     * {@link SipConfig#maxRedirects()} times; with {@link SrtpMode#REQUIRED} the offer is RTP/SAVP with our SDES key.
     * Returns at once; progress arrives on {@code listener}, ending in exactly one Ended or Failed.
     *
     * @throws IllegalArgumentException if {@code e164} has characters a SIP user part cannot carry unescaped
     * @throws IllegalStateException    after {@link #close()}
     */
    public SipCall dial(String e164, MediaOffer offer, CallListener listener) {
        Objects.requireNonNull(e164, "e164");
        Objects.requireNonNull(offer, "offer");
        Objects.requireNonNull(listener, "listener");
        if (!isDiallable(e164)) throw new IllegalArgumentException("not a diallable number: '" + e164 + "'");
        if (closed.get()) throw new IllegalStateException("SIP agent is closed");
        String callId = agent.provider.getNewCallId().getCallId();
        OutboundCall call = new OutboundCall(agent, callId, e164, offer, listener);
        agent.execute(() -> {
            agent.register(callId, call);
            call.start();
        });
        return call;
    }

    /**
     * What this agent holds right now, for leak checks in tests and benchmarks: calls, dialogs (and their states, e.g.
     * "EARLY=2"), transactions.
     */
    record Occupancy(int calls, int dialogs, int serverTransactions, int clientTransactions, String dialogStates) {
        boolean idle() {
            return calls == 0 && dialogs == 0 && serverTransactions == 0 && clientTransactions == 0;
        }
    }

    Occupancy occupancy() throws java.util.concurrent.ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
        int calls = events.submit(() -> { // the call registry is only touched on the event thread
            int n = 0;
            for (ActiveCall ignored : agent.activeCalls()) n++;
            return n;
        }).get(5, TimeUnit.SECONDS);
        var transactions = (gov.nist.javax.sip.stack.SIPTransactionStack) stack;
        var dialogs = transactions.getDialogs();
        String states = dialogs.stream().collect(java.util.stream.Collectors.groupingBy(d -> String.valueOf(d.getState()),
                java.util.TreeMap::new, java.util.stream.Collectors.counting())).toString();
        if (dialogs.size() <= 3) { // few enough to name: which ones stayed
            states += dialogs.stream().map(d -> d.getCallId().getCallId() + (d.isServer() ? " (server)" : " (client)")).toList();
        }
        return new Occupancy(calls, dialogs.size(), transactions.getServerTransactionTableSize(), transactions.getClientTransactionTableSize(), states);
    }

    static boolean isDiallable(String number) {
        return number != null && DIALLABLE.matcher(number).matches();
    }

    /** The trunk hosts in priority order, with what the OPTIONS keep-alive and recent calls say about them. */
    public java.util.List<TrunkStatus> trunkStatus() {
        return agent.trunks.statuses();
    }

    /** Called (on the event thread, must not block) whenever a trunk host goes down or comes back up. */
    public void onTrunkStatusChange(java.util.function.Consumer<TrunkStatus> listener) {
        agent.trunks.onChange(listener);
    }

    /** Where the registration with the PBX/trunk stands; empty when the config asks for none. */
    public java.util.Optional<RegistrationStatus> registrationStatus() {
        return registration == null ? java.util.Optional.empty() : java.util.Optional.of(registration.status());
    }

    /**
     * Called (on the event thread, must not block) first with the current registration status, then with every new one
     * (state changes and refreshes). Nothing happens when the config asks for no registration.
     */
    public void onRegistrationChange(java.util.function.Consumer<RegistrationStatus> listener) {
        if (registration != null) registration.onChange(listener);
    }

    /** Sets who decides about incoming calls; without a handler they are answered 480. */
    public void onIncomingCall(IncomingCallHandler handler) {
        this.incomingHandler = handler;
    }

    /**
     * Ends active calls (BYE/CANCEL/603), removes our registration (REGISTER with Expires: 0; waits for the registrar's
     * answer at most the INVITE timeout), then stops the stack and releases the port. Idempotent.
     * Takes about a second more: JAIN-SIP's stop() lingers that long after closing its sockets.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        long closingAt = System.nanoTime();
        Runnable endCalls = () -> agent.activeCalls().forEach(ActiveCall::closeByAgent);
        if (Thread.currentThread() == eventThread.get()) {
            endCalls.run(); // closed from a listener: we already are on the event thread
        } else {
            try {
                events.submit(endCalls).get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("could not end active calls before closing", e);
            }
        }
        unregister();
        stop(stack, events);
        LOG.info("SIP agent on port {} closed in {} ms", agent.localPort, (System.nanoTime() - closingAt) / 1_000_000);
    }

    private void unregister() {
        if (registration == null) return;
        var removed = registration.remove();
        if (Thread.currentThread() == eventThread.get()) return; // cannot wait for the answer on the thread that takes it
        try {
            removed.get(agent.config.inviteTimeout().toMillis() + 200, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("registration not confirmed removed before closing: {}", e.toString());
        }
    }

    private static void stop(SipStack stack, ScheduledThreadPoolExecutor events) {
        events.shutdownNow();
        if (stack == null) return;
        try {
            stack.stop();
        } catch (RuntimeException raced) {
            // JAIN-SIP's UDP processor thread may not have set itself up yet when stop() comes right after
            // start(): its stop() then throws (NPE on messageChannels). Let it finish starting and stop again.
            LOG.debug("SIP stack stop raced its start-up; stopping again", raced);
            try {
                Thread.sleep(50);
                stack.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException again) {
                LOG.warn("SIP stack did not stop cleanly", again);
            }
        }
    }

    /** JAIN-SIP's callbacks: grab what must be grabbed on the stack's thread, then continue on the event thread. */
    private final class Dispatcher implements SipListener {
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
    }

    /**
     * Whether the sender speaks SIP/2.0. JAIN-SIP's parser rewrites any request-line version to SIP/2.0, but the top
     * Via keeps the sent protocol as written, so that is where a SIP/7.0 request shows (RFC 4475 badvers).
     */
    private static boolean speaksSip20(Request request) {
        javax.sip.header.Header via = request.getHeader(javax.sip.header.ViaHeader.NAME);
        return via == null || SIP_20_VIA.matcher(via.toString()).find();
    }

    private static boolean hasBranch(Request request) {
        javax.sip.header.ViaHeader via = (javax.sip.header.ViaHeader) request.getHeader(javax.sip.header.ViaHeader.NAME);
        return via != null && via.getBranch() != null && !via.getBranch().isBlank();
    }

    private static String callIdOf(javax.sip.header.Header header) {
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
                onNewInvite(callId, request, transaction);
            } else {
                agent.respond(transaction, request, Response.LOOP_DETECTED);
            }
            return;
        }
        if (Request.OPTIONS.equals(method)) {
            agent.respondToOptions(transaction, request);
        } else if (call != null) {
            call.onRequest(request, transaction, dialog);
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
