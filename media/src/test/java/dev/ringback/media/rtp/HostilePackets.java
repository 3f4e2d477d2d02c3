package dev.ringback.media.rtp;

import dev.ringback.media.stage.DropReason;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;

/**
 * A seeded source of hostile datagrams for the fuzz tests: valid RTP and RTCP written independently of the code
 * under test, each mutated in one way whose drop reason is known (a truncated header, a wrong version, a CSRC list
 * or header extension that runs past the end, padding that lies, an RTCP length field that is wrong, ...), and plain
 * random bytes whose fate is not known in advance.
 */
public final class HostilePackets {
    /** A datagram and the reason it must be dropped for; null when it is random and may even be valid. */
    public record Hostile(String kind, byte[] bytes, DropReason expected) {
    }

    private static final int RR = 201;
    private static final int SR = 200;
    private static final int SDES = 202;

    private final Random random;

    public HostilePackets(long seed) {
        this.random = new Random(seed);
    }

    public Random random() {
        return random;
    }

    /** A well-formed RTP packet. */
    public static byte[] rtp(boolean marker, int pt, int seq, long ts, long ssrc, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(12 + payload.length);
        b.put((byte) 0x80).put((byte) ((marker ? 0x80 : 0) | pt)).putShort((short) seq)
                .putInt((int) ts).putInt((int) ssrc).put(payload);
        return b.array();
    }

    /** A well-formed RTCP receiver report from {@code ssrc} with {@code blocks} report blocks. */
    public static byte[] receiverReport(long ssrc, int blocks) {
        ByteBuffer b = ByteBuffer.allocate(8 + 24 * blocks);
        b.put((byte) (0x80 | blocks)).put((byte) RR).putShort((short) (1 + 6 * blocks)).putInt((int) ssrc);
        for (int i = 0; i < blocks; i++) {
            b.putInt(0x5000 + i).putInt(0).putInt(1000).putInt(3).putInt(0).putInt(0);
        }
        return b.array();
    }

    /** A well-formed RTCP sender report with one block, then SDES CNAME. */
    public static byte[] senderReportAndCname(long ssrc) {
        ByteBuffer b = ByteBuffer.allocate(52 + 16);
        b.put((byte) 0x81).put((byte) SR).putShort((short) 12).putInt((int) ssrc)
                .putLong(0xE000_0000_0000_0000L).putInt(160).putInt(10).putInt(1600);
        b.putInt(0x5000).putInt(0).putInt(1000).putInt(3).putInt(0).putInt(0);
        b.put((byte) 0x81).put((byte) SDES).putShort((short) 3).putInt((int) ssrc)
                .put((byte) 1).put((byte) 4).put("ab12".getBytes()).put((byte) 0).put((byte) 0);
        return b.array();
    }

