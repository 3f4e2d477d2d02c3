package dev.ringback.media;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call leg's RTP: a UDP port, a paced 20 ms sender fed by {@link #play(short[])} through a
 * {@link PlayoutQueue}, and a receiver that puts the peer's packets through a {@link JitterBuffer} and
 * {@link InboundAudio} (decode, conceal) to {@link AudioListener}s, and DTMF to {@link DtmfListener}s.
 *
 * <p>Threading: sending, receiving, listener calls and normal Playout completion run on this session's
 * Netty event loop; {@link #play}, {@link #flush}, {@link #isPlaying}, {@link #stats} and {@link #close} may be
 * called from any thread (close() waits up to 1 s for the socket to close unless called on the event loop).
 */
public final class RtpSession implements AutoCloseable {
    public static final int SAMPLES_PER_FRAME = 160;
    /** The payload type most peers offer for RFC 4733 telephone-event. */
    public static final int DEFAULT_TELEPHONE_EVENT_PT = 101;
    /** RFC 3389 comfort noise: accepted and played as silence. */
    private static final int COMFORT_NOISE_PT = 13;
    private static final int REORDER_DEPTH = 3;
    private static final long MAX_REORDER_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(60);
    private static final Logger log = LoggerFactory.getLogger(RtpSession.class);

    private final int localPort;
    private final PacingClock clock;
    private final Runnable onClosed;
    private final Executor recorderThread;
    private final Runnable tick = this::tick;
    private final AtomicBoolean startedFlag = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final PlayoutQueue outbound = new PlayoutQueue();
    private final CopyOnWriteArrayList<AudioListener> listeners = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<DtmfListener> dtmfListeners = new CopyOnWriteArrayList<>();
    private final TelephoneEventDecoder dtmfDecoder = new TelephoneEventDecoder();
    private final InboundAudio inbound = new InboundAudio(() -> this.codec, listeners);
    private final JitterBuffer jitterBuffer = new JitterBuffer(REORDER_DEPTH, MAX_REORDER_WAIT_NANOS, inbound);
    /** Set by {@link #attach} before the engine hands the session out. */
    private volatile Channel channel;

    private volatile Codec codec;
    private volatile int telephoneEventPt;
    private volatile InetSocketAddress remote;
    private volatile boolean started;
    private volatile CallRecorder recorder;

    // send state: event loop only
    private final long ssrc = ThreadLocalRandom.current().nextInt() & 0xFFFF_FFFFL;
    private int sequence = ThreadLocalRandom.current().nextInt(0x10000);
    private long timestamp = ThreadLocalRandom.current().nextInt() & 0xFFFF_FFFFL;
    private boolean lastSentWasAudio;
    private boolean anySent;
    private final byte[] payloadScratch = new byte[SAMPLES_PER_FRAME];
    private final short[] sentScratch = new short[SAMPLES_PER_FRAME];

    // receive state: event loop only
    private boolean latched;

    // counters: written by the event loop only, read by stats()
    private volatile long packetsSent;
    private volatile long packetsReceived;
    private volatile long packetsDropped;
    private volatile long telephoneEventPackets;
    private volatile long lastSendNanos;
    private volatile long lastReceiveNanos;

    /**
     * @param onClosed runs once the socket is really closed (so the port can be bound again)
     */
    RtpSession(int localPort, PacingClock clock, Executor recorderThread, Runnable onClosed) {
        this.localPort = localPort;
        this.clock = clock;
        this.recorderThread = recorderThread;
        this.onClosed = onClosed;
        listeners.add((pcm, arrivalNanos) -> {
            CallRecorder r = recorder;
            if (r != null) {
                r.customerFrame(pcm);
            }
        });
    }

    /** Inbound handler for the channel this session is bound to. */
    SimpleChannelInboundHandler<DatagramPacket> receiver() {
        return new Receiver();
    }

    void attach(Channel boundChannel) {
        this.channel = boundChannel;
        boundChannel.closeFuture().addListener(f -> {
            shutDown();
            onClosed.run();
        });
    }

    public int localPort() {
        return localPort;
    }

    /** Starts sending to {@code remote} and receiving, taking PT {@value #DEFAULT_TELEPHONE_EVENT_PT} as telephone-event (DTMF). */
    public void start(InetSocketAddress remote, Codec codec) {
        start(remote, codec, DEFAULT_TELEPHONE_EVENT_PT);
    }

    /**
     * Starts paced sending (a packet every 20 ms, silence when nothing is queued) and receiving. Until the
     * first valid packet arrives, audio goes to {@code remote} (from SDP); after that to the address packets
     * actually come from (symmetric RTP), and packets from any other address are dropped.
     *
     * @param telephoneEventPt negotiated RFC 4733 payload type; its DTMF digits go to {@link DtmfListener}s
     */
    public void start(InetSocketAddress remote, Codec codec, int telephoneEventPt) {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(codec, "codec");
        if (remote.isUnresolved()) {
            throw new IllegalArgumentException("unresolved remote RTP address " + remote);
        }
        if (closed.get()) {
            throw new IllegalStateException("RTP session on port " + localPort + " is closed");
        }
        if (!startedFlag.compareAndSet(false, true)) {
            throw new IllegalStateException("RTP session on port " + localPort + " already started");
        }
        this.codec = codec;
        this.telephoneEventPt = telephoneEventPt;
        this.remote = remote;
        this.started = true;
        log.debug("rtp {} started: {} to {}, ssrc {}", localPort, codec, remote, ssrc);
        clock.subscribe(channel.eventLoop(), tick);
        if (closed.get()) { // closed while starting: shutDown may have missed the subscription
            clock.unsubscribe(channel.eventLoop(), tick);
        }
    }

    /**
     * Queues 8 kHz 16-bit mono audio behind what is already queued; it goes out in 160-sample frames, the
     * last one padded with silence. The array is copied.
     */
    public Playout play(short[] pcm8k) {
        return outbound.add(Objects.requireNonNull(pcm8k, "pcm8k"));
    }

    /**
     * Barge-in: drops everything queued and completes those Playouts as interrupted (on this thread).
     * At most the frame being sent right now still goes out.
     *
     * @return the number of frames dropped
     */
    public int flush() {
        int dropped = outbound.flush();
        if (dropped > 0) {
            log.debug("rtp {} barge-in dropped {} frames", localPort, dropped);
        }
        return dropped;
    }

    /** True while queued audio (not idle silence) remains to be sent. */
    public boolean isPlaying() {
        return !outbound.isEmpty();
    }

    /** Adds a listener for decoded inbound audio; see {@link AudioListener} for its threading contract. */
    public void onAudio(AudioListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Adds a listener for RFC 4733 DTMF digits; see {@link DtmfListener} for its threading contract. */
    public void onDtmf(DtmfListener listener) {
        dtmfListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Starts recording the call to {@code wav} (see {@link CallRecorder}); from the next tick on, one stereo
     * frame per 20 ms: customer left, agent right. Stops at {@link CallRecorder#stop()} or when the session
     * closes. Creates the file here (blocking): not on an event loop.
     *
     * @throws IllegalStateException when a recording is already running or the session is closed
     * @throws IOException when the file cannot be created
     */
    public CallRecorder record(Path wav) throws IOException {
        Objects.requireNonNull(wav, "wav");
        synchronized (this) {
            if (closed.get()) {
                throw new IllegalStateException("RTP session on port " + localPort + " is closed");
            }
            CallRecorder running = recorder;
            if (running != null && !running.finished().isDone()) {
                throw new IllegalStateException("RTP session on port " + localPort + " is already recording to "
                        + running.path());
            }
            CallRecorder created = CallRecorder.create(wav, recorderThread);
            recorder = created;
            log.debug("rtp {} recording to {}", localPort, wav);
            return created;
        }
    }

    public RtpStats stats() {
        return new RtpStats(packetsSent, packetsReceived, packetsDropped, jitterBuffer.lost(), jitterBuffer.late(),
                jitterBuffer.duplicates(), telephoneEventPackets, inbound.framesDelivered(), lastSendNanos, lastReceiveNanos);
    }

    /** The address audio is sent to: the SDP address until symmetric RTP latched onto the real source. */
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    /** Stops sending, completes queued Playouts as interrupted, closes the socket and returns the port. */
    @Override
    public void close() {
        shutDown();
        var closing = channel.close();
        if (!channel.eventLoop().inEventLoop()) {
            closing.awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
    }

    private void shutDown() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        clock.unsubscribe(channel.eventLoop(), tick);
        outbound.close();
        CallRecorder r;
        synchronized (this) {
            r = recorder;
        }
        if (r != null) {
            r.stop();
        }
        log.debug("rtp {} closed: {}", localPort, stats());
    }

    private void tick() {
        if (closed.get()) {
            return;
        }
        sendFrame();
        long now = System.nanoTime();
        jitterBuffer.poll(now);
        inbound.fillQuiet(now, jitterBuffer.holding());
    }

    private void sendFrame() {
        Codec c = codec;
        PlayoutQueue.Taken taken = outbound.takeFrame(c, payloadScratch);
        boolean audio = taken.audio();
        boolean marker = !anySent || (audio && !lastSentWasAudio);
        ByteBuf buf = channel.alloc().ioBuffer(RtpPacket.HEADER_SIZE + SAMPLES_PER_FRAME);
        RtpPacket.writeHeader(buf, marker, c.payloadType(), sequence, timestamp, ssrc);
        buf.writeBytes(payloadScratch);
        channel.writeAndFlush(new DatagramPacket(buf, remote), channel.voidPromise());
        sequence = (sequence + 1) & 0xFFFF;
        timestamp = (timestamp + SAMPLES_PER_FRAME) & 0xFFFF_FFFFL;
        anySent = true;
        lastSentWasAudio = audio;
        packetsSent++;
        CallRecorder r = recorder;
        if (r != null) {
            for (int i = 0; i < SAMPLES_PER_FRAME; i++) {
                sentScratch[i] = c.decode(payloadScratch[i]);
            }
            r.agentFrame(sentScratch);
        }
        lastSendNanos = System.nanoTime();
        if (taken.finished() != null) {
            taken.finished().complete(taken.finished().framesTotal(), false);
        }
    }

    private void receive(DatagramPacket datagram) {
        long now = System.nanoTime();
        if (!started || closed.get()) {
            packetsDropped++;
            return;
        }
        RtpPacket packet;
        try {
            packet = RtpPacket.parse(datagram.content());
        } catch (MalformedRtpException e) {
            packetsDropped++;
            log.debug("rtp {} dropped datagram from {}: {}", localPort, datagram.sender(), e.getMessage());
            return;
        }
        byte[] audio;
        if (packet.payloadType() == codec.payloadType()) {
            audio = packet.payload();
        } else if (packet.payloadType() == telephoneEventPt || packet.payloadType() == COMFORT_NOISE_PT) {
            audio = null; // takes a sequence number, carries no speech
        } else {
            packetsDropped++;
            log.debug("rtp {} dropped packet with payload type {} from {}", localPort, packet.payloadType(),
                    datagram.sender());
            return;
        }
        InetSocketAddress source = datagram.sender();
        if (!latched) {
            latched = true;
            if (!source.equals(remote)) {
                log.info("rtp {} latching onto {} (signalled {})", localPort, source, remote);
                remote = source;
            }
        } else if (!source.equals(remote)) {
            packetsDropped++;
            log.debug("rtp {} dropped packet from {}, latched onto {}", localPort, source, remote);
            return;
        }
        packetsReceived++;
        lastReceiveNanos = now;
        if (packet.payloadType() == telephoneEventPt) {
            telephoneEventPackets++;
            int digit = dtmfDecoder.newDigit(packet.payload(), packet.timestamp());
            if (digit >= 0) {
                deliverDigit((char) digit, now);
            }
        }
        jitterBuffer.push(packet.sequence(), packet.ssrc(), audio, now);
    }

    private void deliverDigit(char digit, long arrivalNanos) {
        log.debug("rtp {} received DTMF {}", localPort, digit);
        for (DtmfListener listener : dtmfListeners) {
            try {
                listener.onDigit(digit, arrivalNanos);
            } catch (RuntimeException e) {
                log.warn("rtp {} DTMF listener failed", localPort, e);
            }
        }
    }

    private final class Receiver extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket datagram) {
            receive(datagram);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("rtp {} socket error (continuing): {}", localPort, cause.toString());
        }
    }
}
