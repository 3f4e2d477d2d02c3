package dev.ringback.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class SessionDescriptionsTest {
    private static final SessionDescriptions.Choice ANSWER = SessionDescriptions.Choice.FIRST_LISTED_BY_REMOTE;
    private static final SessionDescriptions.Choice OFFER = SessionDescriptions.Choice.PREFER_PCMU;

    private static byte[] sdp(String media) {
        return ("v=0\r\no=x 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n" + media).getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void ourOfferIsG711WithTelephoneEvent() throws Exception {
        String offer = SessionDescriptions.offer(new MediaOffer("127.0.0.1", 20000), 42);
        assertTrue(offer.contains("m=audio 20000 RTP/AVP 0 8 101\r\n"), offer);
        assertTrue(offer.contains("a=ptime:20"), offer);
        assertTrue(offer.contains("a=rtcp-mux\r\n"), "RTCP-mux offered (RFC 5761): " + offer);
        MediaAnswer parsed = SessionDescriptions.negotiate(offer.getBytes(StandardCharsets.US_ASCII), OFFER);
        assertEquals(new MediaAnswer("127.0.0.1", 20000, 0, "PCMU", 8000, OptionalInt.of(101)).withRtcpMux(true), parsed);
    }

    @Test
    void rtcpMuxIsTakenWhenTheRemoteCarriesItAndAnsweredOnlyWhenOffered() throws Exception {
        MediaAnswer muxed = SessionDescriptions.negotiate(sdp("m=audio 4000 RTP/AVP 0\r\na=rtcp-mux\r\n"), ANSWER);
        MediaAnswer separate = SessionDescriptions.negotiate(sdp("m=audio 4000 RTP/AVP 0\r\na=rtcp:4001\r\n"), ANSWER);
        assertTrue(muxed.rtcpMux());
        assertFalse(separate.rtcpMux());

        MediaOffer ours = new MediaOffer("127.0.0.1", 22000);
        assertTrue(SessionDescriptions.answer(ours, muxed, 7).contains("a=rtcp-mux\r\n"));
        assertFalse(SessionDescriptions.answer(ours, separate, 7).contains("rtcp-mux"),
                "an answer must not add rtcp-mux the offer lacked");
    }

    @Test
    void inAnAnswerTheRemoteOrderWins() throws Exception {
        MediaAnswer chosen = SessionDescriptions.negotiate(sdp("m=audio 4000 RTP/AVP 8 0 101\r\na=rtpmap:101 telephone-event/8000\r\n"), ANSWER);
        assertEquals(new MediaAnswer("10.0.0.1", 4000, 8, "PCMA", 8000, OptionalInt.of(101)), chosen);
    }

    @Test
    void inAnOfferPcmuIsPreferred() throws Exception {
        MediaAnswer chosen = SessionDescriptions.negotiate(sdp("m=audio 4000 RTP/AVP 18 8 0\r\n"), OFFER);
        assertEquals("PCMU", chosen.encoding());
        assertEquals(OptionalInt.empty(), chosen.telephoneEventPayloadType());
    }

    @Test
    void dynamicPayloadTypesAreReadFromRtpmapAndMediaConnectionWins() throws Exception {
        MediaAnswer chosen = SessionDescriptions.negotiate(sdp("m=audio 4000 RTP/AVP 96 97\r\nc=IN IP4 10.9.9.9\r\n"
                + "a=rtpmap:96 PCMA/8000\r\na=rtpmap:97 telephone-event/8000\r\n"), ANSWER);
        assertEquals(new MediaAnswer("10.9.9.9", 4000, 96, "PCMA", 8000, OptionalInt.of(97)), chosen);
    }

    @Test
    void noCommonCodecOrRejectedStreamIsNoCommonCodec() {
        SdpNegotiationException g729 = assertThrows(SdpNegotiationException.class,
                () -> SessionDescriptions.negotiate(sdp("m=audio 4000 RTP/AVP 18\r\na=rtpmap:18 G729/8000\r\n"), ANSWER));
        assertTrue(g729.noCommonCodec());
        SdpNegotiationException rejected = assertThrows(SdpNegotiationException.class,
                () -> SessionDescriptions.negotiate(sdp("m=audio 0 RTP/AVP 0\r\n"), ANSWER));
        assertTrue(rejected.noCommonCodec());
        SdpNegotiationException wideband = assertThrows(SdpNegotiationException.class,
                () -> SessionDescriptions.negotiate(sdp("m=audio 4000 RTP/AVP 96\r\na=rtpmap:96 PCMU/16000\r\n"), ANSWER));
        assertTrue(wideband.noCommonCodec());
    }

    @Test
    void missingOrBrokenSdpIsNotACodecProblem() {
        assertFalse(assertThrows(SdpNegotiationException.class, () -> SessionDescriptions.negotiate(new byte[0], ANSWER)).noCommonCodec());
        assertFalse(assertThrows(SdpNegotiationException.class,
                () -> SessionDescriptions.negotiate("v=0\r\nm=audio banana RTP/AVP 0\r\n".getBytes(StandardCharsets.US_ASCII), ANSWER)).noCommonCodec());
    }

    @Test
    void ourAnswerEchoesTheCallersTelephoneEventType() throws Exception {
        MediaAnswer offered = new MediaAnswer("10.0.0.1", 4000, 8, "PCMA", 8000, OptionalInt.of(96));
        String answer = SessionDescriptions.answer(new MediaOffer("127.0.0.1", 22000), offered, 7);
        assertTrue(answer.contains("m=audio 22000 RTP/AVP 8 96\r\n"), answer);
        assertEquals(new MediaAnswer("127.0.0.1", 22000, 8, "PCMA", 8000, OptionalInt.of(96)),
                SessionDescriptions.negotiate(answer.getBytes(StandardCharsets.US_ASCII), ANSWER));
    }
}
