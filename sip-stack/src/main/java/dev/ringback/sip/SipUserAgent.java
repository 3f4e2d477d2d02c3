package dev.ringback.sip;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javax.sip.SipStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SIP user agent on JAIN-SIP RI: places calls through the trunk and receives calls. Each agent owns its own
 * JAIN-SIP stack, so several agents can live in one JVM. Every call event and every handler callback runs on the
 * agent's single event thread ("sip-events-…"): listeners must not block.
 */
public final class SipUserAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SipUserAgent.class);
    /** E.164 ("+61412000111") or a plain SIP user name: characters that need no escaping in a SIP URI's user part. */
    private static final Pattern DIALLABLE = Pattern.compile("[A-Za-z0-9+*#._-]{1,64}");

    private final SipStack stack;
    private final ScheduledThreadPoolExecutor events;
    private final AtomicReference<Thread> eventThread;
    private final AgentContext agent;
    private final SipEventRouter router;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Null when the config asks for no registration. */
    private final Registration registration;

    private SipUserAgent(AgentBootstrap.Running running) {
        this.stack = running.stack();
        this.events = running.events();
        this.eventThread = running.eventThread();
        this.agent = running.agent();
        this.router = running.router();
        this.registration = running.registration();
    }

    /**
     * Starts an agent on its own JAIN-SIP stack: listening, probing the trunk hosts when the config says so and
     * registering when it asks for that.
     *
     * @throws SipStartException when the port cannot be had, the TLS stores cannot be read, or the stack will not start
     */
    public static SipUserAgent start(SipConfig config) throws SipStartException {
        Objects.requireNonNull(config, "config");
        return new SipUserAgent(AgentBootstrap.start(config));
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

    Occupancy occupancy() throws ExecutionException, InterruptedException, TimeoutException {
        int calls = events.submit(() -> { // the call registry is only touched on the event thread
            int n = 0;
            for (ActiveCall ignored : agent.activeCalls()) n++;
            return n;
        }).get(5, TimeUnit.SECONDS);
        var transactions = (gov.nist.javax.sip.stack.SIPTransactionStack) stack;
        var dialogs = transactions.getDialogs();
        String states = dialogs.stream().collect(Collectors.groupingBy(d -> String.valueOf(d.getState()),
                TreeMap::new, Collectors.counting())).toString();
        if (dialogs.size() <= 3) { // few enough to name: which ones stayed
            states += dialogs.stream().map(d -> d.getCallId().getCallId() + (d.isServer() ? " (server)" : " (client)")).toList();
        }
        return new Occupancy(calls, dialogs.size(), transactions.getServerTransactionTableSize(), transactions.getClientTransactionTableSize(), states);
    }

    static boolean isDiallable(String number) {
        return number != null && DIALLABLE.matcher(number).matches();
    }

    /** The trunk hosts in priority order, with what the OPTIONS keep-alive and recent calls say about them. */
    public List<TrunkStatus> trunkStatus() {
        return agent.trunks.statuses();
    }

    /** Called (on the event thread, must not block) whenever a trunk host goes down or comes back up. */
    public void onTrunkStatusChange(Consumer<TrunkStatus> listener) {
        agent.trunks.onChange(listener);
    }

    /** Where the registration with the PBX/trunk stands; empty when the config asks for none. */
    public Optional<RegistrationStatus> registrationStatus() {
        return registration == null ? Optional.empty() : Optional.of(registration.status());
    }

    /**
     * Called (on the event thread, must not block) first with the current registration status, then with every new one
     * (state changes and refreshes). Nothing happens when the config asks for no registration.
     */
    public void onRegistrationChange(Consumer<RegistrationStatus> listener) {
        if (registration != null) registration.onChange(listener);
    }

    /** Sets who decides about incoming calls; without a handler they are answered 480. */
    public void onIncomingCall(IncomingCallHandler handler) {
        router.onIncomingCall(handler);
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
        AgentBootstrap.stop(stack, events);
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
}