    /** One mutated RTP packet; {@code acceptedPts} are the types the receiver keeps. */
    public Hostile nextRtp(Set<Integer> acceptedPts) {
        int pt = pick(acceptedPts);
        int payloadLength = 1 + random.nextInt(200);
        byte[] good = rtp(random.nextBoolean(), pt, random.nextInt(0x10000), random.nextInt(), random.nextInt(),
                bytes(payloadLength));
        switch (random.nextInt(9)) {
            case 0:
                return new Hostile("truncated header", Arrays.copyOf(good, random.nextInt(12)), DropReason.TRUNCATED);
            case 1: {
                good[0] = (byte) ((good[0] & 0x3F) | (new int[] {0, 1, 3}[random.nextInt(3)] << 6));
                return new Hostile("bad version", good, DropReason.BAD_VERSION);
            }
            case 2: {
                int csrcs = 1 + random.nextInt(15);
                good[0] = (byte) (0x80 | csrcs);
                int listEnd = 12 + 4 * csrcs;
                if (listEnd <= good.length) {
                    good = Arrays.copyOf(good, listEnd - 1 - random.nextInt(3));
                }
                return new Hostile("CSRC list past the end", good, DropReason.TRUNCATED);
            }
            case 3: {
                good[0] = (byte) 0x90;
                byte[] header = Arrays.copyOf(good, 12 + random.nextInt(4)); // no room for the extension header
                if (random.nextBoolean() || payloadLength < 4) {
                    return new Hostile("extension header past the end", header, DropReason.BAD_EXTENSION);
                }
                int words = (payloadLength - 4) / 4 + 1 + random.nextInt(1000);
                good[14] = (byte) (words >> 8);
                good[15] = (byte) words;
                return new Hostile("extension length past the end", good, DropReason.BAD_EXTENSION);
            }
            case 4: {
                good[0] = (byte) (good[0] | 0x20);
                // zero, or more than the payload holds (a payload of at most 200 bytes)
                int pad = random.nextBoolean() ? 0 : payloadLength + 1 + random.nextInt(255 - payloadLength);
                good[good.length - 1] = (byte) pad;
                return new Hostile("padding that lies", good, DropReason.BAD_PADDING);
            }
            case 5:
                return new Hostile("header only", Arrays.copyOf(good, 12), DropReason.NO_PAYLOAD);
            case 6:
                return new Hostile("oversized", rtp(false, pt, 1, 1, 1, bytes(RtpPacket.MAX_PAYLOAD + 1
                        + random.nextInt(1000))), DropReason.OVERSIZED);
            case 7: {
                int unknown;
                do {
                    unknown = random.nextInt(128);
                } while (acceptedPts.contains(unknown));
                good[1] = (byte) unknown; // no marker: the second byte stays below the muxed RTCP range
                return new Hostile("unknown payload type", good, DropReason.UNKNOWN_PAYLOAD_TYPE);
            }
            default:
                return new Hostile("random bytes", bytes(random.nextInt(300)), null);
        }
    }

    /** One mutated RTCP compound. */
    public Hostile nextRtcp() {
        long ssrc = random.nextInt() & 0xFFFF_FFFFL;
        byte[] good = random.nextBoolean() ? receiverReport(ssrc, random.nextInt(3)) : senderReportAndCname(ssrc);
        switch (random.nextInt(8)) {
            case 0:
                return new Hostile("truncated", Arrays.copyOf(good, 2 + random.nextInt(6)), DropReason.TRUNCATED);
            case 1:
                good[1] = (byte) (random.nextBoolean() ? SDES : 203 + random.nextInt(2));
                return new Hostile("not a report first", good, DropReason.NOT_A_REPORT);
            case 2:
                good[0] = (byte) ((good[0] & 0x3F) | (new int[] {0, 1, 3}[random.nextInt(3)] << 6));
                return new Hostile("bad version", good, DropReason.BAD_VERSION);
            case 3: {
                int words = good.length / 4 + random.nextInt(0x10000 - good.length / 4);
                good[2] = (byte) (words >> 8);
                good[3] = (byte) words;
                return new Hostile("length past the end", good, DropReason.LENGTH_OVERRUN);
            }
            case 4: {
                byte[] rr = receiverReport(ssrc, 1 + random.nextInt(2));
                rr[3] = 1; // the blocks no longer fit in the length the packet claims
                return new Hostile("length too short for its blocks", rr, DropReason.NOT_A_REPORT);
            }
            case 5: {
                byte[] rr = receiverReport(ssrc, random.nextInt(2));
                rr[0] = (byte) (0x80 | (2 + random.nextInt(30)));
                return new Hostile("more blocks than it holds", rr, DropReason.NOT_A_REPORT);
            }
            case 6:
                return new Hostile("trailing bytes", Arrays.copyOf(good, good.length + 1 + random.nextInt(3)),
                        DropReason.TRUNCATED);
            default:
                return new Hostile("random bytes", bytes(random.nextInt(300)), null);
        }
    }

    /** {@code n} random bytes. */
    public byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private int pick(Set<Integer> values) {
        return values.stream().skip(random.nextInt(values.size())).findFirst().orElseThrow();
    }
}
