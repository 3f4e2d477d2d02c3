package dev.ringback.media;

import dev.ringback.media.rtp.RtpPacket;
import dev.ringback.media.srtp.SrtpBuffer;
import dev.ringback.media.srtp.SrtpTransform;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Benchmark, not a test: the one-off jitsi-srtp start-up (its AES self-benchmark) and the cost of protecting
 * and then checking/decrypting one 20 ms G.711 packet, per packet.
 *
 * <p>Usage: {@code SrtpHarness [packets=200000]}
 */
public final class SrtpHarness {
    private SrtpHarness() {
    }

    /** What a session keyed with {@code keys} protects and checks with. */
    static SrtpTransform transform(SrtpKeys keys, long ssrc) throws GeneralSecurityException {
        return new SrtpTransform(keys.sendKeySalt(), keys.receiveKeySalt(), ssrc);
    }

    public static void main(String[] args) throws Exception {
        int packets = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        SecureRandom random = new SecureRandom();
        String keyA = SrtpKeys.newInlineKey(random);
        String keyB = SrtpKeys.newInlineKey(random);
        long began = System.nanoTime();
        SrtpTransform sender = transform(new SrtpKeys(keyA, keyB), 0x1234);
        System.out.printf("first SRTP context (includes jitsi's AES benchmark): %.0f ms%n", (System.nanoTime() - began) / 1e6);
        began = System.nanoTime();
        SrtpTransform receiver = transform(new SrtpKeys(keyB, keyA), 0x5678);
        System.out.printf("next session's contexts: %.1f ms%n", (System.nanoTime() - began) / 1e6);

        byte[] payload = new byte[160];
        random.nextBytes(payload);
        SrtpBuffer[] clear = new SrtpBuffer[1];
        long[] nanos = new long[packets];
        for (int i = 0; i < packets; i++) {
            ByteBuf plain = Unpooled.buffer(172);
            RtpPacket.writeHeader(plain, false, 0, i & 0xFFFF, 160L * i, 0x1234);
            plain.writeBytes(payload);
            long t = System.nanoTime();
            ByteBuf wire = sender.protectRtp(plain);
            SrtpTransform.Result r = receiver.unprotectRtp(wire, clear);
            nanos[i] = System.nanoTime() - t;
            plain.release();
            if (r != SrtpTransform.Result.OK) {
                throw new IllegalStateException("packet " + i + ": " + r);
            }
        }
        long[] steady = Arrays.copyOfRange(nanos, packets / 10, packets);
        Arrays.sort(steady);
        System.out.printf("protect+unprotect per 172-byte packet (after %d warm-up): p50=%.1f us p99=%.1f us; "
                + "one call (50 pkt/s each way) ~ %.3f%% of a core%n", packets / 10, steady[steady.length / 2] / 1e3,
                steady[(int) (steady.length * 0.99)] / 1e3, 100.0 * steady[steady.length / 2] * 100 / 1e9);
        sender.close();
        receiver.close();
    }
}
