package dev.ringback.server;

import dev.ringback.agent.business.BusinessProfile;
import dev.ringback.agent.store.BusinessStore;
import dev.ringback.media.RtpEngine;
import dev.ringback.server.call.CallMonitor;
import dev.ringback.server.call.CallOrchestrator;
import dev.ringback.server.call.CallServices;
import dev.ringback.server.call.SpeechServices;
import dev.ringback.server.config.RingbackConfig;
import dev.ringback.server.dispatch.Dispatcher;
import dev.ringback.server.dispatch.OwnerFollowUp;
import dev.ringback.server.dispatch.TollFraudGuard;
import dev.ringback.server.http.ApiRoutes;
import dev.ringback.server.http.HttpApi;
import dev.ringback.server.http.Metrics;
import dev.ringback.server.store.CallStore;
import dev.ringback.server.store.CallbackRequestStore;
import dev.ringback.server.store.Database;
import dev.ringback.server.store.WorkflowSettings;
import dev.ringback.sip.SipUserAgent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** The composition root: builds every part from the config, in dependency order, and closes them in reverse. */
public final class RingbackServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RingbackServer.class);

    private final Deque<AutoCloseable> closeInReverse = new ArrayDeque<>();
    private final RingbackConfig config;
    private Database database;
    private BusinessStore businessStore;
    private CallbackRequestStore requests;
    private CallStore calls;
    private WorkflowSettings workflows;
    private SipUserAgent sip;
    private CallOrchestrator orchestrator;
    private HttpApi http;
    private final CallMonitor monitor = new CallMonitor();

    private RingbackServer(RingbackConfig config) {
        this.config = config;
    }

    /**
     * Starts everything. {@code sharedSpeech} lets several servers in one JVM (tests) share loaded
     * models; when null the server loads and owns its own.
     */
    public static RingbackServer start(RingbackConfig config, SpeechServices sharedSpeech) throws Exception {
        var server = new RingbackServer(config);
        try {
            server.startParts(sharedSpeech);
        } catch (Exception | Error e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void startParts(SpeechServices sharedSpeech) throws Exception {
        long t0 = System.nanoTime();
        // the speech models take longest: they load while the database, media and SIP start
        CompletableFuture<SpeechServices> speechLoad = sharedSpeech != null ? CompletableFuture.completedFuture(sharedSpeech)
                : CompletableFuture.supplyAsync(() -> SpeechServices.start(config.speech()), runnable -> {
                    Thread t = new Thread(runnable, "speech-start");
                    t.setDaemon(true);
                    t.start();
                });
        try {
            startParts(speechLoad, sharedSpeech == null, t0);
        } catch (Exception | Error e) {
            if (sharedSpeech == null) speechLoad.thenAccept(SpeechServices::close);
            throw e;
        }
    }

    private void startParts(CompletableFuture<SpeechServices> speechLoad, boolean ownSpeech, long t0) throws Exception {
        database = own(Database.open(config.db()));
        BusinessProfile business = BusinessProfile.load(config.businessFile());
        businessStore = new BusinessStore(database.dataSource());
        businessStore.replaceOnCallRoster(business.onCall());
        requests = new CallbackRequestStore(database.dataSource());
        calls = new CallStore(database.dataSource());
        workflows = new WorkflowSettings(database.dataSource(), config.smsCallbackEnabledByDefault());
        log.info("database ready in {} ms ({})", ms(t0), config.db().url());

        RtpEngine rtp = own(new RtpEngine(config.rtp()));
        // created before the SIP agent so they are still running while it ends live calls on close
        ScheduledExecutorService timers = own(Executors.newScheduledThreadPool(1, daemon("call-timer")));
        ExecutorService workers = own(Executors.newFixedThreadPool(
                Math.max(4, Runtime.getRuntime().availableProcessors() * 2), daemon("call-worker")));
        long tSip = System.nanoTime();
        sip = own(SipUserAgent.start(config.sip()));
        log.info("SIP user agent on {}:{} ({}), trunk {}:{}, started in {} ms", config.sip().listenHost(), sip.localPort(),
                config.sip().transport(), config.sip().trunkHost(), config.sip().trunkPort(), ms(tSip));
        if (config.sip().registration().isPresent()) {
            sip.onRegistrationChange(status -> log.info("SIP registration as {}: {}", config.sip().registration().get().user(), status));
        }

        SpeechServices speech;
        try {
            speech = speechLoad.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof Exception cause) throw cause;
            throw e;
        }
        if (ownSpeech) own(speech);
        var services = new CallServices(sip, rtp, config.rtp().bindHost(), speech, business, businessStore, calls, requests,
                monitor, timers, workers, config.call(), config.recordingsDir());
        orchestrator = new CallOrchestrator(services);

        Dispatcher dispatcher = own(new Dispatcher(requests, workflows, orchestrator, config.dispatcher().maxConcurrentCalls(),
                new TollFraudGuard(requests, config.guard()),
                new OwnerFollowUp(businessStore, business, config.retry().callbackAfter()), config.retry()));
        var metrics = new Metrics(orchestrator::liveCalls);
        http = own(HttpApi.start(config.http().host(), config.http().port(), config.http().maxBodyBytes(),
                new ApiRoutes(requests, calls, workflows, businessStore, dispatcher, business.timezone(), metrics,
                        config.recordingsDir(), config.webhook())));
        ColdPathWarmUp.run(config.http().host(), http.port(), rtp, business.timezone());
        dispatcher.start(config.dispatcher().pollInterval());
        log.info("Ringback ready in {} ms (JVM up {} ms): http://{}:{}/", ms(t0),
                ManagementFactory.getRuntimeMXBean().getUptime(), config.http().host(), http.port());
    }

    private <T extends AutoCloseable> T own(T part) {
        closeInReverse.push(part);
        return part;
    }

    private ExecutorService own(ExecutorService executor) {
        closeInReverse.push(executor::shutdownNow);
        return executor;
    }

    private ScheduledExecutorService own(ScheduledExecutorService executor) {
        closeInReverse.push(executor::shutdownNow);
        return executor;
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static long ms(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }

    public int httpPort() {
        return http.port();
    }

    public int sipPort() {
        return sip.localPort();
    }

    public CallMonitor monitor() {
        return monitor;
    }

    public CallStore calls() {
        return calls;
    }

    public CallbackRequestStore requests() {
        return requests;
    }

    public BusinessStore businessStore() {
        return businessStore;
    }

    public RingbackConfig config() {
        return config;
    }

    @Override
    public void close() {
        while (!closeInReverse.isEmpty()) {
            AutoCloseable part = closeInReverse.pop();
            try {
                part.close();
            } catch (Exception e) {
                log.warn("error while stopping {}", part, e);
            }
        }
    }
}
