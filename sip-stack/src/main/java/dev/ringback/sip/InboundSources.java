package dev.ringback.sip;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Who may call us: new INVITEs are taken only from the configured trunk and PBX hosts (the trunk, its alternates, the
 * outbound proxy, the registrar) and the hosts named in {@link SipConfig#inboundFrom()}. Anything else is refused
 * before a transaction exists: a 403 while a source stays under a few refusals a minute (logged once a minute), then
 * nothing at all, so a scanner sweeping the port learns nothing and costs nothing.
 */
final class InboundSources {
    private static final Logger LOG = LoggerFactory.getLogger(InboundSources.class);
    /** Refusals answered per source per minute; beyond that its INVITEs are dropped unanswered. */
    static final int ANSWERED_PER_MINUTE = 5;
    private static final long MINUTE_NANOS = 60_000_000_000L;
    /** Sources remembered for rate limiting; the oldest go first when more arrive. */
    private static final int SOURCES_TRACKED = 4096;

    /** What to do with an INVITE from a source not allowed. */
    enum Refusal { FORBIDDEN, SILENT }

    private record Window(long startNanos, int count) {}

    private final Set<InetAddress> allowed;
    private final List<String> names;
    private final Map<InetAddress, Window> recent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, Window> eldest) {
            return size() > SOURCES_TRACKED;
        }
    };
    private final AtomicLong refused = new AtomicLong();

    private InboundSources(Set<InetAddress> allowed, List<String> names) {
        this.allowed = Set.copyOf(allowed);
        this.names = List.copyOf(names);
    }

    /** The hosts of the config, resolved now (a name that does not resolve is logged and left out). */
    static InboundSources of(SipConfig config) {
        List<String> hosts = new ArrayList<>();
        hosts.add(config.trunkHost());
        config.alternateTrunks().forEach(t -> hosts.add(t.host()));
        config.outboundProxy().ifPresent(p -> hosts.add(p.host()));
        config.registration().flatMap(RegistrationSettings::registrar).ifPresent(r -> hosts.add(r.host()));
        hosts.addAll(config.inboundFrom());
        Set<InetAddress> addresses = new LinkedHashSet<>();
        for (String host : new LinkedHashSet<>(hosts)) {
            try {
                for (InetAddress a : InetAddress.getAllByName(host)) addresses.add(a);
            } catch (UnknownHostException e) {
                LOG.warn("inbound calls from {} cannot be taken: the name does not resolve", host);
            }
        }
        return new InboundSources(addresses, new ArrayList<>(new LinkedHashSet<>(hosts)));
    }

    boolean allows(InetAddress source) {
        return source != null && allowed.contains(source);
    }

    /** Counts a refused INVITE from {@code source} and says whether it still gets an answer. */
    synchronized Refusal refuse(InetAddress source, long nowNanos) {
        long total = refused.incrementAndGet();
        Window w = recent.get(source);
        if (w == null || nowNanos - w.startNanos() >= MINUTE_NANOS) {
            w = new Window(nowNanos, 0);
            LOG.info("INVITE from {} refused with 403: not one of the trunk/PBX hosts {} ({} refused in all)", source, names, total);
        }
        w = new Window(w.startNanos(), w.count() + 1);
        recent.put(source, w);
        return w.count() <= ANSWERED_PER_MINUTE ? Refusal.FORBIDDEN : Refusal.SILENT;
    }

    /** INVITEs refused since start-up, answered or not. */
    long refused() {
        return refused.get();
    }
}
