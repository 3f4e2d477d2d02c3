package dev.ringback.media;

import dev.ringback.media.srtp.SrtpTransform;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns what all RTP sessions share: one Netty event-loop group (epoll when available, else NIO), the
 * 20 ms {@link PacingClock} that runs on those loops, and the even-port pool. Create one per process; close it last.
 * {@link #open()} and {@link #close()} block briefly (bind/close): do not call them on an event loop.
 */
public final class RtpEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RtpEngine.class);

    private final RtpConfig config;
    private final PortPool ports;
    private final EventLoopGroup group;
    private final Class<? extends DatagramChannel> channelType;
    private final PacingClock clock;
    /** Appends call recordings to disk, off the event loops. */
    private final ExecutorService recorderThread;
    private final Set<RtpSession> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** An engine with one I/O thread per available core. */
    public RtpEngine(RtpConfig config) {
        this(config, Runtime.getRuntime().availableProcessors());
    }

    public RtpEngine(RtpConfig config, int ioThreads) {
        this.config = config;
        this.ports = new PortPool(config);
        var threads = new DefaultThreadFactory("rtp-io", true, Thread.MAX_PRIORITY);
        if (Epoll.isAvailable()) {
            this.group = new MultiThreadIoEventLoopGroup(ioThreads, threads, EpollIoHandler.newFactory());
            this.channelType = EpollDatagramChannel.class;
        } else {
            log.info("epoll unavailable ({}), using NIO for RTP", Epoll.unavailabilityCause().toString());
            this.group = new MultiThreadIoEventLoopGroup(ioThreads, threads, NioIoHandler.newFactory());
            this.channelType = NioDatagramChannel.class;
        }
        this.clock = new PacingClock();
        this.recorderThread = Executors.newSingleThreadExecutor(new DefaultThreadFactory("rtp-recorder", true));
        // its own thread: the warm-up takes seconds on a loaded machine and must not hold up recordings
        new DefaultThreadFactory("srtp-warm-up", true, Thread.MIN_PRIORITY).newThread(RtpEngine::warmUpSrtp).start();
        log.info("rtp engine on {}:[{}-{}] ({} ports, {} io threads, {})", config.bindHost(), config.portMin(),
                config.portMax(), ports.capacity(), ioThreads, channelType.getSimpleName());
    }

    /**
     * Binds a new session to the next free even port, and its RTCP to the odd port above (also usable for RTCP-mux,
     * see {@link RtpSession#setRtcpMux}, e.g. when offering {@code a=rtcp-mux} to a peer that may refuse it).
     *
     * @throws MediaException when every even port of the range is in use or cannot be bound
     */
    public RtpSession open() {
        return open(null, false);
    }

    /** As {@link #open()}, for the call {@code callId}: the session's log lines name it. */
    public RtpSession open(String callId) {
        return open(Objects.requireNonNull(callId, "callId"), false);
    }

    /**
     * As {@link #open()}; with {@code rtcpMuxOnly} (answering an offer with {@code a=rtcp-mux}, RFC 5761) only the
     * even port is bound and RTCP shares it from the start. The odd port stays reserved in this engine's range.
     *
     * @throws MediaException when every even port of the range is in use or cannot be bound
     */
    public RtpSession open(boolean rtcpMuxOnly) {
        return open(null, rtcpMuxOnly);
    }

    /**
     * As {@link #open(boolean)}, for the call {@code callId} (null for none): the session's log lines name it.
     *
     * @throws MediaException when every even port of the range is in use or cannot be bound
     */
    public RtpSession open(String callId, boolean rtcpMuxOnly) {
        if (closed.get()) {
            throw new MediaException("RTP engine is closed");
        }
        Throwable lastBindFailure = null;
        for (int attempt = 0; attempt < ports.capacity(); attempt++) {
            OptionalInt reserved = ports.reserve();
            if (reserved.isEmpty()) {
                break;
            }
            int port = reserved.getAsInt();
            RtpSession session = new RtpSession(port, callId, clock, recorderThread, config.rtcpIntervalMillis(),
                    rtcpMuxOnly, () -> ports.release(port));
            ChannelFuture bound = new Bootstrap()
                    .group(group)
                    .channel(channelType)
                    .handler(session.receiver())
                    .bind(new InetSocketAddress(config.bindHost(), port))
                    .awaitUninterruptibly();
            ChannelFuture rtcpBound = null;
            if (bound.isSuccess() && rtcpMuxOnly) {
                register(session, bound.channel(), null);
                return session;
            }
            if (bound.isSuccess()) {
                // same event loop as the RTP socket: the session's state stays single-threaded
                rtcpBound = new Bootstrap()
                        .group(bound.channel().eventLoop())
                        .channel(channelType)
                        .handler(session.rtcpReceiver())
                        .bind(new InetSocketAddress(config.bindHost(), port + 1))
                        .awaitUninterruptibly();
                if (rtcpBound.isSuccess()) {
                    register(session, bound.channel(), rtcpBound.channel());
                    return session;
                }
                bound.channel().close().awaitUninterruptibly();
            }
            ports.release(port);
            lastBindFailure = rtcpBound == null ? bound.cause() : rtcpBound.cause();
            log.debug("rtp port {} (or its RTCP port) not bindable: {}", port, String.valueOf(bound.cause()));
        }
        String message = "no free RTP port in " + config.bindHost() + ":[" + config.portMin() + "-" + config.portMax()
                + "]: " + ports.inUse() + " of " + ports.capacity() + " even ports in use by this engine"
                + (lastBindFailure == null ? "" : ", the others could not be bound (" + lastBindFailure + ")");
        throw new MediaException(message, lastBindFailure);
    }

    private void register(RtpSession session, Channel channel, Channel rtcpChannel) {
        sessions.add(session);
        channel.closeFuture().addListener(f -> sessions.remove(session));
        session.attach(channel, rtcpChannel); // its close listener returns the port
    }

    /**
     * jitsi-srtp picks its AES implementation by timing them when the first context is derived (1-2 s): do that
     * once now, in the background, instead of in the first encrypted call's start().
     */
    private static void warmUpSrtp() {
        long began = System.nanoTime();
        try {
            SrtpTransform.factory(true, new byte[SrtpTransform.KEY_LENGTH + SrtpTransform.SALT_LENGTH]).deriveContext(0, 0);
            log.debug("SRTP ready in {} ms", (System.nanoTime() - began) / 1_000_000);
        } catch (java.security.GeneralSecurityException | RuntimeException | LinkageError e) {
            log.warn("SRTP unavailable: {}", e.toString());
        }
    }

    /** Sessions currently open. */
    public int openSessions() {
        return sessions.size();
    }

    /** Closes every open session, stops the pacing clock and the event loops. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (RtpSession session : List.copyOf(sessions)) {
            session.close();
        }
        clock.close();
        recorderThread.shutdown(); // queued appends and the final header rewrites still run
        try {
            recorderThread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
}
