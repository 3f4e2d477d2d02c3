package dev.ringback.sip;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import javax.sip.InvalidArgumentException;
import javax.sip.SipException;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.CSeqHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;

/**
 * The INVITEs of one call we place: the first one to a trunk host, and each next attempt after a 401/407, 422, 3xx or
 * fail-over. A next attempt is a new transaction of the same call (RFC 3261 8.1.3.4, 22.2): same Call-ID, the next
 * CSeq, a fresh Via branch.
 */
final class InviteBuilder {
    static final String MIN_SE = "Min-SE";
    private static final String P_ASSERTED_IDENTITY = "P-Asserted-Identity";

    private final AgentContext agent;
    private final String callId;
    private final String number;
    private final Supplier<String> offer;

    /** @param offer our SDP offer, the body of every INVITE of the call */
    InviteBuilder(AgentContext agent, String callId, String number, Supplier<String> offer) {
        this.agent = agent;
        this.callId = callId;
        this.number = number;
        this.offer = offer;
    }

    /** The call's first INVITE, to {@code trunk}. */
    Request first(TrunkHost trunk) throws ParseException, InvalidArgumentException {
        SipConfig config = agent.config;
        SipURI target = agent.dialTarget(number, trunk);
        if (config.transport() != Transport.UDP) target.setTransportParam(config.transport().token());

        SipURI fromUri = agent.addresses.createSipURI(config.fromUser(), trunk.host());
        Address fromAddress = agent.addresses.createAddress(fromUri);
        if (!config.fromDisplayName().isBlank()) fromAddress.setDisplayName(config.fromDisplayName());
        FromHeader from = agent.headers.createFromHeader(fromAddress, AgentContext.newTag());

        Request request = agent.messages.createRequest(target, Request.INVITE,
                agent.headers.createCallIdHeader(callId),
                agent.headers.createCSeqHeader(1L, Request.INVITE),
                from,
                agent.headers.createToHeader(agent.addresses.createAddress(target), null),
                List.of(newVia()),
                agent.headers.createMaxForwardsHeader(70),
                agent.headers.createContentTypeHeader("application", "sdp"),
                offer.get().getBytes(StandardCharsets.US_ASCII));
        request.addHeader(agent.contact(config.fromUser()));
        OutboundRoute.viaOutboundProxy(agent, request);
        request.addHeader(agent.headers.createAllowHeader(AgentContext.ALLOWED_METHODS));
        if (!config.sessionExpires().isZero()) {
            // RFC 4028: we offer to refresh; the answer's Session-Expires decides who does
            request.addHeader(agent.headers.createSupportedHeader("timer"));
            request.addHeader(agent.headers.createHeader(SessionExpires.NAME, config.sessionExpires().toSeconds() + ";refresher=uac"));
            request.addHeader(agent.headers.createHeader(MIN_SE, Long.toString(SipConfig.MIN_SESSION_EXPIRES.toSeconds())));
        }
        if (config.assertedIdentity().isPresent()) request.addHeader(assertedIdentity(config.assertedIdentity().get(), trunk));
        request.addHeader(agent.headers.createUserAgentHeader(List.of("Ringback")));
        return request;
    }

    /** After a 503 or silence: the INVITE a first attempt at {@code trunk} would be, numbered after {@code previous}. */
    Request toNextTrunk(Request previous, TrunkHost trunk) throws ParseException, InvalidArgumentException {
        Request next = first(trunk);
        ((CSeqHeader) next.getHeader(CSeqHeader.NAME)).setSeqNumber(cseqOf(previous) + 1);
        return next;
    }

    /** After a 3xx: {@code previous} sent to {@code contact}, without the credentials meant for the old target. */
    Request redirected(Request previous, SipURI contact) throws ParseException, InvalidArgumentException, SipException {
        SipURI target = (SipURI) contact.clone();
        target.removeParameter("method"); // Contact URI parameters that do not belong in a Request-URI
        target.removeParameter("maddr");
        Request next = nextAttempt(previous);
        next.setRequestURI(target);
        next.removeHeader(AuthorizationHeader.NAME);
        next.removeHeader(ProxyAuthorizationHeader.NAME);
        return next;
    }

    /** After a 422 (RFC 4028 6): {@code previous} asking for a session interval of {@code seconds}. */
    Request withSessionInterval(Request previous, long seconds) throws ParseException, InvalidArgumentException, SipException {
        Request next = nextAttempt(previous);
        next.removeHeader(SessionExpires.NAME);
        next.removeHeader(MIN_SE);
        next.addHeader(agent.headers.createHeader(SessionExpires.NAME, seconds + ";refresher=uac"));
        next.addHeader(agent.headers.createHeader(MIN_SE, Long.toString(seconds)));
        return next;
    }

    /** After a 401/407: {@code previous} carrying {@code authorizations} instead of what it carried before. */
    Request withCredentials(Request previous, Collection<AuthorizationHeader> authorizations)
            throws ParseException, InvalidArgumentException, SipException {
        Request next = nextAttempt(previous);
        next.removeHeader(AuthorizationHeader.NAME);
        next.removeHeader(ProxyAuthorizationHeader.NAME);
        for (AuthorizationHeader header : authorizations) next.addHeader(header);
        return next;
    }

    /** A copy of {@code previous} as a new transaction of the call: the next CSeq, a new Via branch. */
    private Request nextAttempt(Request previous) throws ParseException, InvalidArgumentException, SipException {
        Request next = (Request) previous.clone();
        ((CSeqHeader) next.getHeader(CSeqHeader.NAME)).setSeqNumber(cseqOf(previous) + 1);
        next.removeHeader(ViaHeader.NAME);
        next.addFirst(newVia());
        return next;
    }

    private static long cseqOf(Request request) {
        return ((CSeqHeader) request.getHeader(CSeqHeader.NAME)).getSeqNumber();
    }

    /** RFC 3325 P-Asserted-Identity: a number/user at the trunk host, or a full sip:/tel: URI, with our display name. */
    private Header assertedIdentity(String identity, TrunkHost trunk) throws ParseException {
        String uri = identity.contains(":") ? identity : "sip:" + identity + "@" + trunk.host();
        String display = agent.config.fromDisplayName().replace("\\", "").replace("\"", "");
        return agent.headers.createHeader(P_ASSERTED_IDENTITY, (display.isBlank() ? "" : "\"" + display + "\" ") + "<" + uri + ">");
    }

    private ViaHeader newVia() throws ParseException, InvalidArgumentException {
        ViaHeader via = agent.headers.createViaHeader(agent.config.listenHost(), agent.localPort,
                agent.config.transport().token(), AgentContext.newBranch());
        via.setRPort();
        return via;
    }
}
