package dev.ringback.media;

import dev.ringback.media.rtp.RtpPacket;
import dev.ringback.media.srtp.SrtpTransform;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * JMH benchmark of a whole {@link RtpSession} per packet, without the kernel: one received 20 ms PCMU datagram
 * through the session's channel handler (SRTP, latch, parse, jitter buffer, decode, listener), and one pacing tick
 * (frame, packet, SRTP, the write). The session sits on an {@link EmbeddedChannel} with its clock frozen, so nothing
 * ticks by itself; the tick is the Runnable the session gives the pacing clock. The {@code srtp} variants include
 * the peer's work too: {@code receiveSrtp} protects each packet before the session unprotects it (subtract
 * {@code PacketPathBenchmark.srtpProtect}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SessionPathBenchmark {
    private static final int SAMPLES = RtpSession.SAMPLES_PER_FRAME;
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 20_000);
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 30_000);
    private static final long PEER_SSRC = 0x1234;

    /** A started session on an embedded channel, fed by a peer that sends in order. */
    @State(Scope.Thread)
    public abstract static class Session {
        RtpSession session;
        EmbeddedChannel channel;
        Runnable tick;
        ByteBuf template;
        final byte[] payload = new byte[SAMPLES];
        int sequence;

        abstract Optional<SrtpKeys> keys(String ours, String peers);

        @Setup(Level.Trial)
        public void open(Blackhole blackhole) throws ReflectiveOperationException, GeneralSecurityException {
            SecureRandom random = new SecureRandom();
            String ours = SrtpKeys.newInlineKey(random);
            String peers = SrtpKeys.newInlineKey(random);
            session = new RtpSession(LOCAL.getPort(), "bench", new PacingClock(), Runnable::run, 5000, true, () -> { });
            channel = new EmbeddedChannel(session.receiver());
            channel.freezeTime();
            session.attach(channel, null);
            session.onAudio((pcm, arrivalNanos) -> blackhole.consume(pcm));
            session.start(PEER, Codec.PCMU, RtpSession.DEFAULT_TELEPHONE_EVENT_PT, keys(ours, peers));
            Field field = RtpSession.class.getDeclaredField("tick");
            field.setAccessible(true);
            tick = (Runnable) field.get(session);
            Codec.PCMU.encode(TestAudio.tone(440, 0.02, 8000), 0, payload, SAMPLES);
            template = PooledByteBufAllocator.DEFAULT.directBuffer(RtpPacket.HEADER_SIZE + SAMPLES + 10);
            peerKeys(ours, peers);
        }

        void peerKeys(String ours, String peers) throws GeneralSecurityException {
        }

        /** The peer's next packet as it arrives off the socket. */
        ByteBuf nextPacket() throws GeneralSecurityException {
            int s = sequence++;
            template.clear();
            RtpPacket.writeHeader(template, false, Codec.PCMU.payloadType(), s & 0xFFFF, 160L * s, PEER_SSRC);
            template.writeBytes(payload);
            return template.retainedDuplicate();
        }

        @TearDown(Level.Trial)
        public void close() {
            session.close();
            channel.finishAndReleaseAll();
            template.release();
        }
    }

    @State(Scope.Thread)
    public static class PlainSession extends Session {
        @Override
        Optional<SrtpKeys> keys(String ours, String peers) {
            return Optional.empty();
        }
    }

    @State(Scope.Thread)
    public static class SrtpSession extends Session {
        SrtpTransform peer;

        @Override
        Optional<SrtpKeys> keys(String ours, String peers) {
            return Optional.of(new SrtpKeys(ours, peers));
        }

        @Override
        void peerKeys(String ours, String peers) throws GeneralSecurityException {
            peer = SrtpHarness.transform(new SrtpKeys(peers, ours), PEER_SSRC);
        }

        @Override
        ByteBuf nextPacket() throws GeneralSecurityException {
            return peer.protectRtp(super.nextPacket());
        }

        @Override
        public void close() {
            super.close();
            peer.close();
        }
    }

    /** One received datagram through the session: latch check, parse, jitter buffer, decode, listener. */
    @Benchmark
    public void receive(PlainSession s) throws GeneralSecurityException {
        s.channel.writeInbound(new DatagramPacket(s.nextPacket(), LOCAL, PEER));
    }

    /** As {@link #receive}, SRTP-protected by the peer first (its protect is in the figure). */
    @Benchmark
    public void receiveSrtp(SrtpSession s) throws GeneralSecurityException {
        s.channel.writeInbound(new DatagramPacket(s.nextPacket(), LOCAL, PEER));
    }

    /** One pacing tick with nothing queued: a silence frame to the socket, now and then an RTCP report. */
    @Benchmark
    public void tick(PlainSession s) {
        s.tick.run();
        drain(s.channel);
    }

    /** As {@link #tick}, SRTP-protected. */
    @Benchmark
    public void tickSrtp(SrtpSession s) {
        s.tick.run();
        drain(s.channel);
    }

    private static void drain(EmbeddedChannel channel) {
        DatagramPacket sent;
        while ((sent = channel.readOutbound()) != null) {
            sent.release();
        }
    }
}
