package dev.ringback.sip;

import dev.ringback.sip.auth.Credentials;
import dev.ringback.sip.auth.DigestChallenge;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.ListIterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import javax.sip.ClientTransaction;
import javax.sip.InvalidArgumentException;
import javax.sip.ResponseEvent;
import javax.sip.SipException;
import javax.sip.TimeoutEvent;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.MinExpiresHeader;
import javax.sip.header.ProxyAuthenticateHeader;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.RetryAfterHeader;
import javax.sip.header.ViaHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the agent registered (RFC 3261 section 10): REGISTER with digest auth, refresh at half the lifetime the registrar
 * granted, back-off after failures, REGISTER with Expires: 0 on close. The only place that reads responses to REGISTER.
 * Runs on the agent's event thread; {@link #status()} may be read from anywhere.
 */
final class Registration {
    private static final Logger LOG = LoggerFactory.getLogger(Registration.class);
    /** Challenges answered in one attempt: the first, plus one marked stale (a nonce that expired on the way). */
    private static final int MAX_AUTH_ROUNDS = 2;

    private final AgentContext agent;
    private final RegistrationSettings settings;
    private final TrunkHost registrar;
    private final String domain;
    /** RFC 3261 10.2.4: refreshes keep the Call-ID and raise the CSeq. */
    private final String callId;
    private long cseq;
    private Duration lifetime;

    private volatile RegistrationStatus status;
    private volatile Consumer<RegistrationStatus> listener = s -> { };

    /** The REGISTER in flight, if any; answers to older ones are ignored. */
    private ClientTransaction pending;
    private Request lastRequest;
    private int authRounds;
    private boolean lifetimeRaised;
    /** Expires value of the REGISTER in flight: 0 while unregistering. */
    private long requestedExpires;
    private int consecutiveFailures;
    /** Whether the registrar may hold a binding of ours (a 2xx was seen since the last removal). */
    private boolean bound;
    private boolean closing;
    private CompletableFuture<Void> removed;
    private ScheduledFuture<?> nextAttempt;
    private ScheduledFuture<?> responseTimer;

    Registration(AgentContext agent, RegistrationSettings settings) {
        this.agent = agent;
        this.settings = settings;
        this.registrar = settings.registrar().orElse(agent.config.trunks().get(0));
        this.domain = settings.domain().orElse(registrar.host());
        this.callId = agent.provider.getNewCallId().getCallId();
        this.lifetime = settings.expires();
        this.status = new RegistrationStatus(RegistrationStatus.State.UNREGISTERED, 0, "not registered yet",
                Optional.empty(), Optional.empty(), Instant.now());
    }

    RegistrationStatus status() {
        return status;
    }

    /** Sets the listener and tells it the current status, so a listener set after start-up misses nothing. */
    void onChange(Consumer<RegistrationStatus> changeListener) {
        Consumer<RegistrationStatus> now = changeListener == null ? s -> { } : changeListener;
        this.listener = now;
        agent.execute(() -> {
            if (listener == now) notify(now, status);
        });
    }

    void start() {
        agent.execute(this::attempt);
    }

    // ---- sending ----

    private void attempt() {
        if (closing) return;
        authRounds = 0;
        lifetimeRaised = false;
        if (status.state() != RegistrationStatus.State.REGISTERED) {
            setStatus(RegistrationStatus.State.REGISTERING, 0, "REGISTER sent to " + registrar, Optional.empty(), Optional.empty());
        }
        send(lifetime.toSeconds(), Map.of());
    }

    private void send(long expires, Map<String, AuthorizationHeader> authorizations) {
        try {
            Request register = build(expires);
            for (AuthorizationHeader header : authorizations.values()) register.addHeader(header);
            requestedExpires = expires;
            lastRequest = register;
            ClientTransaction tx = agent.provider.getNewClientTransaction(register);
            pending = tx;
            cancel(responseTimer);
            tx.sendRequest();
            // armed once sent: a TCP/TLS connect and handshake (done inside sendRequest) is not the registrar's silence
            responseTimer = agent.schedule(agent.config.inviteTimeout(), () -> onNoResponse(tx));
        } catch (ParseException | InvalidArgumentException | SipException | RuntimeException e) {
            // a TLS handshake refused, a TCP connection refused: the reason is in the exception
            LOG.warn("could not send REGISTER to {}: {}", registrar, e.getMessage());
            pending = null;
            cancel(responseTimer);
            transientFailure(0, "could not send REGISTER to " + registrar + ": " + e.getMessage(), Duration.ZERO);
        }
    }

