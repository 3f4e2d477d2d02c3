package dev.ringback.media;

import dev.ringback.media.rtp.JitterBuffer;
import dev.ringback.media.rtp.MalformedRtpException;
import dev.ringback.media.rtp.RtpPacket;
import dev.ringback.media.srtp.SrtpBuffer;
import dev.ringback.media.srtp.SrtpTransform;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
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
 * JMH benchmark of the per-packet work of one 20 ms G.711 packet (160 samples, 172 bytes on the wire), each stage
 * alone, with the engine's own classes. Run: {@code mvn -B -o -pl media -Pbench test-compile exec:exec@jmh}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class PacketPathBenchmark {
    private static final int SAMPLES = RtpSession.SAMPLES_PER_FRAME;

    private ByteBuf received;
    private final short[] pcm = new short[SAMPLES];
    private final short[] decoded = new short[SAMPLES];
    private final byte[] payload = new byte[SAMPLES];
    private JitterBuffer jitterBuffer;
    private int sequence;
    private long now;
    private SrtpTransform sender;
    private SrtpTransform receiver;
    private int srtpSequence;
    private final SrtpBuffer[] clear = new SrtpBuffer[1];

    @Setup(Level.Trial)
    public void setUp(Blackhole blackhole) throws GeneralSecurityException {
        short[] tone = TestAudio.tone(440, 0.02, 8000);
        System.arraycopy(tone, 0, pcm, 0, SAMPLES);
        received = Unpooled.buffer(RtpPacket.HEADER_SIZE + SAMPLES);
        RtpPacket.writeHeader(received, false, Codec.PCMU.payloadType(), 1, 160, 0x1234);
        received.writeBytes(G711.ulawEncode(pcm));
        jitterBuffer = new JitterBuffer(3, 60_000_000L, new JitterBuffer.Sink() {
            @Override
            public void onPayload(byte[] p, long arrivalNanos) {
                blackhole.consume(p);
            }

            @Override
            public void onLost(long nowNanos) {
                blackhole.consume(nowNanos);
            }
        });
        SecureRandom random = new SecureRandom();
        String keyA = SrtpKeys.newInlineKey(random);
        String keyB = SrtpKeys.newInlineKey(random);
        sender = SrtpHarness.transform(new SrtpKeys(keyA, keyB), 0x1234);
        receiver = SrtpHarness.transform(new SrtpKeys(keyB, keyA), 0x5678);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        sender.close();
        receiver.close();
    }

    /** Receive: RTP header parse and payload copy, then G.711 µ-law decode of 160 samples. */
    @Benchmark
    public short[] decode() throws MalformedRtpException {
        received.readerIndex(0);
        RtpPacket packet = RtpPacket.parse(received);
        byte[] codes = packet.payload();
        for (int i = 0; i < codes.length; i++) {
            decoded[i] = Codec.PCMU.decode(codes[i]);
        }
        return decoded;
    }

    /** Receive: one in-order packet into the jitter buffer and out to its sink, plus the tick's poll. */
    @Benchmark
    public void jitterBufferInOrder() {
        now += 20_000_000L;
        jitterBuffer.push(sequence++ & 0xFFFF, 0x1234, payload, now);
        jitterBuffer.poll(now);
    }

    /** Receive: packets arriving pairwise swapped (2, 1, 4, 3, ...): each pair is held, then released in order. */
    @Benchmark
    public void jitterBufferReordered() {
        now += 20_000_000L;
        int s = sequence++;
        jitterBuffer.push((s ^ 1) & 0xFFFF, 0x1234, payload, now);
        jitterBuffer.poll(now);
    }

    /** Send: G.711 µ-law encode of 160 samples alone. */
    @Benchmark
    public byte[] encodeG711() {
        Codec.PCMU.encode(pcm, 0, payload, SAMPLES);
        return payload;
    }

    /** Send: G.711 µ-law encode of 160 samples, header and payload into a pooled direct buffer (then released). */
    @Benchmark
    public int encode() {
        Codec.PCMU.encode(pcm, 0, payload, SAMPLES);
        ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer(RtpPacket.HEADER_SIZE + SAMPLES);
        RtpPacket.writeHeader(out, false, Codec.PCMU.payloadType(), sequence++ & 0xFFFF, 160L * sequence, 0x1234);
        out.writeBytes(payload);
        int length = out.readableBytes();
        out.release();
        return length;
    }

    /** Send: SRTP protect (AES-CM encrypt + HMAC-SHA1-80 tag) of one packet. */
    @Benchmark
    public ByteBuf srtpProtect() throws GeneralSecurityException {
        return sender.protectRtp(plainPacket());
    }

    /** Send then receive: protect, then authenticate, replay-check and decrypt it at the other end. */
    @Benchmark
    public SrtpTransform.Result srtpProtectThenUnprotect() throws GeneralSecurityException {
        ByteBuf wire = sender.protectRtp(plainPacket());
        return receiver.unprotectRtp(wire, clear);
    }

    private ByteBuf plainPacket() {
        ByteBuf plain = Unpooled.buffer(RtpPacket.HEADER_SIZE + SAMPLES);
        int s = srtpSequence++;
        RtpPacket.writeHeader(plain, false, Codec.PCMU.payloadType(), s & 0xFFFF, 160L * s, 0x1234);
        plain.writeBytes(payload);
        return plain;
    }
}
