package dev.ringback.sip;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Set;
import javax.sip.address.SipURI;
import javax.sip.header.ContactHeader;
import javax.sip.message.Response;

/**
 * The targets one call has tried, for following 3xx redirections (RFC 3261 8.1.3.4) a bounded number of times and
 * never twice to the same place. Targets are compared as user@host:port, so parameters cannot disguise a loop.
 */
final class RedirectTargets {
    /** What to do with a 3xx. */
    sealed interface Decision permits Follow, Loop, TooMany, NoTarget {}

    record Follow(SipURI target) implements Decision {}

    record Loop(String target) implements Decision {}

    record TooMany(int limit) implements Decision {}

    record NoTarget() implements Decision {}

    /** A Contact of a 3xx with its q value (1.0 when absent). */
    record Candidate(SipURI uri, float q) {}

    private final int limit;
    private final Set<String> tried = new HashSet<>();
    private int followed;

    RedirectTargets(SipURI firstTarget, int limit) {
        this.limit = limit;
        tried.add(key(firstTarget));
    }

    /** Records a target reached another way (the next trunk host after a 503), so a redirect back to it is a loop too. */
    void tried(SipURI target) {
        tried.add(key(target));
    }

    /** The sip: Contacts of a 3xx, with their q values; tel:, * and the like cannot be followed and are left out. */
    static List<Candidate> candidates(Response redirect) {
        List<Candidate> contacts = new ArrayList<>();
        ListIterator<?> headers = redirect.getHeaders(ContactHeader.NAME);
        while (headers != null && headers.hasNext()) {
            ContactHeader contact = (ContactHeader) headers.next();
            if (contact.getAddress() == null || !(contact.getAddress().getURI() instanceof SipURI uri)) continue;
            float q = contact.getQValue();
            contacts.add(new Candidate(uri, q < 0 ? 1f : q));
        }
        return contacts;
    }

    /** The best Contact not tried yet (highest q first, then as listed). */
    Decision next(List<Candidate> contacts) {
        if (contacts.isEmpty()) return new NoTarget();
        List<Candidate> ordered = new ArrayList<>(contacts);
        ordered.sort(Comparator.comparingDouble(c -> -c.q())); // stable: equal q keeps the listed order
        Candidate fresh = ordered.stream().filter(c -> !tried.contains(key(c.uri()))).findFirst().orElse(null);
        if (fresh == null) return new Loop(key(ordered.get(0).uri()));
        if (followed >= limit) return new TooMany(limit);
        followed++;
        tried.add(key(fresh.uri()));
        return new Follow(fresh.uri());
    }

    static String key(SipURI uri) {
        int port = uri.getPort() > 0 ? uri.getPort() : uri.isSecure() ? 5061 : 5060;
        String user = uri.getUser() == null ? "" : uri.getUser();
        return (uri.isSecure() ? "sips:" : "sip:") + user + "@" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }
}
