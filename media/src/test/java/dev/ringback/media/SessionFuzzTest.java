package dev.ringback.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringback.media.rtp.HostilePackets;
import dev.ringback.media.rtp.RtpDecoder;
import dev.ringback.media.rtp.RtpPacket;
import dev.ringback.media.srtp.SrtpBuffer;
import dev.ringback.media.srtp.SrtpTransform;
import dev.ringback.media.stage.DropReason;
import dev.ringback.media.stage.StageStats;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A whole session under seeded hostile traffic on both its ports, through its real Netty handlers (on embedded
 * channels, so that every datagram is handled before the next is sent and the pacing clock runs on the test thread):
 * RTP and RTCP mutated as in {@link HostilePackets}, the peer's packets from elsewhere, and on a keyed session tampered,
 * replayed and unencrypted ones. Each datagram is dropped exactly once, by the stage and for the reason its mutation
 * calls for, or accepted; the path's counters add up from stage to stage (a stage an exception escaped from would
 * have taken a packet in and neither passed nor dropped it); and afterwards the session still hears the peer's tone
 * and still sends a valid stream.
 */
class SessionFuzzTest {
    private static final long SEED = 0x5EED_0007L;
    private static final int DATAGRAMS = 3000;
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 20_000);
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 30_000);
    private static final InetSocketAddress PEER_RTCP = new InetSocketAddress("127.0.0.1", 30_001);
    private static final InetSocketAddress STRANGER = new InetSocketAddress("127.0.0.1", 31_000);
    private static final long PEER_SSRC = 0x7777;
    private static final long HOSTILE_SSRC = 0x8888;
    private static final Set<Integer> ACCEPTED_PTS = Set.of(0, 101, RtpDecoder.COMFORT_NOISE_PT);

    /** The session, its two channels (one when muxed) and the peer's SRTP, if keyed. */
    private static final class Call {
        final RtpSession session;
        final EmbeddedChannel rtp;
        final EmbeddedChannel rtcp;
        final SrtpTransform peer;
        /**
         * The peer's key under another SSRC, for the hostile packets: SRTP will not protect a packet whose index it
         * has used, so hostile sequence numbers through {@link #peer} would stop its good packets.
         */
        final SrtpTransform hostilePeer;
        final List<short[]> heard = new CopyOnWriteArrayList<>();
        int peerSequence = 100;

        Call(boolean mux, boolean srtp) throws GeneralSecurityException {
            session = new RtpSession(LOCAL.getPort(), "fuzz", new PacingClock(), Runnable::run, 5000, mux, () -> { });
            rtp = new EmbeddedChannel(session.receiver());
            rtcp = mux ? rtp : new EmbeddedChannel(session.rtcpReceiver());
            session.attach(rtp, mux ? null : rtcp);
            session.onAudio((pcm, at) -> heard.add(pcm));
            Optional<SrtpKeys> keys = Optional.empty();
            SrtpTransform peerSrtp = null;
            SrtpTransform hostileSrtp = null;
            if (srtp) {
                SecureRandom random = new SecureRandom();
                SrtpKeys ours = new SrtpKeys(SrtpKeys.newInlineKey(random), SrtpKeys.newInlineKey(random));
                keys = Optional.of(ours);
                peerSrtp = new SrtpTransform(ours.receiveKeySalt(), ours.sendKeySalt(), PEER_SSRC);
                hostileSrtp = new SrtpTransform(ours.receiveKeySalt(), ours.sendKeySalt(), HOSTILE_SSRC);
            }
            peer = peerSrtp;
            hostilePeer = hostileSrtp;
            session.start(PEER, Codec.PCMU, 101, keys);
        }

        /** The peer's next packet as it sends it. */
        byte[] protectRtp(byte[] plain) {
            return peer == null ? plain : protect(peer, plain, false);
        }

        /**
         * A hostile packet in valid SRTP, when keyed (under one SSRC); null when SRTP will not protect something that
         * malformed.
         */
        byte[] protectHostile(byte[] plain, boolean rtcp) {
            if (peer == null) {
                return plain;
            }
            int ssrcAt = rtcp ? 4 : 8;
            if (plain.length >= ssrcAt + 4) {
                plain[ssrcAt] = 0;
                plain[ssrcAt + 1] = 0;
                plain[ssrcAt + 2] = (byte) (HOSTILE_SSRC >> 8);
                plain[ssrcAt + 3] = (byte) HOSTILE_SSRC;
            }
            return protect(hostilePeer, plain, rtcp);
        }

        private static byte[] protect(SrtpTransform srtp, byte[] plain, boolean rtcp) {
            try {
                ByteBuf b = Unpooled.wrappedBuffer(plain);
                ByteBuf wire = rtcp ? srtp.protectRtcp(b) : srtp.protectRtp(b);
                return wire == null ? null : bytes(wire);
            } catch (GeneralSecurityException | RuntimeException e) {
                return null;
            }
        }

        byte[] goodAudio(short[] pcm) {
            int seq = peerSequence++;
            return protectRtp(HostilePackets.rtp(seq == 100, 0, seq, 160L * seq, PEER_SSRC, G711.ulawEncode(pcm)));
        }

        void toRtp(byte[] datagram, InetSocketAddress from) {
            rtp.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(datagram), LOCAL, from));
        }

        void toRtcp(byte[] datagram, InetSocketAddress from) {
            rtcp.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(datagram), LOCAL, from));
        }

        Map<String, StageStats> stages() {
            Map<String, StageStats> byName = new HashMap<>();
            for (StageStats s : session.stats().stages()) {
                byName.put(s.stage(), s);
            }
            return byName;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "plain-mux", "srtp"})
    void hostileTrafficIsDroppedByStageAndReasonAndTheCallGoesOn(String variant) throws Exception {
        HostilePackets hostile = new HostilePackets(SEED);
        Call call = new Call(variant.endsWith("mux"), variant.equals("srtp"));
        boolean mux = variant.endsWith("mux");
        boolean srtp = call.peer != null;
        call.toRtp(call.goodAudio(TestAudio.tone(400, 0.02, 8000)), PEER); // latches onto the peer
        List<byte[]> deliveredSrtp = new ArrayList<>();

        for (int i = 0; i < DATAGRAMS; i++) {
            int what = hostile.random().nextInt(10);
            byte[] datagram;
            String stage;
            DropReason expected;
            boolean rtcp = false;
            InetSocketAddress from = PEER;
            if (what < 4) {
                HostilePackets.Hostile h = hostile.nextRtp(ACCEPTED_PTS);
                datagram = call.protectHostile(h.bytes(), false);
                if (datagram == null) {
                    continue;
                }
                stage = "rtp-decode";
                expected = h.expected();
                if (mux && h.expected() == null && isMuxedRtcp(datagram)) {
                    continue; // random bytes that look like RTCP: the RTCP half covers those
                }
            } else if (what < 7) {
                HostilePackets.Hostile h = hostile.nextRtcp();
                datagram = call.protectHostile(h.bytes(), true);
                if (datagram == null || (mux && !isMuxedRtcp(datagram))) {
                    continue; // refused by the peer's SRTCP, or too short to be told apart from RTP on a muxed port
                }
                rtcp = true;
                from = mux ? PEER : PEER_RTCP;
                stage = "rtcp-receiver";
                expected = h.expected();
            } else if (what < 8) { // the peer's own next packet, but from another address
                datagram = call.goodAudio(new short[160]);
                from = STRANGER;
                stage = "rtp-latch";
                expected = DropReason.STRANGER;
            } else if (srtp && what < 9 && !deliveredSrtp.isEmpty()) {
                datagram = deliveredSrtp.get(hostile.random().nextInt(deliveredSrtp.size()));
                stage = "srtp-unprotect";
                expected = DropReason.REPLAYED;
            } else if (srtp) { // tampered with, or not encrypted at all
                datagram = call.goodAudio(new short[160]);
                if (hostile.random().nextBoolean()) {
                    datagram[12 + hostile.random().nextInt(datagram.length - 12)] ^= 1;
                } else {
                    datagram = HostilePackets.rtp(false, 0, call.peerSequence++, 0, PEER_SSRC, new byte[160]);
                }
                stage = "srtp-unprotect";
                expected = DropReason.AUTH_FAILED;
            } else {
                datagram = call.goodAudio(new short[160]);
                stage = null;
                expected = null;
            }

            Map<String, StageStats> before = call.stages();
            if (rtcp) {
                call.toRtcp(datagram, from);
            } else {
                call.toRtp(datagram, from);
            }
            Map<String, StageStats> after = call.stages();
            long drops = totalDrops(after) - totalDrops(before);
            long accepted = rtcp ? after.get("rtcp-receiver").out() - before.get("rtcp-receiver").out()
                    : after.get("rtp-latch").out() - before.get("rtp-latch").out();
            assertEquals(1, drops + accepted, "datagram " + i + " (" + stage + ", " + expected + ") dropped once or taken");
            boolean droppedBySrtp = srtp && drops == 1 && stage.startsWith("rtp")
                    && after.get("srtp-unprotect").dropped() > before.get("srtp-unprotect").dropped();
            if (droppedBySrtp) {
                // a header too broken for the peer's SRTP to find its payload is one for ours too
                assertEquals("rtp-decode", stage, "datagram " + i + " dropped by SRTP, not by " + stage);
            } else if (expected != null) {
                assertEquals(before.get(stage).dropped(expected) + 1, after.get(stage).dropped(expected),
                        "datagram " + i + " dropped by " + stage + " as " + expected + ": " + after.get(stage));
            } else if (stage == null && srtp) {
                deliveredSrtp.add(datagram);
            }
        }

        // the path adds up, stage by stage
        Map<String, StageStats> s = call.stages();
        StageStats rtpIn = s.get("rtp-in");
        StageStats decode = s.get("rtp-decode");
        StageStats afterSrtp = srtp ? s.get("srtp-unprotect") : rtpIn;
        if (srtp) {
            assertEquals(rtpIn.out(), afterSrtp.in());
            assertEquals(afterSrtp.in(), afterSrtp.out() + afterSrtp.dropped());
        }
        assertEquals(afterSrtp.out(), decode.in());
        assertEquals(decode.in(), decode.out() + decode.dropped());
        assertEquals(decode.out(), s.get("rtp-latch").in());
        assertEquals(s.get("rtp-latch").out(), s.get("jitter-buffer").in());
        StageStats rtcpLatch = s.get("rtcp-latch");
        StageStats afterSrtcp = srtp ? s.get("srtcp-unprotect") : rtcpLatch;
        assertEquals(s.get("rtcp-in").out(), rtcpLatch.in());
        assertEquals(afterSrtcp.out(), s.get("rtcp-receiver").in());
        RtpStats stats = call.session.stats();
        assertEquals(rtpIn.dropped() + (srtp ? afterSrtp.dropped() : 0) + decode.dropped()
                + s.get("rtp-latch").dropped(), stats.packetsDropped(), "packetsDropped is the sum of the RTP drops");
        assertEquals(s.get("rtcp-in").dropped() + rtcpLatch.dropped() + (srtp ? afterSrtcp.dropped() : 0)
                + s.get("rtcp-receiver").dropped(), call.session.rtcpStats().reportsDropped());

        // and the call goes on: the peer's tone is heard, and what the session sends is a valid stream
        Thread.sleep(60); // the drops above took no time off the pacing clock: let a few ticks fall due
        call.heard.clear();
        for (int i = 0; i < 25; i++) {
            call.toRtp(call.goodAudio(TestAudio.tone(1000, 0.02, 8000)), PEER);
        }
        assertTrue(call.heard.size() >= 25, "heard " + call.heard.size() + " frames");
        assertEquals(1000, TestAudio.dominantFrequency(TestAudio.audibleConcatenation(call.heard, 1000)));
        for (int i = 0; i < 5; i++) {
            Thread.sleep(21);
            call.rtp.runPendingTasks(); // the pacing ticks that fell due
        }
        List<RtpPacket> sent = new ArrayList<>();
        DatagramPacket out;
        while ((out = call.rtp.readOutbound()) != null) {
            byte[] wire = bytes(out.content());
            if (isMuxedRtcp(wire)) {
                continue;
            }
            assertEquals(PEER, out.recipient(), "media goes to the latched peer");
            sent.add(RtpPacket.parse(Unpooled.wrappedBuffer(srtp ? unprotect(call.peer, wire) : wire)));
        }
        assertTrue(sent.size() >= 2, "the session kept sending: " + sent.size());
        for (int i = 1; i < sent.size(); i++) {
            assertEquals((sent.get(i - 1).sequence() + 1) & 0xFFFF, sent.get(i).sequence());
        }
        call.session.close();
    }

    private static long totalDrops(Map<String, StageStats> stages) {
        return stages.values().stream().mapToLong(StageStats::dropped).sum()
                - stages.get("sender").dropped(); // held ticks are not datagrams
    }

    private static boolean isMuxedRtcp(byte[] datagram) {
        return datagram.length >= 2 && (datagram[1] & 0xFF) >= 192 && (datagram[1] & 0xFF) <= 223;
    }

    private static byte[] unprotect(SrtpTransform peer, byte[] wire) {
        SrtpBuffer[] clear = new SrtpBuffer[1];
        assertEquals(SrtpTransform.Result.OK, peer.unprotectRtp(Unpooled.wrappedBuffer(wire), clear));
        assertNotNull(clear[0]);
        byte[] b = new byte[clear[0].getLength()];
        System.arraycopy(clear[0].getBuffer(), clear[0].getOffset(), b, 0, b.length);
        return b;
    }

    private static byte[] bytes(ByteBuf buf) {
        byte[] b = ByteBufUtil.getBytes(buf);
        buf.release();
        return b;
    }
}
