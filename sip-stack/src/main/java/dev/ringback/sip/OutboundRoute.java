package dev.ringback.sip;

import java.text.ParseException;
import javax.sip.address.SipURI;
import javax.sip.header.RouteHeader;
import javax.sip.message.Request;

/**
 * Pre-loaded routes (RFC 3261 8.1.2): an out-of-dialog request names its next hops in loose Route headers and keeps
 * the trunk's or registrar's domain in its Request-URI. JAIN-SIP sends to the top Route; inside a dialog the route set
 * comes from Record-Route instead.
 */
final class OutboundRoute {
    private OutboundRoute() {
    }

    /** Adds a Route to the configured outbound proxy, if any, below any Route already on {@code request}. */
    static void viaOutboundProxy(AgentContext agent, Request request) throws ParseException {
        if (agent.config.outboundProxy().isPresent()) request.addHeader(to(agent, agent.config.outboundProxy().get()));
    }

    /** A loose Route header to {@code hop} over the agent's transport. */
    static RouteHeader to(AgentContext agent, TrunkHost hop) throws ParseException {
        SipURI uri = agent.addresses.createSipURI(null, hop.host());
        uri.setPort(hop.port());
        uri.setLrParam();
        if (agent.config.transport() != Transport.UDP) uri.setTransportParam(agent.config.transport().token());
        return agent.headers.createRouteHeader(agent.addresses.createAddress(uri));
    }
}
