package dev.ringback.media;

import dev.ringback.media.rtcp.Rtcp;
import dev.ringback.media.rtp.JitterBuffer;
import dev.ringback.media.rtp.MalformedRtpException;
import dev.ringback.media.rtp.ReceptionStats;
import dev.ringback.media.rtp.RtpPacket;
import dev.ringback.media.rtp.TelephoneEventDecoder;
import dev.ringback.media.srtp.SrtpBuffer;
import dev.ringback.media.srtp.SrtpTransform;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
 * <p>Mid-call changes (re-INVITE): {@link #retarget} moves the stream to a new remote address and re-latches,
 * {@link #setDirection} holds and resumes sending without breaking the media clock, {@link #setRtcpMux} moves
 * RTCP onto the RTP port (RFC 5761).
 *
 * <p>Threading: sending, receiving, listener calls and normal Playout completion run on this session's
 * Netty event loop; {@link #play}, {@link #flush}, {@link #isPlaying}, {@link #stats}, {@link #retarget},
 * {@link #setDirection}, {@link #setRtcpMux} and {@link #close} may be called from any thread (close() waits up
 * to 1 s for the socket to close unless called on the event loop).
 */
public final class RtpSession implements AutoCloseable {
    public static final int SAMPLES_PER_FRAME = 160;
    /** The payload type most peers offer for RFC 4733 telephone-event. */
    public static final int DEFAULT_TELEPHONE_EVENT_PT = 101;
    /** RFC 3389 comfort noise: accepted and played as silence. */
    private static final int COMFORT_NOISE_PT = 13;
    private static final int REORDER_DEPTH = 3;
    private static final long MAX_REORDER_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(60);
    private static final long NANOS_PER_SAMPLE = 125_000;
    /**
     * After a retarget, packets from the source we had latched onto are not latched onto again for this long: the
     * old peer may still send a few packets while the new one starts.
     */
    private static final long ABANDONED_SOURCE_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** RFC 5761 §4: on a muxed port, a second byte in 192..223 (RTCP packet types) is RTCP, anything else RTP. */
    private static final int MUXED_RTCP_FIRST = 192;
    private static final int MUXED_RTCP_LAST = 223;
    private static final Logger log = LoggerFactory.getLogger(RtpSession.class);

    private final int localPort;
    private final PacingClock clock;
    private final Runnable onClosed;
    private final Executor recorderThread;
    private final int rtcpIntervalTicks;
    private final Runnable tick = this::tick;
    private final AtomicBoolean startedFlag = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final PlayoutQueue outbound = new PlayoutQueue();
    private final CopyOnWriteArrayList<AudioListener> listeners = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<AudioListener> sentListeners = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<DtmfListener> dtmfListeners = new CopyOnWriteArrayList<>();
    private final TelephoneEventDecoder dtmfDecoder = new TelephoneEventDecoder();
    private final InboundAudio inbound = new InboundAudio(() -> this.codec, listeners);
    private final JitterBuffer jitterBuffer = new JitterBuffer(REORDER_DEPTH, MAX_REORDER_WAIT_NANOS, inbound);
    /** Set by {@link #attach} before the engine hands the session out. */
    private volatile Channel channel;
    /** Null for a session opened for RTCP-mux only (no RTCP port bound). */
    private volatile Channel rtcpChannel;
    private volatile boolean rtcpMux;
    private volatile MediaDirection direction = MediaDirection.SENDRECV;

    private volatile Codec codec;
    private volatile int telephoneEventPt;
    private volatile InetSocketAddress remote;
    /** Where the signalling last said to send (start or retarget); {@link #remote} may be a latched source instead. */
    private InetSocketAddress signalledRemote;
    private volatile boolean started;
    private volatile CallRecorder recorder;
    private volatile SrtpTransform srtp;
    /** The keys {@link #srtp} was made from; event loop after start. */
    private SrtpKeys srtpKeys;
    private volatile long srtpAuthFailures;
    private volatile long srtpReplays;
    private volatile long srtcpAuthFailures;
    private volatile long srtcpReplays;

    // send state: event loop only
    private final long ssrc = ThreadLocalRandom.current().nextInt() & 0xFFFF_FFFFL;
    private int sequence = ThreadLocalRandom.current().nextInt(0x10000);
    private long timestamp = ThreadLocalRandom.current().nextInt() & 0xFFFF_FFFFL;
    private boolean lastSentWasAudio;
    /** False until the first packet and again while held: the next packet sent carries the marker. */
    private boolean anySent;
    private final byte[] payloadScratch = new byte[SAMPLES_PER_FRAME];
    private final short[] sentScratch = new short[SAMPLES_PER_FRAME];
    private final DtmfSender dtmfSender = new DtmfSender();
    /** {@link SendTiming} counts; written on the event loop, copied by readers. */
    private final long[] sendErrorCounts = new long[SendTiming.BUCKETS];
    private final byte[] eventScratch = new byte[4];

    // receive state: event loop only
    private boolean latched;
    /** A received payload array no longer needed: the next packet's payload is copied into it. */
    private byte[] spareFrame;
    private InetSocketAddress abandonedSource;
    private long abandonedUntilNanos;
    private final ReceptionStats reception = new ReceptionStats();

    // RTCP state: event loop only
    private int ticksToReport;
    private long peerLastSrMiddle;
    private long peerLastSrArrivalNanos;
    private volatile InetSocketAddress rtcpLatchedRemote;
    /** As {@link #abandonedSource}, for RTCP (the same deadline). */
    private InetSocketAddress abandonedRtcpSource;
    private volatile long reportsSent;
    /** {@link #packetsSent} when the report before last and the last report went: SR or RR (RFC 3550 §6.4). */
    private long sentAtReportBeforeLast;
    private long sentAtLastReport;
    private volatile long reportsReceived;
    private volatile long rtcpDropped;
    private volatile long octetsSent;
    private volatile long lastFractionLostReported;
    private volatile Rtcp.ReportBlock peerReportOnUs;
    private volatile double roundTripMillis = -1;
    private volatile boolean byeReceived;

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
    RtpSession(int localPort, PacingClock clock, Executor recorderThread, int rtcpIntervalMillis, boolean rtcpMux,
            Runnable onClosed) {
        this.localPort = localPort;
        this.rtcpMux = rtcpMux;
        this.clock = clock;
        this.recorderThread = recorderThread;
        this.rtcpIntervalTicks = Math.max(1, rtcpIntervalMillis / 20);
        this.ticksToReport = nextReportInterval();
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

    /** Inbound handler for the RTCP channel (the odd port above {@link #localPort()}). */
    SimpleChannelInboundHandler<DatagramPacket> rtcpReceiver() {
        return new RtcpReceiver();
    }

    /** @param boundRtcpChannel null when the session was opened for RTCP-mux only */
    void attach(Channel boundChannel, Channel boundRtcpChannel) {
        this.channel = boundChannel;
        this.rtcpChannel = boundRtcpChannel;
        boundChannel.closeFuture().addListener(f -> {
            shutDown();
            SrtpTransform s = srtp;
            if (s != null) {
                s.close(); // on the event loop, after the last packet went through it
            }
            if (boundRtcpChannel == null) {
                onClosed.run();
            } else {
                boundRtcpChannel.close().addListener(g -> onClosed.run());
            }
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
        start(remote, codec, telephoneEventPt, Optional.empty());
    }

    /**
     * As {@link #start(InetSocketAddress, Codec, int)}, with SRTP/SRTCP (AES_CM_128_HMAC_SHA1_80) when keys are
     * given: everything sent is protected with our key, everything received must verify with the peer's key;
     * packets that fail authentication or replay checks are dropped and counted in {@link #srtpStats()}.
     *
     * @throws MediaException when the SRTP contexts cannot be created
     */
    public void start(InetSocketAddress remote, Codec codec, int telephoneEventPt, Optional<SrtpKeys> srtpKeys) {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(srtpKeys, "srtpKeys");
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
        if (srtpKeys.isPresent()) {
            try {
                this.srtp = new SrtpTransform(srtpKeys.get().sendKeySalt(), srtpKeys.get().receiveKeySalt(), ssrc);
                this.srtpKeys = srtpKeys.get();
            } catch (GeneralSecurityException e) {
                startedFlag.set(false);
                throw new MediaException("SRTP contexts for RTP session on port " + localPort + " failed", e);
            }
        }
        this.codec = codec;
        this.telephoneEventPt = telephoneEventPt;
        this.remote = remote;
        this.signalledRemote = remote;
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
        Codec now = codec;
        return outbound.add(Objects.requireNonNull(pcm8k, "pcm8k"), now == null ? Codec.PCMU : now);
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

    /**
     * Queues a DTMF digit ('0'-'9', '*', '#', 'A'-'D') to send as RFC 4733 telephone-events with the payload type
     * given to {@code start}, after the digits already queued. While it is sent, queued audio waits.
     *
     * @return completes when its last end packet was written (on the event loop); cancelled if the session closes
     * @throws IllegalArgumentException for another character or a duration outside 40-5000 ms
     * @throws IllegalStateException before {@code start}
     */
    public CompletableFuture<Void> sendDtmf(char digit, int durationMillis) {
        if (!started) {
            throw new IllegalStateException("RTP session on port " + localPort + " is not started");
        }
        CompletableFuture<Void> sent = dtmfSender.add(digit, durationMillis);
        if (closed.get()) {
            dtmfSender.cancel();
        }
        return sent;
    }

    /** Removes a listener added with {@link #onAudio}; it may still get a frame being delivered right now. */
    public void removeAudioListener(AudioListener listener) {
        listeners.remove(listener);
    }

    /**
     * Adds a listener for the audio this session sends, decoded back from the payload as it leaves (silence fill
     * included; nothing while held or sending a telephone-event), stamped with the send time: the reference an echo
     * canceller needs. Same threading contract as {@link AudioListener}: called on the event loop, never block.
     */
    public void onSentAudio(AudioListener listener) {
        sentListeners.add(listener);
    }

    public void removeSentAudioListener(AudioListener listener) {
        sentListeners.remove(listener);
    }

    /** Frames queued to send (played clips and bridged audio), not counting idle silence. */
    public int queuedFrames() {
        return outbound.queuedFrames();
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

    public SrtpStats srtpStats() {
        return new SrtpStats(srtp != null, srtpAuthFailures, srtpReplays, srtcpAuthFailures, srtcpReplays);
    }

    /** How evenly this session's packets have left so far (a racy copy: counts may be one packet behind). */
    public SendTiming sendTiming() {
        return new SendTiming(sendErrorCounts);
    }

    public RtpStats stats() {
        return new RtpStats(packetsSent, packetsReceived, packetsDropped, jitterBuffer.lost(), jitterBuffer.late(),
                jitterBuffer.duplicates(), telephoneEventPackets, inbound.framesDelivered(), lastSendNanos, lastReceiveNanos);
    }

    /** The address audio is sent to: the SDP address until symmetric RTP latched onto the real source. */
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    /**
     * The peer moved its media (re-INVITE with a new c=/m=): from now on send to {@code newRemote}, and latch
     * afresh onto where the peer's packets come from (symmetric RTP), the RTCP source included. For one second the
     * source latched onto before is not latched onto again (its last packets are dropped and counted), unless it
     * is {@code newRemote} itself. Sequence numbers, timestamps and SSRC carry on. Applied on the session's event
     * loop, between two ticks; {@link #remoteAddress()} shows it from then. The address signalled before, again (a
     * session refresh, a hold, a codec change), changes nothing: a stream latched onto a source behind NAT stays
     * latched.
     *
     * @throws IllegalStateException before {@code start}
     */
    public void retarget(InetSocketAddress newRemote) {
        Objects.requireNonNull(newRemote, "newRemote");
        if (newRemote.isUnresolved()) {
            throw new IllegalArgumentException("unresolved remote RTP address " + newRemote);
        }
        if (!started) {
            throw new IllegalStateException("RTP session on port " + localPort + " is not started");
        }
        onEventLoop(() -> applyRetarget(newRemote));
    }

    /**
     * The SDES keys a re-INVITE or UPDATE negotiated (RFC 4568 §7.1.4: a new key is a new crypto context): from the
     * next packet, what arrives is checked with the peer's key and what leaves is protected with ours. The keys in use
     * again change nothing; when only the peer's key changed, our sending context and its rollover counter carry on.
     * Applied on the session's event loop.
     *
     * @throws IllegalStateException before {@code start}, or on a plain RTP session (SRTP cannot start mid-call)
     */
    public void rekey(SrtpKeys keys) {
        Objects.requireNonNull(keys, "keys");
        if (!started) {
            throw new IllegalStateException("RTP session on port " + localPort + " is not started");
        }
        if (srtp == null) {
            throw new IllegalStateException("RTP session on port " + localPort + " is plain RTP: no SRTP keys mid-call");
        }
        onEventLoop(() -> applyRekey(keys));
    }

    /**
     * Holds or resumes sending (RFC 3264 hold: {@code SENDONLY}/{@code INACTIVE} from the peer's offer mean this end
     * answers {@code RECVONLY}/{@code INACTIVE}). While not sending, no RTP leaves, queued audio and DTMF wait, the
     * RTP timestamp keeps advancing 160 per tick and RTCP reports keep going; the first packet after resuming
     * carries the marker bit. Receiving is never gated: a peer that sends while held (music on hold) is still
     * heard. Takes effect from the next tick. May be called before {@code start}.
     */
    public void setDirection(MediaDirection newDirection) {
        MediaDirection old = direction;
        direction = Objects.requireNonNull(newDirection, "newDirection");
        if (old != newDirection) {
            log.debug("rtp {} direction {} -> {}", localPort, old, newDirection);
        }
    }

    public MediaDirection direction() {
        return direction;
    }

    /**
     * RFC 5761: when on, RTCP is sent from and to the RTP ports (to the peer's RTP address) and RTCP arriving on our
     * RTP port is told apart by its packet type (192-223). When off, RTCP uses the odd ports and an RTCP-looking
     * packet on the RTP port is dropped as an unknown payload type. Takes effect from the next packet.
     *
     * @throws IllegalStateException turning it off on a session opened with {@link RtpEngine#open(boolean)
     *                               RtpEngine.open(true)}, which has no RTCP port
     */
    public void setRtcpMux(boolean on) {
        if (!on && rtcpChannel == null) {
            throw new IllegalStateException("RTP session on port " + localPort + " was opened for RTCP-mux only");
        }
        rtcpMux = on;
    }

    public boolean rtcpMux() {
        return rtcpMux;
    }

    /** RTCP figures for monitoring: what we sent, what we measured on the peer's stream, what the peer reported. */
    public RtcpStats rtcpStats() {
        Rtcp.ReportBlock peer = peerReportOnUs;
        long expected = reception.expected();
        long cumulativeLost = reception.cumulativeLost();
        double jitterMillis = reception.jitterUnits() / 8.0;
        double rtt = roundTripMillis;
        double oneWayMillis = Math.max(0, rtt) / 2 + SAMPLES_PER_FRAME / 8.0 + 2 * jitterMillis;
        double lossRatio = expected > 0 ? Math.max(0, cumulativeLost) / (double) expected : 0;
        return new RtcpStats(reportsSent, reportsReceived, rtcpDropped, packetsSent, octetsSent, expected, cumulativeLost,
                lastFractionLostReported / 256.0, jitterMillis,
                peer == null ? 0 : peer.fractionLost() / 256.0, peer == null ? 0 : peer.cumulativeLost(),
                peer == null ? 0 : peer.jitter() / 8.0, rtt, byeReceived, RtcpStats.estimateMos(oneWayMillis, lossRatio));
    }

    /**
     * Stops sending, sends RTCP BYE (if started), completes queued Playouts as interrupted, closes both sockets
     * and returns the ports.
     */
    @Override
    public void close() {
        boolean sayBye = started && !closed.get();
        shutDown();
        if (sayBye) {
            if (channel.eventLoop().inEventLoop()) {
                sendReport(true);
            } else {
                channel.eventLoop().execute(() -> sendReport(true)); // runs before the close below
            }
        }
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
        dtmfSender.cancel();
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
        if (direction.sends()) {
            sendFrame();
        } else {
            skipFrame();
        }
        if (--ticksToReport <= 0) {
            ticksToReport = nextReportInterval();
            sendReport(false);
        }
        long now = System.nanoTime();
        jitterBuffer.poll(now);
        inbound.fillQuiet(now, jitterBuffer.holding());
    }

    private void sendFrame() {
        DtmfSender.Packet event = dtmfSender.next(timestamp, eventScratch);
        if (event != null) {
            sendTelephoneEvent(event);
            return;
        }
        Codec c = codec;
        PlayoutQueue.Taken taken = outbound.takeFrame(c, payloadScratch);
        boolean audio = taken.audio();
        boolean marker = !anySent || (audio && !lastSentWasAudio);
        send(marker, c.payloadType(), timestamp, payloadScratch, audio);
        CallRecorder r = recorder;
        boolean tapped = !sentListeners.isEmpty();
        if (r != null || tapped) {
            c.decode(payloadScratch, sentScratch, SAMPLES_PER_FRAME);
            if (r != null) r.agentFrame(sentScratch);
            for (AudioListener l : sentListeners) l.onFrame(sentScratch.clone(), lastSendNanos);
        }
        if (taken.finished() != null) {
            taken.finished().complete(taken.finished().framesTotal(), false);
        }
    }

    /** A tick while held: nothing goes out, but the media clock advances as if a frame had. */
    private void skipFrame() {
        timestamp = (timestamp + SAMPLES_PER_FRAME) & 0xFFFF_FFFFL;
        anySent = false;
        lastSentWasAudio = false;
        CallRecorder r = recorder;
        if (r != null) {
            r.agentSilence();
        }
    }

    /**
     * One packet on the wire (SRTP-protected when keyed) and the send-side bookkeeping every packet
     * shares: the media clock advances one frame whether it carried audio or a telephone-event.
     */
    private void send(boolean marker, int payloadType, long packetTimestamp, byte[] payload, boolean audio) {
        // stamped before the write: on loopback the peer can read the packet before the write call returns
        long now = System.nanoTime();
        if (anySent) { // the previous tick sent too (not the first packet, not after a hold)
            sendErrorCounts[SendTiming.bucket(now - lastSendNanos)]++;
        }
        lastSendNanos = now;
        ByteBuf buf = channel.alloc().ioBuffer(RtpPacket.HEADER_SIZE + payload.length);
        RtpPacket.writeHeader(buf, marker, payloadType, sequence, packetTimestamp, ssrc);
        buf.writeBytes(payload);
        ByteBuf wire = protect(buf, false);
        if (wire != null) {
            channel.writeAndFlush(new DatagramPacket(wire, remote), channel.voidPromise());
        }
        sequence = (sequence + 1) & 0xFFFF;
        timestamp = (timestamp + SAMPLES_PER_FRAME) & 0xFFFF_FFFFL;
        anySent = true;
        lastSentWasAudio = audio;
        packetsSent++;
        octetsSent += payload.length;
    }

    private void sendTelephoneEvent(DtmfSender.Packet event) {
        send(event.marker(), telephoneEventPt, event.timestamp(), eventScratch, false);
        CallRecorder r = recorder;
        if (r != null) {
            r.agentSilence(); // the tone is not synthesised into the recording
        }
        if (event.sent() != null) {
            event.sent().complete(null);
        }
    }

    private void receive(DatagramPacket datagram) {
        if (rtcpMux && isMuxedRtcp(datagram.content())) {
            receiveRtcp(datagram);
            return;
        }
        long now = System.nanoTime();
        if (!started || closed.get()) {
            packetsDropped++;
            return;
        }
        ByteBuf clear = unprotect(datagram.content(), datagram.sender(), false);
        if (clear == null) {
            packetsDropped++;
            return;
        }
        RtpPacket packet;
        try {
            packet = RtpPacket.parse(clear, spareFrame);
            spareFrame = null; // given back below unless the jitter buffer keeps it
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
            if (abandonedSource != null && now - abandonedUntilNanos < 0 && source.equals(abandonedSource)) {
                packetsDropped++;
                log.debug("rtp {} dropped packet from {}, the source before the retarget", localPort, source);
                return;
            }
            latched = true;
            abandonedSource = null;
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
        reception.onPacket(packet.ssrc(), packet.sequence(), packet.timestamp(), now / NANOS_PER_SAMPLE,
                audio != null);
        if (packet.payloadType() == telephoneEventPt) {
            telephoneEventPackets++;
            int digit = dtmfDecoder.newDigit(packet.payload(), packet.timestamp());
            if (digit >= 0) {
                deliverDigit((char) digit, now);
            }
        }
        if (!jitterBuffer.push(packet.sequence(), packet.ssrc(), audio, now)) {
            spareFrame = packet.payload();
        }
    }

    private static boolean isMuxedRtcp(ByteBuf content) {
        if (content.readableBytes() < 2) {
            return false;
        }
        int secondByte = content.getUnsignedByte(content.readerIndex() + 1);
        return secondByte >= MUXED_RTCP_FIRST && secondByte <= MUXED_RTCP_LAST;
    }

    /** Event loop: the new target, and latching starts over (RTP and RTCP). */
    private void applyRetarget(InetSocketAddress newRemote) {
        if (newRemote.equals(signalledRemote)) {
            log.debug("rtp {} re-offered {}, unchanged; stays with {}", localPort, newRemote, remote);
            return;
        }
        signalledRemote = newRemote;
        InetSocketAddress old = remote;
        abandonedSource = latched && !old.equals(newRemote) ? old : null;
        InetSocketAddress oldRtcp = rtcpLatchedRemote;
        abandonedRtcpSource = oldRtcp != null && !oldRtcp.equals(newRemote) ? oldRtcp : null;
        abandonedUntilNanos = System.nanoTime() + ABANDONED_SOURCE_NANOS;
        remote = newRemote;
        latched = false;
        rtcpLatchedRemote = null;
        log.info("rtp {} retargeted from {} to {}", localPort, old, newRemote);
    }

    /** Event loop: a new transform for a new key of ours, new receive contexts for a new key of the peer's. */
    private void applyRekey(SrtpKeys keys) {
        SrtpKeys old = srtpKeys;
        if (keys.equals(old) || closed.get()) {
            return;
        }
        boolean ours = !keys.sendInline().equals(old.sendInline());
        try {
            if (ours) {
                SrtpTransform previous = srtp;
                srtp = new SrtpTransform(keys.sendKeySalt(), keys.receiveKeySalt(), ssrc);
                previous.close();
            } else {
                srtp.replacePeerKey(keys.receiveKeySalt());
            }
            srtpKeys = keys;
            log.info("rtp {} SRTP re-keyed: {}", localPort, ours ? "both directions" : "the peer's key");
        } catch (GeneralSecurityException e) {
            log.warn("rtp {} SRTP re-key failed, the old keys stay: {}", localPort, e.getMessage());
        }
    }

    private void onEventLoop(Runnable task) {
        if (channel.eventLoop().inEventLoop()) {
            task.run();
        } else {
            channel.eventLoop().execute(task);
        }
    }

    /** RFC 3550 §6.2: the interval randomised over [0.5, 1.5] times the mean so sessions do not synchronise. */
    private int nextReportInterval() {
        return Math.max(1, (int) (rtcpIntervalTicks * (0.5 + ThreadLocalRandom.current().nextDouble())));
    }

    private InetSocketAddress rtcpRemote() {
        InetSocketAddress latchedRtcp = rtcpLatchedRemote;
        if (latchedRtcp != null) {
            return latchedRtcp;
        }
        InetSocketAddress rtp = remote;
        return rtcpMux ? rtp : new InetSocketAddress(rtp.getAddress(), rtp.getPort() + 1);
    }

    /** Sends SR (with a report block once the peer's stream is known), SDES CNAME and, if {@code bye}, BYE. */
    private void sendReport(boolean bye) {
        Channel out = rtcpMux ? channel : rtcpChannel;
        if (!out.isActive()) {
            return;
        }
        long now = System.nanoTime();
        Instant wall = Instant.now();
        Rtcp.ReportBlock block = null;
        if (reception.started()) {
            int fraction = reception.takeFractionLost();
            lastFractionLostReported = fraction;
            long lost = Math.max(-0x80_0000, Math.min(0x7F_FFFF, reception.cumulativeLost()));
            long dlsr = peerLastSrMiddle == 0 ? 0 : (now - peerLastSrArrivalNanos) * 65_536 / 1_000_000_000L;
            block = new Rtcp.ReportBlock(reception.ssrc(), fraction, (int) lost, reception.extendedHighestSeq(),
                    Math.round(reception.jitterUnits()), peerLastSrMiddle, dlsr);
        }
        ByteBuf buf = out.alloc().ioBuffer(128);
        // a sender is one that has sent since the report before last: held for two intervals, we only receive
        if (packetsSent != sentAtReportBeforeLast) {
            Rtcp.writeSenderReport(buf, ssrc, Rtcp.ntp(wall.getEpochSecond(), wall.getNano()), timestamp, packetsSent,
                    octetsSent, block);
        } else {
            Rtcp.writeReceiverReport(buf, ssrc, block);
        }
        sentAtReportBeforeLast = sentAtLastReport;
        sentAtLastReport = packetsSent;
        Rtcp.writeCname(buf, ssrc, "ringback-" + Long.toHexString(ssrc));
        if (bye) {
            Rtcp.writeBye(buf, ssrc);
        }
        ByteBuf wire = protect(buf, true);
        if (wire != null) {
            out.writeAndFlush(new DatagramPacket(wire, rtcpRemote()), out.voidPromise());
            reportsSent++;
        }
    }

    /** The packet as it goes on the wire: itself, or SRTP/SRTCP-protected (then {@code plain} is released). */
    private ByteBuf protect(ByteBuf plain, boolean rtcp) {
        SrtpTransform s = srtp;
        if (s == null) {
            return plain;
        }
        try {
            ByteBuf protectedPacket = rtcp ? s.protectRtcp(plain) : s.protectRtp(plain);
            if (protectedPacket == null) {
                log.warn("rtp {} SRTP refused to protect an outgoing {} packet", localPort, rtcp ? "RTCP" : "RTP");
            }
            return protectedPacket;
        } catch (GeneralSecurityException e) {
            log.warn("rtp {} SRTP protect failed", localPort, e);
            return null;
        } finally {
            plain.release();
        }
    }

    /** The received packet in clear, or null when SRTP/SRTCP rejected it (counted). */
    private ByteBuf unprotect(ByteBuf received, InetSocketAddress source, boolean rtcp) {
        SrtpTransform s = srtp;
        if (s == null) {
            return received;
        }
        SrtpBuffer[] clear = new SrtpBuffer[1];
        SrtpTransform.Result result = rtcp ? s.unprotectRtcp(received, clear) : s.unprotectRtp(received, clear);
        if (result == SrtpTransform.Result.OK) {
            return Unpooled.wrappedBuffer(clear[0].getBuffer(), clear[0].getOffset(), clear[0].getLength());
        }
        if (result == SrtpTransform.Result.REPLAY_FAIL) {
            if (rtcp) {
                srtcpReplays++;
            } else {
                srtpReplays++;
            }
        } else if (rtcp) {
            srtcpAuthFailures++;
        } else {
            srtpAuthFailures++;
        }
        log.debug("rtp {} dropped {} from {}: {}", localPort, rtcp ? "SRTCP" : "SRTP", source, result);
        return null;
    }

    private void receiveRtcp(DatagramPacket datagram) {
        long now = System.nanoTime();
        if (!started || closed.get()) {
            rtcpDropped++;
            return;
        }
        InetSocketAddress source = datagram.sender();
        InetSocketAddress latchedRtcp = rtcpLatchedRemote;
        if (latchedRtcp != null && !latchedRtcp.equals(source)) {
            rtcpDropped++;
            log.debug("rtcp {} dropped packet from {}, latched onto {}", localPort, source, latchedRtcp);
            return;
        }
        if (latchedRtcp == null && source.equals(abandonedRtcpSource) && now - abandonedUntilNanos < 0) {
            rtcpDropped++;
            log.debug("rtcp {} dropped packet from {}, the source before the retarget", localPort, source);
            return;
        }
        Rtcp.Compound compound;
        try {
            ByteBuf clear = unprotect(datagram.content(), source, true);
            if (clear == null) {
                rtcpDropped++;
                return;
            }
            compound = Rtcp.parse(clear);
        } catch (MalformedRtpException e) {
            rtcpDropped++;
            log.debug("rtcp {} dropped datagram from {}: {}", localPort, source, e.getMessage());
            return;
        }
        rtcpLatchedRemote = source;
        reportsReceived++;
        if (compound.srNtpMiddle() >= 0) {
            peerLastSrMiddle = compound.srNtpMiddle();
            peerLastSrArrivalNanos = now;
        }
        for (Rtcp.ReportBlock block : compound.blocks()) {
            if (block.ssrc() != ssrc) {
                continue;
            }
            peerReportOnUs = block;
            if (block.lastSr() != 0) {
                Instant wall = Instant.now();
                long arrival = Rtcp.middle(Rtcp.ntp(wall.getEpochSecond(), wall.getNano()));
                long rtt = (arrival - block.lastSr() - block.delaySinceLastSr()) & 0xFFFF_FFFFL;
                // a hair below zero on loopback from the 1/65536 s rounding comes out as a huge unsigned value
                roundTripMillis = rtt > 0x8000_0000L ? 0 : rtt * 1000.0 / 65_536;
            }
        }
        if (compound.bye() && !byeReceived) {
            byeReceived = true;
            log.debug("rtcp {} peer said BYE", localPort);
        }
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

    private final class RtcpReceiver extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket datagram) {
            receiveRtcp(datagram);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("rtcp {} socket error (continuing): {}", localPort, cause.toString());
        }
    }
}
