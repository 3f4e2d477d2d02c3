package dev.ringback.media;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call leg's RTP: a UDP port, a paced 20 ms sender fed by {@link #play(short[])}, and a receiver that
 * decodes the peer's audio through a {@link JitterBuffer} to {@link AudioListener}s.
 *
 * <p>Threading: sending, receiving, listener calls and normal Playout completion run on this session's
 * Netty event loop; {@link #play}, {@link #flush}, {@link #isPlaying}, {@link #stats} and {@link #close} may be
 * called from any thread (close() waits up to 1 s for the socket to close unless called on the event loop).
 */
public final class RtpSession implements AutoCloseable {
    public static final int SAMPLES_PER_FRAME = 160;
    /** The payload type most peers offer for RFC 4733 telephone-event. */
    public static final int DEFAULT_TELEPHONE_EVENT_PT = 101;
    private static final int REORDER_DEPTH = 3;
    private static final long MAX_REORDER_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(60);
    /** Concealment repeats the last frame at half the level each time, then falls silent. */
    private static final int MAX_CONCEALED_REPEATS = 3;
    private static final Logger log = LoggerFactory.getLogger(RtpSession.class);

    private final int localPort;
    private final PacingClock clock;
    private final Runnable onClosed;
    private final Runnable tickFromClock = this::scheduleTick;
    private final Runnable tickOnLoop = this::tick;
    private final AtomicBoolean startedFlag = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object queueLock = new Object();
    private final ArrayDeque<Clip> queue = new ArrayDeque<>();
    private final CopyOnWriteArrayList<AudioListener> listeners = new CopyOnWriteArrayList<>();
    private final JitterBuffer jitterBuffer =
            new JitterBuffer(REORDER_DEPTH, MAX_REORDER_WAIT_NANOS, new Decoder());
    private volatile Channel channel;

    private volatile Codec codec;
    private volatile int telephoneEventPt;
    private volatile InetSocketAddress remote;
    private volatile boolean started;

    // send state: event loop only
    private final long ssrc = ThreadLocalRandom.current().nextInt() & 0xFFFF_FFFFL;
    private int sequence = ThreadLocalRandom.current().nextInt(0x10000);
    private long timestamp = ThreadLocalRandom.current().nextInt() & 0xFFFF_FFFFL;
    private boolean lastSentWasAudio;
    private boolean anySent;
    private final byte[] payloadScratch = new byte[SAMPLES_PER_FRAME];

    // receive state: event loop only
    private boolean latched;
    private short[] pendingFrame = new short[SAMPLES_PER_FRAME];
    private int pendingSamples;
    private short[] lastDecoded;
    private int concealedRepeats;

    // counters: written by the event loop only, read by stats()
    private volatile long packetsSent;
    private volatile long packetsReceived;
    private volatile long packetsDropped;
    private volatile long telephoneEvents;
    private volatile long framesDelivered;
    private volatile long lastSendNanos;
    private volatile long lastReceiveNanos;

    /**
     * @param onClosed runs once the socket is really closed (so the port can be bound again)
     */
    RtpSession(int localPort, PacingClock clock, Runnable onClosed) {
        this.localPort = localPort;
        this.clock = clock;
        this.onClosed = onClosed;
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

    /** Starts sending to {@code remote} and receiving, taking PT {@value #DEFAULT_TELEPHONE_EVENT_PT} as telephone-event. */
    public void start(InetSocketAddress remote, Codec codec) {
        start(remote, codec, DEFAULT_TELEPHONE_EVENT_PT);
    }

    /**
     * Starts paced sending (a packet every 20 ms, silence when nothing is queued) and receiving. Until the
     * first valid packet arrives, audio goes to {@code remote} (from SDP); after that to the address packets
     * actually come from (symmetric RTP), and packets from any other address are dropped.
     *
     * @param telephoneEventPt negotiated RFC 4733 payload type; such packets are counted, not decoded
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
        clock.subscribe(tickFromClock);
    }

    /**
     * Queues 8 kHz 16-bit mono audio behind what is already queued; it goes out in 160-sample frames, the
     * last one padded with silence. The array is copied.
     */
    public Playout play(short[] pcm8k) {
        Objects.requireNonNull(pcm8k, "pcm8k");
        int frames = (pcm8k.length + SAMPLES_PER_FRAME - 1) / SAMPLES_PER_FRAME;
        Playout playout = new Playout(frames);
        if (frames == 0) {
            playout.complete(0, false);
            return playout;
        }
        synchronized (queueLock) {
            if (!closed.get()) {
                queue.add(new Clip(playout, pcm8k.clone(), frames));
                return playout;
            }
        }
        playout.complete(0, true);
        return playout;
    }

    /**
     * Barge-in: drops everything queued. At most the frame being sent right now still goes out.
     *
     * @return the number of frames dropped
     */
    public int flush() {
        List<Clip> dropped;
        int frames = 0;
        synchronized (queueLock) {
            dropped = new ArrayList<>(queue);
            queue.clear();
        }
        for (Clip clip : dropped) {
            frames += clip.frames - clip.nextFrame;
            clip.playout.complete(clip.nextFrame, true);
        }
        if (frames > 0) {
            log.debug("rtp {} flushed {} frames of {} clips", localPort, frames, dropped.size());
        }
        return frames;
    }

    /** True while queued audio (not idle silence) remains to be sent. */
    public boolean isPlaying() {
        synchronized (queueLock) {
            return !queue.isEmpty();
        }
    }

    /** Adds a listener for decoded inbound audio; see {@link AudioListener} for its threading contract. */
    public void onAudio(AudioListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public RtpStats stats() {
        return new RtpStats(packetsSent, packetsReceived, packetsDropped, jitterBuffer.lost(), jitterBuffer.late(),
                jitterBuffer.duplicates(), telephoneEvents, framesDelivered, lastSendNanos, lastReceiveNanos);
    }

    /** The address audio is sent to: the SDP address until symmetric RTP latched onto the real source. */
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    /** Stops sending, completes queued Playouts as interrupted, closes the socket and returns the port. */
    @Override
    public void close() {
        shutDown();
        Channel ch = channel;
        if (ch != null) {
            var closing = ch.close();
            if (!ch.eventLoop().inEventLoop()) {
                closing.awaitUninterruptibly(1, TimeUnit.SECONDS);
            }
        }
    }

    private void shutDown() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        clock.unsubscribe(tickFromClock);
        flush();
        log.debug("rtp {} closed: {}", localPort, stats());
    }

    private void scheduleTick() {
        Channel ch = channel;
        if (ch != null) {
            ch.eventLoop().execute(tickOnLoop);
        }
    }

    private void tick() {
        if (closed.get()) {
            return;
        }
        sendFrame();
        jitterBuffer.poll(System.nanoTime());
    }

    private void sendFrame() {
        Codec c = codec;
        Clip finished = null;
        boolean audio = false;
        synchronized (queueLock) {
            Clip clip = queue.peek();
            if (clip != null) {
                audio = true;
                int from = clip.nextFrame * SAMPLES_PER_FRAME;
                int available = Math.min(SAMPLES_PER_FRAME, clip.pcm.length - from);
                for (int i = 0; i < available; i++) {
                    payloadScratch[i] = c.encode(clip.pcm[from + i]);
                }
                Arrays.fill(payloadScratch, available, SAMPLES_PER_FRAME, c.silence());
                clip.nextFrame++;
                if (clip.nextFrame == clip.frames) {
                    queue.poll();
                    finished = clip;
                }
            }
        }
        if (!audio) {
            Arrays.fill(payloadScratch, c.silence());
        }
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
        lastSendNanos = System.nanoTime();
        if (finished != null) {
            finished.playout.complete(finished.frames, false);
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
        } else if (packet.payloadType() == telephoneEventPt) {
            audio = null;
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
        if (audio == null) {
            telephoneEvents++;
        }
        packetsReceived++;
        lastReceiveNanos = now;
        jitterBuffer.push(packet.sequence(), packet.ssrc(), audio, now);
    }

    private void deliverSamples(short[] samples, long arrivalNanos) {
        int offset = 0;
        while (offset < samples.length) {
            int n = Math.min(SAMPLES_PER_FRAME - pendingSamples, samples.length - offset);
            System.arraycopy(samples, offset, pendingFrame, pendingSamples, n);
            pendingSamples += n;
            offset += n;
            if (pendingSamples == SAMPLES_PER_FRAME) {
                short[] frame = pendingFrame;
                pendingFrame = new short[SAMPLES_PER_FRAME];
                pendingSamples = 0;
                framesDelivered++;
                for (AudioListener listener : listeners) {
                    try {
                        listener.onFrame(frame, arrivalNanos);
                    } catch (RuntimeException e) {
                        log.warn("rtp {} audio listener failed", localPort, e);
                    }
                }
            }
        }
    }

    /** Decodes what the jitter buffer releases and conceals what it gives up on. */
    private final class Decoder implements JitterBuffer.Sink {
        @Override
        public void onPayload(byte[] payload, long arrivalNanos) {
            Codec c = codec;
            short[] samples = new short[payload.length];
            for (int i = 0; i < payload.length; i++) {
                samples[i] = c.decode(payload[i]);
            }
            lastDecoded = samples;
            concealedRepeats = 0;
            deliverSamples(samples, arrivalNanos);
        }

        @Override
        public void onLost(long nowNanos) {
            int length = lastDecoded == null ? SAMPLES_PER_FRAME : lastDecoded.length;
            short[] concealment = new short[length];
            if (lastDecoded != null && concealedRepeats < MAX_CONCEALED_REPEATS) {
                int shift = ++concealedRepeats;
                for (int i = 0; i < length; i++) {
                    concealment[i] = (short) (lastDecoded[i] >> shift);
                }
            }
            deliverSamples(concealment, nowNanos);
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

    /** A queued clip; {@code nextFrame} is guarded by {@code queueLock}. */
    private static final class Clip {
        final Playout playout;
        final short[] pcm;
        final int frames;
        int nextFrame;

        Clip(Playout playout, short[] pcm, int frames) {
            this.playout = playout;
            this.pcm = pcm;
            this.frames = frames;
        }
    }
}
