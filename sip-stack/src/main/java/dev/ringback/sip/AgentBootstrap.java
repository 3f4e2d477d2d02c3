package dev.ringback.sip;

import dev.ringback.sip.tls.TlsSettings;
import dev.ringback.sip.tls.TlsSipStack;
import java.util.Properties;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.sip.ListeningPoint;
import javax.sip.SipFactory;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops what one {@link SipUserAgent} runs on: its own JAIN-SIP stack (TLS when the config says so),
 * listening on one port, and the single event thread every call state change runs on.
 */
final class AgentBootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(AgentBootstrap.class);
    /** Where a free port is looked for when the config says 0: below the Linux ephemeral range. */
    private static final int FREE_PORT_MIN = 20000;
    private static final int FREE_PORT_MAX = 32000;
    private static final int FREE_PORT_ATTEMPTS = 40;
    private static final AtomicInteger STACK_COUNTER = new AtomicInteger();

    private AgentBootstrap() {
    }

    /** The running parts of an agent; {@code registration} is null when the config asks for none. */
    record Running(SipStack stack, ScheduledThreadPoolExecutor events, AtomicReference<Thread> eventThread, AgentContext agent,
                   Registration registration, SipEventRouter router) {
    }

    static Running start(SipConfig config) throws SipStartException {
        long startedAt = System.nanoTime();
        String stackName = "ringback-" + STACK_COUNTER.incrementAndGet() + "-" + ProcessHandle.current().pid();
        AtomicReference<Thread> eventThread = new AtomicReference<>();
        ScheduledThreadPoolExecutor events = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "sip-events-" + stackName);
            thread.setDaemon(true);
            eventThread.set(thread);
            return thread;
        });
        events.setRemoveOnCancelPolicy(true);
        SipStack stack = null;
        try {
            SipFactory factory = SipFactory.getInstance();
            SipProvider provider;
            ListeningPoint listeningPoint;
            // SipFactory is a JVM-wide singleton with mutable state: create each stack under its lock
            synchronized (factory) {
                factory.setPathName("gov.nist");
                Properties properties = stackProperties(stackName);
                stack = config.transport() == Transport.TLS
                        ? TlsSipStack.create(properties, config.tls().orElse(TlsSettings.defaultTrust()))
                        : factory.createSipStack(properties);
                listeningPoint = listen(stack, config);
                provider = stack.createSipProvider(listeningPoint);
                AgentContext agent = new AgentContext(config, provider, factory.createAddressFactory(), factory.createHeaderFactory(),
                        factory.createMessageFactory(), listeningPoint.getPort(), events);
                Registration registration = config.registration().map(settings -> new Registration(agent, settings)).orElse(null);
                SipEventRouter router = new SipEventRouter(agent, registration);
                provider.addSipListener(router);
                stack.start();
                agent.trunks.start();
                if (registration != null) registration.start();
                LOG.info("SIP agent {} listening on {} {}:{}, trunks {} (started in {} ms)", stackName, config.transport(), config.listenHost(),
                        listeningPoint.getPort(), config.trunks(), (System.nanoTime() - startedAt) / 1_000_000);
                return new Running(stack, events, eventThread, agent, registration, router);
            }
        } catch (SipStartException e) {
            stop(stack, events);
            throw e;
        } catch (Exception e) {
            stop(stack, events);
            throw new SipStartException("cannot start SIP stack on " + config.transport() + " " + config.listenHost() + ":" + config.listenPort()
                    + ": " + e.getMessage(), e);
        }
    }

    private static Properties stackProperties(String stackName) {
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", stackName);
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "on");
        // NOTIFYs for our REFER reach us even when the stack did not pair them with the REFER's implicit subscription
        p.setProperty("gov.nist.javax.sip.DELIVER_UNSOLICITED_NOTIFY", "true");
        // one thread reads incoming messages, so a 180 sent just before a 200 is never processed after it
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "1");
        // JAIN-SIP's default logger is log4j 1.x (absent) writing files into the working dir: route to SLF4J instead
        p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "0");
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", Slf4jMessageLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "false");
        // refuse requests whose Call-ID, CSeq, From, To... JAIN-SIP would pick from duplicates (RFC 4475 multi01)
        p.setProperty("gov.nist.javax.sip.MESSAGE_PARSER_FACTORY", StrictMessageParser.class.getName());
        return p;
    }

    private static ListeningPoint listen(SipStack stack, SipConfig config) throws SipStartException {
        String transport = config.transport().token();
        if (config.listenPort() != 0) {
            try {
                return stack.createListeningPoint(config.listenHost(), config.listenPort(), transport);
            } catch (Exception e) {
                throw new SipStartException("cannot listen on " + config.transport() + " " + config.listenHost() + ":" + config.listenPort()
                        + " (port in use or address not local?): " + e.getMessage(), e);
            }
        }
        Exception last = null;
        for (int attempt = 0; attempt < FREE_PORT_ATTEMPTS; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(FREE_PORT_MIN, FREE_PORT_MAX);
            try {
                return stack.createListeningPoint(config.listenHost(), port, transport);
            } catch (Exception e) {
                last = e;
            }
        }
        throw new SipStartException("no free " + config.transport() + " port on " + config.listenHost() + " in "
                + FREE_PORT_MIN + "-" + FREE_PORT_MAX + " after " + FREE_PORT_ATTEMPTS + " attempts", last);
    }

    /** Stops the event thread and the stack (the stack may be null: start-up failed before it existed). */
    static void stop(SipStack stack, ScheduledThreadPoolExecutor events) {
        events.shutdownNow();
        if (stack == null) return;
        try {
            stack.stop();
        } catch (RuntimeException raced) {
            // JAIN-SIP's UDP processor thread may not have set itself up yet when stop() comes right after
            // start(): its stop() then throws (NPE on messageChannels). Let it finish starting and stop again.
            LOG.debug("SIP stack stop raced its start-up; stopping again", raced);
            try {
                Thread.sleep(50);
                stack.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException again) {
                LOG.warn("SIP stack did not stop cleanly", again);
            }
        }
    }
}