    private Request build(long expires) throws ParseException, InvalidArgumentException {
        SipConfig config = agent.config;
        SipURI requestUri = agent.addresses.createSipURI(null, domain);
        boolean viaRegistrar = !domain.equals(registrar.host());
        if (!viaRegistrar) requestUri.setPort(registrar.port());
        if (config.transport() != Transport.UDP) requestUri.setTransportParam(config.transport().token());
        Address aor = agent.addresses.createAddress(agent.addresses.createSipURI(settings.user(), domain));
        ViaHeader via = agent.headers.createViaHeader(config.listenHost(), agent.localPort, config.transport().token(), AgentContext.newBranch());
        via.setRPort();
        Request register = agent.messages.createRequest(requestUri, Request.REGISTER,
                agent.headers.createCallIdHeader(callId),
                agent.headers.createCSeqHeader(++cseq, Request.REGISTER),
                agent.headers.createFromHeader(aor, AgentContext.newTag()),
                agent.headers.createToHeader(aor, null),
                java.util.List.of(via),
                agent.headers.createMaxForwardsHeader(70));
        OutboundRoute.viaOutboundProxy(agent, register);
        // the AOR's domain is not the registrar's address: reach the registrar through a loose route
        if (viaRegistrar) register.addHeader(OutboundRoute.to(agent, registrar));
        register.addHeader(agent.contact(settings.user()));
        register.addHeader(agent.headers.createExpiresHeader((int) Math.min(Integer.MAX_VALUE, expires)));
        register.addHeader(agent.headers.createAllowHeader(AgentContext.ALLOWED_METHODS));
        register.addHeader(agent.headers.createUserAgentHeader(java.util.List.of("Ringback")));
        return register;
    }

    // ---- answers: the one place that reads REGISTER status codes ----

    /** Takes a response to one of our REGISTERs; false for any other response. */
    boolean onResponse(ResponseEvent event) {
        Response response = event.getResponse();
        if (!callId.equals(callIdOf(response))) return false;
        if (event.getClientTransaction() == null || event.getClientTransaction() != pending) return true; // an old attempt
        int code = response.getStatusCode();
        if (code < 200) return true;
        pending = null;
        cancel(responseTimer);
        if (code < 300) {
            onSuccess(response);
        } else if (code == Response.UNAUTHORIZED || code == Response.PROXY_AUTHENTICATION_REQUIRED) {
            onChallenge(response);
        } else if (code == Response.INTERVAL_TOO_BRIEF && !closing && raiseLifetime(response)) {
            send(lifetime.toSeconds(), Map.of());
        } else if (closing) {
            finishRemoval(code, "registrar answered " + describe(response) + " to the removal");
        } else if (code == Response.REQUEST_TIMEOUT || code == Response.TEMPORARILY_UNAVAILABLE || code >= 500 && code < 600) {
            transientFailure(code, "registrar answered " + describe(response), retryAfter(response));
        } else {
            permanentFailure(code, "registrar refused the registration: " + describe(response));
        }
        return true;
    }

    private void onSuccess(Response response) {
        if (closing) {
            bound = false;
            finishRemoval(response.getStatusCode(), "registration removed");
            return;
        }
        long granted = grantedSeconds(response);
        if (granted <= 0) {
            transientFailure(response.getStatusCode(), "registrar answered " + describe(response) + " but kept no binding for our contact", Duration.ZERO);
            return;
        }
        bound = true;
        consecutiveFailures = 0;
        Instant now = Instant.now();
        // refresh at half-time: leaves room for a slow registrar and one lost request
        Duration refreshIn = Duration.ofMillis(Math.max(1000, granted * 1000 / 2));
        cancel(nextAttempt);
        nextAttempt = agent.schedule(refreshIn, this::attempt);
        setStatus(RegistrationStatus.State.REGISTERED, response.getStatusCode(), "registered as " + settings.user() + "@" + domain
                        + " at " + registrar + " for " + granted + " s",
                Optional.of(now.plusSeconds(granted)), Optional.of(now.plus(refreshIn)));
    }

