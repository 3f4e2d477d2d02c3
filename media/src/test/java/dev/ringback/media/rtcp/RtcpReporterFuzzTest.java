package dev.ringback.media.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringback.media.rtp.HostilePackets;
import dev.ringback.media.rtp.ReceptionStats;
import dev.ringback.media.stage.DropReason;
import dev.ringback.media.stage.PacketOut;
import dev.ringback.media.stage.StageCounters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Seeded hostile RTCP into the reporter (lengths that overrun or fall short, wrong versions, compounds that do not
 * start with a report, report counts that do not fit, trailing bytes, garbage): each is dropped for its reason, good
 * reports in between count, and the reporter's own reports still parse.
 */
class RtcpReporterFuzzTest {
    private static final long SEED = 0x5EED_0005L;

    @Test
    void everyMalformedCompoundIsDroppedForItsReasonAndReportsGoOn() throws Exception {
        RtcpReporter reporter = new RtcpReporter(0x1234, new ReceptionStats(), 1, "fuzz");
        StageCounters c = reporter.receivingCounters();
        HostilePackets hostile = new HostilePackets(SEED);
        Set<DropReason> seen = EnumSet.noneOf(DropReason.class);
        long good = 0;
        long passed = 0;
        for (int i = 0; i < 20_000; i++) {
            HostilePackets.Hostile h = hostile.nextRtcp();
            long droppedBefore = c.dropped();
            long expectedBefore = h.expected() == null ? 0 : c.dropped(h.expected());
            boolean accepted = reporter.receive(Unpooled.wrappedBuffer(h.bytes()), System.nanoTime());
            if (accepted) {
                assertEquals(null, h.expected(), () -> h.kind() + " accepted");
                passed++;
            } else {
                assertEquals(droppedBefore + 1, c.dropped(), () -> h.kind() + " dropped once");
                if (h.expected() != null) {
                    assertEquals(expectedBefore + 1, c.dropped(h.expected()), () -> h.kind() + " as " + h.expected());
                    seen.add(h.expected());
                }
            }
            if (i % 50 == 0) {
                byte[] report = hostile.random().nextBoolean() ? HostilePackets.senderReportAndCname(9)
                        : HostilePackets.receiverReport(9, hostile.random().nextInt(3));
                assertTrue(reporter.receive(Unpooled.wrappedBuffer(report), System.nanoTime()), "a good report");
                good++;
            }
        }

        assertEquals(c.in(), c.out() + c.dropped(), c.toString());
        assertEquals(good + passed, reporter.reportsReceived());
        assertEquals(EnumSet.of(DropReason.TRUNCATED, DropReason.NOT_A_REPORT, DropReason.BAD_VERSION,
                DropReason.LENGTH_OVERRUN), seen);

        // our own reports, with BYE, still come out whole
        ByteBuf[] sent = new ByteBuf[1];
        reporter.send(new PacketOut() {
            @Override
            public ByteBuf buffer(int capacity) {
                return Unpooled.buffer(capacity);
            }

            @Override
            public boolean send(ByteBuf packet) {
                sent[0] = packet;
                return true;
            }
        }, 10, 1600, 160, true);
        Rtcp.Compound own = Rtcp.parse(sent[0]);
        assertEquals(0x1234, own.senderSsrc());
        assertTrue(own.bye());
        assertEquals(1, reporter.reportsSent());
    }
}
