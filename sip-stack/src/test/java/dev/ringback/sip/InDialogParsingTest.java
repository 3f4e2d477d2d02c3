package dev.ringback.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The small parsers behind hold detection, transfer progress and session timers. */
class InDialogParsingTest {
    private static byte[] sdp(String connection, String sessionLevel, String mediaLevel) {
        return ("v=0\r\no=x 1 2 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 " + connection + "\r\nt=0 0\r\n" + sessionLevel
                + "m=audio 4000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n" + mediaLevel).getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void mediaLevelDirectionWinsOverSessionLevel() throws Exception {
        assertEquals(MediaDirection.SENDONLY, SessionDescriptions.direction(sdp("192.0.2.1", "a=inactive\r\n", "a=sendonly\r\n")));
        assertEquals(MediaDirection.INACTIVE, SessionDescriptions.direction(sdp("192.0.2.1", "a=inactive\r\n", "")));
        assertEquals(MediaDirection.SENDRECV, SessionDescriptions.direction(sdp("192.0.2.1", "", "")));
    }

    @Test
    void rfc2543HoldWithNullAddressMeansTheWriterReceivesNothing() throws Exception {
        assertEquals(MediaDirection.SENDONLY, SessionDescriptions.direction(sdp("0.0.0.0", "", "")));
        assertEquals(MediaDirection.INACTIVE, SessionDescriptions.direction(sdp("0.0.0.0", "", "a=recvonly\r\n")));
    }

    @Test
    void answerMirrorsTheOfferedDirection() {
        assertEquals(MediaDirection.RECVONLY, MediaDirection.SENDONLY.mirrored());
        assertEquals(MediaDirection.SENDONLY, MediaDirection.RECVONLY.mirrored());
        assertEquals(MediaDirection.INACTIVE, MediaDirection.INACTIVE.mirrored());
        assertEquals(MediaDirection.SENDRECV, MediaDirection.SENDRECV.mirrored());
    }

    @Test
    void directionOfMissingSdpIsATypedError() {
        assertThrows(SdpNegotiationException.class, () -> SessionDescriptions.direction(new byte[0]));
    }

    @Test
    void sipfragStatusLine() {
        assertEquals(100, ReferTransfer.sipfragStatus("SIP/2.0 100 Trying\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(486, ReferTransfer.sipfragStatus("SIP/2.0 486 Busy Here".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(0, ReferTransfer.sipfragStatus("INVITE sip:x@y SIP/2.0".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(0, ReferTransfer.sipfragStatus("SIP/2.0 99999 Nope".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(0, ReferTransfer.sipfragStatus(null));
    }

    @Test
    void sessionExpiresValues() throws Exception {
        javax.sip.header.HeaderFactory headers = javax.sip.SipFactory.getInstance().createHeaderFactory();
        SessionExpires parsed = SessionExpires.of(headers.createHeader("Session-Expires", "1800;refresher=UAS"));
        assertEquals(new SessionExpires(1800, "uas"), parsed);
        assertEquals(new SessionExpires(90, null), SessionExpires.of(headers.createHeader("x", "90")));
        assertNull(SessionExpires.of(null));
    }
}