    /** The lifetime the registrar gave our contact: its expires parameter, else the Expires header, else what we asked. */
    private long grantedSeconds(Response response) {
        ListIterator<?> contacts = response.getHeaders(ContactHeader.NAME);
        while (contacts != null && contacts.hasNext()) {
            ContactHeader contact = (ContactHeader) contacts.next();
            if (isOurs(contact.getAddress().getURI()) && contact.getExpires() >= 0) return contact.getExpires();
        }
        ExpiresHeader expires = (ExpiresHeader) response.getHeader(ExpiresHeader.NAME);
        return expires != null ? expires.getExpires() : requestedExpires;
    }

    private boolean isOurs(URI uri) {
        return uri instanceof SipURI sip && settings.user().equals(sip.getUser()) && agent.config.listenHost().equalsIgnoreCase(sip.getHost())
                && sip.getPort() == agent.localPort;
    }

    private void onChallenge(Response challenge) {
        String problem = answerChallenge(challenge);
        if (problem == null) return;
        if (closing) {
            finishRemoval(challenge.getStatusCode(), problem);
        } else {
            permanentFailure(challenge.getStatusCode(), problem);
        }
    }

    /** Re-sends the REGISTER with digest credentials; returns why it cannot, or null. */
    private String answerChallenge(Response challenge) {
        if (agent.config.credentials().isEmpty()) {
            return describe(challenge) + ": the registrar requires authentication but no credentials are configured";
        }
        Credentials credentials = agent.config.credentials().get();
        boolean proxy = challenge.getStatusCode() == Response.PROXY_AUTHENTICATION_REQUIRED;
        String challengeName = proxy ? ProxyAuthenticateHeader.NAME : WWWAuthenticateHeader.NAME;
        ListIterator<?> challenges = challenge.getHeaders(challengeName);
        if (challenges == null || !challenges.hasNext()) return describe(challenge) + " without a " + challengeName + " header";
        boolean sentCredentials = lastRequest.getHeader(AuthorizationHeader.NAME) != null
                || lastRequest.getHeader(ProxyAuthorizationHeader.NAME) != null;
        Map<String, AuthorizationHeader> answers = new LinkedHashMap<>();
        try {
            String uri = lastRequest.getRequestURI().toString();
            while (challenges.hasNext()) {
                DigestChallenge digest = DigestChallenge.of((WWWAuthenticateHeader) challenges.next());
                if (sentCredentials && !digest.stale()) {
                    return "credentials for user " + credentials.username() + " rejected by realm " + digest.realm() + " (" + describe(challenge) + ")";
                }
                answers.put(digest.realm(), digest.answer(credentials, Request.REGISTER, uri).header(agent.headers, proxy, lastRequest.getRequestURI()));
            }
        } catch (DigestChallenge.UnsupportedChallengeException e) {
            return describe(challenge) + ": " + e.getMessage();
        } catch (ParseException e) {
            return describe(challenge) + ": cannot build the answer: " + e.getMessage();
        }
        if (++authRounds > MAX_AUTH_ROUNDS) return describe(challenge) + ": challenged again after sending credentials";
        LOG.info("answering the registrar's {} challenge as {}", challenge.getStatusCode(), credentials.username());
        send(requestedExpires, answers);
        return null;
    }

    /** RFC 3261 10.2.8: 423 carries the shortest lifetime the registrar accepts; ask once more with it. */
    private boolean raiseLifetime(Response tooBrief) {
        MinExpiresHeader minimum = (MinExpiresHeader) tooBrief.getHeader(MinExpiresHeader.NAME);
        if (lifetimeRaised || minimum == null || minimum.getExpires() <= lifetime.toSeconds()) return false;
        lifetimeRaised = true;
        LOG.info("registrar wants at least {} s; asking again", minimum.getExpires());
        lifetime = Duration.ofSeconds(minimum.getExpires());
        return true;
    }

    // ---- failures and timers ----

    /** Takes a transaction timeout of one of our REGISTERs; false for any other. */
    boolean onTimeout(TimeoutEvent event) {
        if (event.isServerTransaction()) return false;
        ClientTransaction tx = event.getClientTransaction();
        if (!callId.equals(callIdOf(tx.getRequest()))) return false;
        onNoResponse(tx);
        return true;
    }

