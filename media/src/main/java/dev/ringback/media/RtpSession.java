package dev.ringback.media;

import dev.ringback.media.rtcp.RtcpReporter;
import dev.ringback.media.rtp.ReceivePath;
import dev.ringback.media.rtp.ReceptionStats;
import dev.ringback.media.rtp.RtpDecoder;
import dev.ringback.media.rtp.RtpPacket;
import dev.ringback.media.rtp.SourceLatch;
import dev.ringback.media.srtp.SrtpStage;
import dev.ringback.media.stage.DropReason;
import dev.ringback.media.stage.PacketOut;
import dev.ringback.media.stage.StageCounters;
import dev.ringback.media.stage.StageStats;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call leg's RTP: a UDP port, a paced 20 ms sender fed by {@link #play(short[])} through a
 * {@link PlayoutQueue}, and a receiver that puts the peer's packets through a jitter buffer and
 * {@link InboundAudio} (decode, conceal) to {@link AudioListener}s, and DTMF to {@link DtmfListener}s.
 *
 * <p>The session is a facade over stages, each in its own class with its own {@link StageCounters} (listed, in path
 * order, in {@link RtpStats#stages()}): outbound {@link RtpSender} (tick, frame, packet), {@link SrtpStage} protect,
 * {@link RtcpReporter} reports; inbound, per datagram on the RTP port, the demultiplexer here ({@code rtp-in}: muxed
 * RTCP aside, nothing before start), {@link SrtpStage} unprotect, {@link RtpDecoder} (parse, payload type),
 * {@link SourceLatch} (symmetric RTP), and {@link ReceivePath} into the jitter buffer; per RTCP datagram
 * {@code rtcp-in}, the latch, SRTCP, and the reporter's parser.
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
    /** RFC 5761 §4: on a muxed port, a second byte in 192..223 (RTCP packet types) is RTCP, anything else RTP. */
    private static final int MUXED_RTCP_FIRST = 192;
    private static final int MUXED_RTCP_LAST = 223;
    private static final Logger log = LoggerFactory.getLogger(RtpSession.class);

    private final int localPort;
    /** Starts every log line of this session and its stages: the port, and the call when the opener named one. */
    private final String logContext;
    private final PacingClock clock;
    private final Runnable onClosed;
    private final Executor recorderThread;
    private final Runnable tick = this::tick;
    private final AtomicBoolean startedFlag = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final PlayoutQueue outbound = new PlayoutQueue();
    private final DtmfSender dtmfSender = new DtmfSender();
    private final CopyOnWriteArrayList<AudioListener> listeners = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<AudioListener> sentListeners = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<DtmfListener> dtmfListeners = new CopyOnWriteArrayList<>();
    private final InboundAudio inbound;

    // the stages, in path order
    private final RtpSender sender;
    private final RtcpReporter reporter;
    /** What the receive path measures on the peer's stream and the reporter reports. */
    private final ReceptionStats reception = new ReceptionStats();
    private final StageCounters rtpIn = new StageCounters("rtp-in");
    private final StageCounters rtcpIn = new StageCounters("rtcp-in");
    private final RtpDecoder decoder;
    private final SourceLatch latch;
    private final ReceivePath receivePath;
    /** Set by {@link #start} when keyed, null for plain RTP (SRTP cannot start mid-call). */
    private volatile SrtpStage srtp;
    /** The keys {@link #srtp} was made from; event loop after start. */
    private SrtpKeys srtpKeys;

    /** Set by {@link #attach} before the engine hands the session out. */
    private volatile Channel channel;
    /** Null for a session opened for RTCP-mux only (no RTCP port bound). */
    private volatile Channel rtcpChannel;
    private volatile boolean rtcpMux;
    private volatile MediaDirection direction = MediaDirection.SENDRECV;
    private volatile Codec codec;
    private volatile boolean started;
    private volatile CallRecorder recorder;

    /**
     * @param callId   the call this leg belongs to, for the log lines; null when there is none
     * @param onClosed runs once the socket is really closed (so the port can be bound again)
     */
    RtpSession(int localPort, String callId, PacingClock clock, Executor recorderThread, int rtcpIntervalMillis,
            boolean rtcpMux, Runnable onClosed) {
        this.localPort = localPort;
        this.logContext = (callId == null ? "" : "call " + callId + " ") + "rtp " + localPort;
        this.rtcpMux = rtcpMux;
        this.clock = clock;
        this.recorderThread = recorderThread;
        this.onClosed = onClosed;
        this.inbound = new InboundAudio(() -> this.codec, listeners, logContext);
        this.sender = new RtpSender(outbound, dtmfSender, sentListeners, () -> recorder, new RtpOut());
        this.reporter = new RtcpReporter(sender.ssrc(), reception, rtcpIntervalMillis / 20, logContext);
        this.decoder = new RtpDecoder(logContext);
        this.latch = new SourceLatch(logContext);
        this.receivePath = new ReceivePath(reception, inbound, this::deliverDigit);
        listeners.add((pcm, arrivalNanos) -> {
            CallRecorder r = recorder;
            if (r != null) {
                r.customerFrame(pcm);
            }
        });
    }

    /** Inbound handler for the channel this session is bound to. */
    SimpleChannelInboundHandler<DatagramPacket> receiver() {
        return new Receiver(false);
    }

    /** Inbound handler for the RTCP channel (the odd port above {@link #localPort()}). */
    SimpleChannelInboundHandler<DatagramPacket> rtcpReceiver() {
        return new Receiver(true);
    }

    /** @param boundRtcpChannel null when the session was opened for RTCP-mux only */
    void attach(Channel boundChannel, Channel boundRtcpChannel) {
        this.channel = boundChannel;
        this.rtcpChannel = boundRtcpChannel;
        boundChannel.closeFuture().addListener(f -> {
            shutDown();
            SrtpStage s = srtp;
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
            SrtpKeys keys = srtpKeys.get();
            try {
                this.srtp = new SrtpStage(keys.sendKeySalt(), keys.receiveKeySalt(), sender.ssrc(), logContext);
                this.srtpKeys = keys;
            } catch (GeneralSecurityException e) {
                startedFlag.set(false);
                throw new MediaException("SRTP contexts for RTP session on port " + localPort + " failed", e);
            }
        }
        this.codec = codec;
        sender.negotiate(codec, telephoneEventPt);
        decoder.negotiate(codec.payloadType(), telephoneEventPt);
        latch.start(remote);
        this.started = true;
        log.debug("{} started: {} to {}, ssrc {}", logContext, codec, remote, sender.ssrc());
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
            log.debug("{} barge-in dropped {} frames", logContext, dropped);
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
            log.debug("{} recording to {}", logContext, wav);
            return created;
        }
    }

    public SrtpStats srtpStats() {
        SrtpStage s = srtp;
        return s == null
                ? new SrtpStats(false, 0, 0, 0, 0)
                : new SrtpStats(true, s.rtpAuthFailures(), s.rtpReplays(), s.rtcpAuthFailures(), s.rtcpReplays());
    }

    /** How evenly this session's packets have left so far (a racy copy: counts may be one packet behind). */
    public SendTiming sendTiming() {
        return sender.sendTiming();
    }

    public RtpStats stats() {
        var jitterBuffer = receivePath.jitterBuffer();
        List<StageStats> stages = new ArrayList<>();
        for (StageCounters c : stageCounters()) {
            stages.add(c.snapshot());
        }
        return new RtpStats(sender.packetsSent(), latch.rtpCounters().out(), rtpDropped(), jitterBuffer.lost(),
                jitterBuffer.late(), jitterBuffer.duplicates(), receivePath.telephoneEventPackets(),
                inbound.framesDelivered(), sender.lastSendNanos(), receivePath.lastReceiveNanos(), stages);
    }

    /** The address audio is sent to: the SDP address until symmetric RTP latched onto the real source. */
    public InetSocketAddress remoteAddress() {
        return latch.remote();
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
        onEventLoop(() -> latch.retarget(newRemote));
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
        SrtpStage s = srtp;
        if (s == null) {
            throw new IllegalStateException("RTP session on port " + localPort + " is plain RTP: no SRTP keys mid-call");
        }
        onEventLoop(() -> {
            if (!keys.equals(srtpKeys) && !closed.get()) {
                s.rekey(keys.sendKeySalt(), keys.receiveKeySalt());
                srtpKeys = keys;
            }
        });
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
            log.debug("{} direction {} -> {}", logContext, old, newDirection);
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
        var peer = reporter.peerReportOnUs();
        long expected = reception.expected();
        long cumulativeLost = reception.cumulativeLost();
        double jitterMillis = reception.jitterUnits() / 8.0;
        double rtt = reporter.roundTripMillis();
        double oneWayMillis = Math.max(0, rtt) / 2 + SAMPLES_PER_FRAME / 8.0 + 2 * jitterMillis;
        double lossRatio = expected > 0 ? Math.max(0, cumulativeLost) / (double) expected : 0;
        return new RtcpStats(reporter.reportsSent(), reporter.reportsReceived(), rtcpDropped(), sender.packetsSent(),
                sender.octetsSent(), expected, cumulativeLost, reporter.lastFractionLostReported() / 256.0,
                jitterMillis, peer == null ? 0 : peer.fractionLost() / 256.0, peer == null ? 0 : peer.cumulativeLost(),
                peer == null ? 0 : peer.jitter() / 8.0, rtt, reporter.byeReceived(),
                RtcpStats.estimateMos(oneWayMillis, lossRatio));
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

    @Override
    public String toString() {
        return logContext;
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
        log.debug("{} closed: {}", logContext, stats());
    }

    private void tick() {
        if (closed.get()) {
            return;
        }
        sender.tick(direction.sends());
        if (reporter.due()) {
            sendReport(false);
        }
        long now = System.nanoTime();
        receivePath.tick(now);
        inbound.fillQuiet(now, receivePath.holding());
    }

    private void sendReport(boolean bye) {
        if (!(rtcpMux ? channel : rtcpChannel).isActive()) {
            return;
        }
        reporter.send(new RtcpOut(), sender.packetsSent(), sender.octetsSent(), sender.timestamp(), bye);
    }

    /** Every datagram on the RTP port (and, muxed, RTCP) comes in here. */
    private void receive(DatagramPacket datagram) {
        ByteBuf content = datagram.content();
        if (rtcpMux && isMuxedRtcp(content)) {
            receiveRtcp(datagram);
            return;
        }
        long stamp = rtpIn.enter();
        long now = System.nanoTime();
        if (!started || closed.get()) {
            rtpIn.drop(DropReason.NOT_STARTED, stamp);
            return;
        }
        rtpIn.pass(stamp);
        InetSocketAddress from = datagram.sender();
        SrtpStage s = srtp;
        ByteBuf clear = s == null ? content : s.unprotectRtp(content, from);
        if (clear == null) {
            return;
        }
        RtpPacket packet = decoder.decode(clear, from);
        if (packet == null) {
            return;
        }
        if (!latch.admitRtp(from, now)) {
            decoder.recycle(packet.payload());
            return;
        }
        if (!receivePath.accept(packet, decoder.isAudio(packet), decoder.isTelephoneEvent(packet), now)) {
            decoder.recycle(packet.payload());
        }
    }

    private void receiveRtcp(DatagramPacket datagram) {
        long stamp = rtcpIn.enter();
        long now = System.nanoTime();
        if (!started || closed.get()) {
            rtcpIn.drop(DropReason.NOT_STARTED, stamp);
            return;
        }
        rtcpIn.pass(stamp);
        InetSocketAddress from = datagram.sender();
        if (!latch.admitRtcp(from, now)) {
            return;
        }
        SrtpStage s = srtp;
        ByteBuf clear = s == null ? datagram.content() : s.unprotectRtcp(datagram.content(), from);
        if (clear != null && reporter.receive(clear, now)) {
            latch.rtcpValid(from);
        }
    }

    private static boolean isMuxedRtcp(ByteBuf content) {
        if (content.readableBytes() < 2) {
            return false;
        }
        int secondByte = content.getUnsignedByte(content.readerIndex() + 1);
        return secondByte >= MUXED_RTCP_FIRST && secondByte <= MUXED_RTCP_LAST;
    }

    /** Every stage's counters, in path order: outbound RTP and RTCP, inbound RTP, inbound RTCP. */
    private List<StageCounters> stageCounters() {
        SrtpStage s = srtp;
        List<StageCounters> all = new ArrayList<>(13);
        all.add(sender.counters());
        if (s != null) {
            all.add(s.protectRtpCounters());
        }
        all.add(reporter.sendingCounters());
        if (s != null) {
            all.add(s.protectRtcpCounters());
        }
        all.add(rtpIn);
        if (s != null) {
            all.add(s.unprotectRtpCounters());
        }
        all.add(decoder.counters());
        all.add(latch.rtpCounters());
        all.add(receivePath.jitterBuffer().counters());
        all.add(rtcpIn);
        all.add(latch.rtcpCounters());
        if (s != null) {
            all.add(s.unprotectRtcpCounters());
        }
        all.add(reporter.receivingCounters());
        return all;
    }

    /** RTP datagrams thrown away on arrival, at any stage up to the latch. */
    private long rtpDropped() {
        SrtpStage s = srtp;
        return rtpIn.dropped() + (s == null ? 0 : s.unprotectRtpCounters().dropped()) + decoder.counters().dropped()
                + latch.rtpCounters().dropped();
    }

    /** RTCP datagrams thrown away, at any stage. */
    private long rtcpDropped() {
        SrtpStage s = srtp;
        return rtcpIn.dropped() + latch.rtcpCounters().dropped()
                + (s == null ? 0 : s.unprotectRtcpCounters().dropped()) + reporter.receivingCounters().dropped();
    }

    private void onEventLoop(Runnable task) {
        if (channel.eventLoop().inEventLoop()) {
            task.run();
        } else {
            channel.eventLoop().execute(task);
        }
    }

    private void deliverDigit(char digit, long arrivalNanos) {
        log.debug("{} received DTMF {}", logContext, digit);
        for (DtmfListener listener : dtmfListeners) {
            try {
                listener.onDigit(digit, arrivalNanos);
            } catch (RuntimeException e) {
                log.warn("{} DTMF listener failed", logContext, e);
            }
        }
    }

    /** The sender's next stage: SRTP when keyed, then the socket, to the latched or signalled address. */
    private final class RtpOut implements PacketOut {
        @Override
        public ByteBuf buffer(int capacity) {
            return channel.alloc().ioBuffer(capacity);
        }

        @Override
        public boolean send(ByteBuf packet) {
            SrtpStage s = srtp;
            ByteBuf wire = s == null ? packet : s.protectRtp(packet);
            if (wire == null) {
                return false;
            }
            channel.writeAndFlush(new DatagramPacket(wire, latch.remote()), channel.voidPromise());
            return true;
        }
    }

    /** The reporter's next stage: SRTCP when keyed, then the RTCP socket (the RTP one when muxed). */
    private final class RtcpOut implements PacketOut {
        private final Channel out = rtcpMux ? channel : rtcpChannel;
        private final boolean muxed = out == channel;

        @Override
        public ByteBuf buffer(int capacity) {
            return out.alloc().ioBuffer(capacity);
        }

        @Override
        public boolean send(ByteBuf compound) {
            SrtpStage s = srtp;
            ByteBuf wire = s == null ? compound : s.protectRtcp(compound);
            if (wire == null) {
                return false;
            }
            out.writeAndFlush(new DatagramPacket(wire, latch.rtcpRemote(muxed)), out.voidPromise());
            return true;
        }
    }

    private final class Receiver extends SimpleChannelInboundHandler<DatagramPacket> {
        private final boolean rtcpPort;

        Receiver(boolean rtcpPort) {
            this.rtcpPort = rtcpPort;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket datagram) {
            if (rtcpPort) {
                receiveRtcp(datagram);
            } else {
                receive(datagram);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("{} {} socket error (continuing): {}", logContext, rtcpPort ? "RTCP" : "RTP", cause.toString());
        }
    }
}
