package dev.ringback.sip;

import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Set;
import javax.sip.ServerTransaction;
import javax.sip.header.AcceptHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.RequireHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * What a UAS refuses before any call sees a request (RFC 3261 8.2.2, 8.2.3): a Request-URI scheme it does not know
 * (416), an extension the request requires and we lack (420, naming it in Unsupported), and for a new call an offer
 * that is not SDP (415, saying we accept SDP) or an Accept that rules out the SDP we would answer with (406). A refused
 * request has been answered. Runs on the agent's event thread.
 */
final class RequestChecks {
    private static final Set<String> SCHEMES = Set.of("sip", "sips", "tel");
    /** The option tags we support: RFC 4028 session timers, as our OPTIONS answer says. */
    private static final Set<String> SUPPORTED = Set.of("timer");

    private final AgentContext agent;

    RequestChecks(AgentContext agent) {
        this.agent = agent;
    }

    /** True when {@code request} was refused for its Request-URI's scheme or an extension it requires. */
    boolean refused(Request request, ServerTransaction transaction) {
        String scheme = request.getRequestURI().getScheme();
        if (scheme == null || !SCHEMES.contains(scheme.toLowerCase(Locale.ROOT))) {
            agent.respond(transaction, request, Response.UNSUPPORTED_URI_SCHEME);
            return true;
        }
        if (Request.CANCEL.equals(request.getMethod())) return false; // Require does not apply to CANCEL (RFC 3261 8.2.2.3)
        List<String> unsupported = unsupported(request);
        if (unsupported.isEmpty()) return false;
        agent.respond(transaction, request, Response.BAD_EXTENSION, response -> {
            for (String tag : unsupported) response.addHeader(agent.headers.createUnsupportedHeader(tag));
        });
        return true;
    }

    /** For a new INVITE: true when it was refused for a body that is not SDP or an Accept that excludes SDP. */
    boolean refusedOffer(Request invite, ServerTransaction transaction) {
        byte[] body = invite.getRawContent();
        ContentTypeHeader type = (ContentTypeHeader) invite.getHeader(ContentTypeHeader.NAME);
        if (body != null && body.length > 0 && type != null && !matchesSdp(type.getContentType(), type.getContentSubType(), false)) {
            agent.respond(transaction, invite, Response.UNSUPPORTED_MEDIA_TYPE,
                    response -> response.addHeader(agent.headers.createAcceptHeader("application", "sdp")));
            return true;
        }
        if (!acceptsSdp(invite)) {
            agent.respond(transaction, invite, Response.NOT_ACCEPTABLE);
            return true;
        }
        return false;
    }

    private static List<String> unsupported(Request request) {
        List<String> tags = new ArrayList<>();
        ListIterator<?> required = request.getHeaders(RequireHeader.NAME);
        while (required != null && required.hasNext()) {
            String tag = ((RequireHeader) required.next()).getOptionTag();
            if (tag != null && !tag.isBlank() && !SUPPORTED.contains(tag.trim().toLowerCase(Locale.ROOT))) tags.add(tag.trim());
        }
        return tags;
    }

    /** No Accept header accepts anything; an Accept header without a type is not held against the request. */
    private static boolean acceptsSdp(Request request) {
        ListIterator<?> accepts = request.getHeaders(AcceptHeader.NAME);
        if (accepts == null || !accepts.hasNext()) return true;
        while (accepts.hasNext()) {
            AcceptHeader accept = (AcceptHeader) accepts.next();
            if (accept.getContentType() == null || matchesSdp(accept.getContentType(), accept.getContentSubType(), true)) return true;
        }
        return false;
    }

    private static boolean matchesSdp(String type, String subType, boolean wildcards) {
        boolean typeMatches = "application".equalsIgnoreCase(type) || wildcards && "*".equals(type);
        boolean subTypeMatches = "sdp".equalsIgnoreCase(subType) || wildcards && "*".equals(subType);
        return typeMatches && subTypeMatches;
    }
}
