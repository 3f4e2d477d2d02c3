package dev.ringback.server.sim;

import dev.ringback.sip.IncomingCall;
import dev.ringback.sip.SipConfig;
import dev.ringback.sip.SipStartException;
import dev.ringback.sip.SipUserAgent;
import dev.ringback.sip.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stands in for the business's SIP trunk on loopback (a real SIP user agent): Ringback dials through it, and it
 * hands each INVITE to the simulated phone of the number dialled (the customers', the on-call person's). A number
 * without a phone gets 404, as from a real network.
 */
public final class LoopbackTrunk implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LoopbackTrunk.class);

    /** A phone behind the trunk. */
    public interface Phone {
        void ring(IncomingCall call);
    }

    private final SipUserAgent sip;
    private final Map<String, Phone> phones = new ConcurrentHashMap<>();

    private LoopbackTrunk(SipUserAgent sip) {
        this.sip = sip;
    }

    public static LoopbackTrunk start(String host) throws SipStartException {
        // the trunk only receives calls: its own "trunk" setting is never dialled
        SipUserAgent sip = SipUserAgent.start(SipConfig.builder().listen(host, 0).transport(Transport.UDP).trunk(host, 5060)
                .from("trunk", "Loopback trunk").build());
        LoopbackTrunk trunk = new LoopbackTrunk(sip);
        sip.onIncomingCall(trunk::route);
        return trunk;
    }

    public int sipPort() {
        return sip.localPort();
    }

    /** Calls to {@code number} (E.164, as Ringback dials it) ring this phone from now on. */
    public void connect(String number, Phone phone) {
        phones.put(digits(number), phone);
    }

    public void disconnect(String number) {
        phones.remove(digits(number));
    }

    private void route(IncomingCall call) {
        Phone phone = phones.get(digits(call.toUser()));
        if (phone == null) {
            log.info("loopback trunk: no phone for {}", call.toUser());
            call.reject(404, "Not Found");
            return;
        }
        phone.ring(call);
    }

    private static String digits(String number) {
        return number.replaceAll("[^0-9]", "");
    }

    @Override
    public void close() {
        sip.close();
    }
}
