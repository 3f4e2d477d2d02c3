package dev.ringback.sip;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javax.sip.ClientTransaction;
import javax.sip.InvalidArgumentException;
import javax.sip.ResponseEvent;
import javax.sip.SipException;
import javax.sip.address.SipURI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Knows which trunk hosts are up: OPTIONS probes every keep-alive interval, plus what calls learn (a 503 or silence to
 * an INVITE marks a host down). Gives calls the order to try hosts in. Mutated only on the agent's event thread;
 * {@link #statuses()} may be read from anywhere.
 */
final class TrunkMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(TrunkMonitor.class);

    private final AgentContext agent;
    private final List<TrunkHost> hosts;
    private final Map<TrunkHost, TrunkStatus> statuses = new ConcurrentHashMap<>();
    /** Probes waiting for an answer, by Call-ID. */
    private final Map<String, Probe> pending = new HashMap<>();
    private volatile Consumer<TrunkStatus> listener = status -> { };

    private record Probe(TrunkHost host, ClientTransaction transaction) {}

    TrunkMonitor(AgentContext agent) {
        this.agent = agent;
        this.hosts = agent.config.trunks();
        Instant now = Instant.now();
        for (TrunkHost host : hosts) statuses.put(host, new TrunkStatus(host, true, 0, now));
    }

    void onChange(Consumer<TrunkStatus> changeListener) {
        this.listener = changeListener == null ? status -> { } : changeListener;
    }

    List<TrunkStatus> statuses() {
        List<TrunkStatus> ordered = new ArrayList<>();
        for (TrunkHost host : hosts) ordered.add(statuses.get(host));
        return List.copyOf(ordered);
    }

    /** Hosts in the order a new call tries them: those up by priority, then those down (they may have recovered). */
    List<TrunkHost> dialOrder() {
        List<TrunkHost> order = new ArrayList<>();
        for (TrunkHost host : hosts) if (statuses.get(host).up()) order.add(host);
        for (TrunkHost host : hosts) if (!statuses.get(host).up()) order.add(host);
        return order;
    }

    TrunkHost preferred() {
        return dialOrder().get(0);
    }

    /** What an answer (or none: status 0) from {@code host} says about it: 503 or silence is down, anything else up. */
    void observed(TrunkHost host, int status) {
        TrunkStatus before = statuses.get(host);
        if (before == null) return;
        boolean up = status != 0 && status != Response.SERVICE_UNAVAILABLE;
        TrunkStatus after = new TrunkStatus(host, up, status, before.up() == up ? before.since() : Instant.now());
        statuses.put(host, after);
        if (before.up() == up) return;
        LOG.info("trunk {} is {} ({})", host, up ? "up" : "down", status == 0 ? "no response" : status);
        try {
            listener.accept(after);
        } catch (RuntimeException e) {
            LOG.warn("trunk status listener threw on {}", after, e);
        }
    }

    /** Starts the OPTIONS keep-alive when the config asks for one. */
    void start() {
        Duration interval = agent.config.keepAliveInterval();
        if (interval.isZero()) return;
        agent.execute(this::probeAll);
    }

    private void probeAll() {
        Duration interval = agent.config.keepAliveInterval();
        for (TrunkHost host : hosts) probe(host);
        // a probe unanswered within the INVITE timeout (or the interval, if shorter) counts as silence
        Duration patience = interval.compareTo(agent.config.inviteTimeout()) < 0 ? interval : agent.config.inviteTimeout();
        agent.schedule(patience, this::expirePending);
        agent.schedule(interval, this::probeAll);
    }

    private void probe(TrunkHost host) {
        try {
            SipURI target = agent.addresses.createSipURI(null, host.host());
            target.setPort(host.port());
            if (agent.config.transport() != Transport.UDP) target.setTransportParam(agent.config.transport().token());
            SipURI fromUri = agent.addresses.createSipURI(agent.config.fromUser(), host.host());
            CallIdHeader callId = agent.provider.getNewCallId();
            ViaHeader via = agent.headers.createViaHeader(agent.config.listenHost(), agent.localPort, agent.config.transport().token(), AgentContext.newBranch());
            via.setRPort();
            Request options = agent.messages.createRequest(target, Request.OPTIONS, callId,
                    agent.headers.createCSeqHeader(1L, Request.OPTIONS),
                    agent.headers.createFromHeader(agent.addresses.createAddress(fromUri), AgentContext.newTag()),
                    agent.headers.createToHeader(agent.addresses.createAddress(target), null),
                    List.of(via), agent.headers.createMaxForwardsHeader(70));
            options.addHeader(agent.contact(agent.config.fromUser()));
            ClientTransaction tx = agent.provider.getNewClientTransaction(options);
            pending.put(callId.getCallId(), new Probe(host, tx));
            tx.sendRequest();
        } catch (ParseException | InvalidArgumentException | SipException | RuntimeException e) {
            LOG.warn("could not probe trunk {}: {}", host, e.toString());
            observed(host, 0);
        }
    }

    /** Takes the answer to one of our probes; false for any other response. */
    boolean onResponse(ResponseEvent event) {
        CallIdHeader callId = (CallIdHeader) event.getResponse().getHeader(CallIdHeader.NAME);
        if (callId == null) return false;
        Probe probe = pending.get(callId.getCallId());
        if (probe == null) return false;
        int status = event.getResponse().getStatusCode();
        if (status >= 200) {
            pending.remove(callId.getCallId());
            observed(probe.host(), status);
        }
        return true;
    }

    private void expirePending() {
        for (Probe probe : List.copyOf(pending.values())) {
            observed(probe.host(), 0);
            try {
                probe.transaction().terminate(); // no point retransmitting until Timer F
            } catch (javax.sip.ObjectInUseException | RuntimeException e) {
                LOG.debug("probe transaction already gone", e);
            }
        }
        pending.clear();
    }
}