    private void onNoResponse(ClientTransaction tx) {
        if (tx != pending) return;
        pending = null;
        cancel(responseTimer);
        try {
            tx.terminate(); // no point retransmitting until Timer F
        } catch (javax.sip.ObjectInUseException | RuntimeException e) {
            LOG.debug("REGISTER transaction already gone", e);
        }
        String reason = "no response from registrar " + registrar + " within " + agent.config.inviteTimeout().toMillis() + " ms";
        if (closing) {
            finishRemoval(0, reason);
        } else {
            transientFailure(0, reason, Duration.ZERO);
        }
    }

    /** May pass by itself: try again after a back-off that doubles per failure, with a little jitter, never a tight loop. */
    private void transientFailure(int code, String reason, Duration atLeast) {
        if (closing) {
            finishRemoval(code, reason);
            return;
        }
        consecutiveFailures++;
        long base = settings.retryMin().toMillis() << Math.min(consecutiveFailures - 1, 20);
        long wait = Math.min(settings.retryMax().toMillis(), base);
        wait += ThreadLocalRandom.current().nextLong(wait / 10 + 1);
        wait = Math.max(wait, Math.min(atLeast.toMillis(), settings.retryMax().toMillis()));
        Duration delay = Duration.ofMillis(wait);
        LOG.warn("registration failed ({}); retrying in {} ms", reason, wait);
        cancel(nextAttempt);
        nextAttempt = agent.schedule(delay, this::attempt);
        setStatus(RegistrationStatus.State.RETRYING, code, reason, Optional.empty(), Optional.of(Instant.now().plus(delay)));
    }

    /** Will not pass by itself (wrong password, forbidden, unknown user): report it, do not hammer the registrar. */
    private void permanentFailure(int code, String reason) {
        LOG.warn("registration failed for good: {}", reason);
        cancel(nextAttempt);
        setStatus(RegistrationStatus.State.FAILED, code, reason, Optional.empty(), Optional.empty());
    }

    /**
     * Stops refreshing and removes our binding (REGISTER, Expires: 0) if the registrar may hold one. The future completes
     * on the registrar's answer, or at once when there is nothing to remove.
     */
    CompletableFuture<Void> remove() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!agent.execute(() -> {
            closing = true;
            removed = done;
            cancel(nextAttempt);
            cancel(responseTimer);
            boolean mayBeBound = bound || pending != null; // a REGISTER in flight may still create a binding
            pending = null;
            if (!mayBeBound) {
                finishRemoval(0, "closed");
                return;
            }
            authRounds = 0;
            send(0, Map.of());
        })) {
            done.complete(null);
        }
        return done;
    }

    private void finishRemoval(int code, String reason) {
        pending = null;
        cancel(responseTimer);
        setStatus(RegistrationStatus.State.UNREGISTERED, code, reason, Optional.empty(), Optional.empty());
        if (removed != null) removed.complete(null);
    }

    private void setStatus(RegistrationStatus.State state, int code, String reason, Optional<Instant> expiresAt, Optional<Instant> next) {
        RegistrationStatus before = status;
        RegistrationStatus after = new RegistrationStatus(state, code, reason, expiresAt, next, Instant.now());
        status = after;
        if (before.state() != state) LOG.info("registration {} -> {}: {}", before.state(), state, reason);
        notify(listener, after);
    }

    private static void notify(Consumer<RegistrationStatus> to, RegistrationStatus status) {
        try {
            to.accept(status);
        } catch (RuntimeException e) {
            LOG.warn("registration listener threw on {}", status, e);
        }
    }

    private static String callIdOf(javax.sip.message.Message message) {
        return message.getHeader(CallIdHeader.NAME) instanceof CallIdHeader id ? id.getCallId() : "";
    }

    private static String describe(Response response) {
        return response.getStatusCode() + " " + response.getReasonPhrase();
    }

    private static Duration retryAfter(Response response) {
        RetryAfterHeader header = (RetryAfterHeader) response.getHeader(RetryAfterHeader.NAME);
        return header == null ? Duration.ZERO : Duration.ofSeconds(header.getRetryAfter());
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) timer.cancel(false);
    }
}
