package dev.ringback.sip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** SDES (RFC 4568) in our SDP: RTP/SAVP offers and answers with AES_CM_128_HMAC_SHA1_80 crypto lines. */
class SrtpDescriptionsTest {
    private static final SessionDescriptions.Choice ANSWER = SessionDescriptions.Choice.FIRST_LISTED_BY_REMOTE;
    private static final Pattern CRYPTO = Pattern.compile("a=crypto:(\\d+) AES_CM_128_HMAC_SHA1_80 inline:([A-Za-z0-9+/=]+)\r\n");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String THEIR_INLINE = Base64.getEncoder().encodeToString(bytes(30, 7));

    private static byte[] bytes(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) b[i] = (byte) (seed + i);
        return b;
    }

    private static byte[] sdp(String media) {
        return ("v=0\r\no=x 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n" + media).getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void srtpOfferIsSavpWithOurKeyAsTagOne() {
        SdesKey ours = SdesKey.random(RANDOM);
        String offer = SessionDescriptions.offer(new MediaOffer("127.0.0.1", 20000), 42, 42, Optional.of(ours));
        assertTrue(offer.contains("m=audio 20000 RTP/SAVP 0 8 101\r\n"), offer);
        Matcher crypto = CRYPTO.matcher(offer);
        assertTrue(crypto.find(), offer);
        assertEquals("1", crypto.group(1));
        assertEquals(ours.inline(), crypto.group(2));
        byte[] keySalt = Base64.getDecoder().decode(crypto.group(2));
        assertEquals(30, keySalt.length);
        assertArrayEquals(ours.key(), java.util.Arrays.copyOf(keySalt, 16));
        assertArrayEquals(ours.salt(), java.util.Arrays.copyOfRange(keySalt, 16, 30));
    }

    @Test
    void answerWithOurTagGivesBothKeys() throws Exception {
        SdesKey ours = SdesKey.random(RANDOM);
        MediaAnswer answer = SessionDescriptions.negotiate(sdp("m=audio 4000 RTP/SAVP 0 101\r\n"
                + "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + THEIR_INLINE + "|2^31\r\na=rtpmap:101 telephone-event/8000\r\n"), ANSWER, Optional.of(ours));
        assertEquals(new MediaAnswer("10.0.0.1", 4000, 0, "PCMU", 8000, OptionalInt.of(101)), answer.withSrtp(Optional.empty()));
        SdesKeys keys = answer.srtp().orElseThrow();
        assertEquals(ours, keys.send());
        assertEquals(THEIR_INLINE, keys.receive().inline());
        assertArrayEquals(bytes(16, 7), keys.receive().key());
        assertArrayEquals(java.util.Arrays.copyOfRange(bytes(30, 7), 16, 30), keys.receive().salt());
        assertEquals(1, keys.tag());
    }

    @Test
    void answerWithoutAcceptableCryptoIsAnSrtpFailure() {
        Optional<SdesKey> ours = Optional.of(SdesKey.random(RANDOM));
        for (String media : new String[] {
                "m=audio 4000 RTP/AVP 0\r\n",                                                                  // plain RTP
                "m=audio 4000 RTP/SAVP 0\r\n",                                                                 // no crypto line
                "m=audio 4000 RTP/SAVP 0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_32 inline:" + THEIR_INLINE + "\r\n", // other suite
                "m=audio 4000 RTP/SAVP 0\r\na=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:" + THEIR_INLINE + "\r\n", // tag we did not offer
                "m=audio 4000 RTP/SAVP 0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:AAAA\r\n",               // short key
                "m=audio 4000 RTP/SAVP 0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + THEIR_INLINE + "|2^20|1:4\r\n", // MKI
                "m=audio 4000 RTP/SAVP 0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + THEIR_INLINE + " UNENCRYPTED_SRTP\r\n"}) {
            SdpNegotiationException e = assertThrows(SdpNegotiationException.class, () -> SessionDescriptions.negotiate(sdp(media), ANSWER, ours), media);
            assertEquals(CallOutcome.SRTP_NEGOTIATION_FAILED, e.outcome(), media);
        }
    }

    @Test
    void savpAnswerToAPlainOfferIsRefused() {
        SdpNegotiationException e = assertThrows(SdpNegotiationException.class, () -> SessionDescriptions.negotiate(
                sdp("m=audio 4000 RTP/SAVP 0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + THEIR_INLINE + "\r\n"), ANSWER, Optional.empty()));
        assertEquals(CallOutcome.SRTP_NEGOTIATION_FAILED, e.outcome());
    }

    @Test
    void incomingSrtpOfferIsAnsweredWithItsTagAndAFreshKey() throws Exception {
        byte[] offer = sdp("m=audio 4000 RTP/SAVP 8 0\r\n"
                + "a=crypto:3 AES_CM_256_HMAC_SHA1_80 inline:" + Base64.getEncoder().encodeToString(bytes(46, 1)) + "\r\n"
                + "a=crypto:5 AES_CM_128_HMAC_SHA1_80 inline:" + THEIR_INLINE + "\r\n");
        for (SrtpMode mode : SrtpMode.values()) {
            MediaAnswer offered = SessionDescriptions.negotiateOffer(offer, mode);
            SdesKeys keys = offered.srtp().orElseThrow();
            assertEquals(5, keys.tag());
            assertEquals(THEIR_INLINE, keys.receive().inline());
            String answer = SessionDescriptions.answer(new MediaOffer("127.0.0.1", 22000), offered, 7);
            assertTrue(answer.contains("m=audio 22000 RTP/SAVP 0\r\n"), answer);
            assertTrue(answer.contains("a=crypto:5 AES_CM_128_HMAC_SHA1_80 inline:" + keys.send().inline() + "\r\n"), answer);
        }
    }

    @Test
    void plainOfferIsRefusedOnlyWhenSrtpIsRequired() throws Exception {
        byte[] plain = sdp("m=audio 4000 RTP/AVP 0\r\n");
        assertTrue(SessionDescriptions.negotiateOffer(plain, SrtpMode.OFF).srtp().isEmpty());
        assertEquals(CallOutcome.SRTP_NEGOTIATION_FAILED,
                assertThrows(SdpNegotiationException.class, () -> SessionDescriptions.negotiateOffer(plain, SrtpMode.REQUIRED)).outcome());
    }

    @Test
    void audioLineWithoutFormatsIsATypedErrorNotACrash() {
        // found by SipFuzzTest (seed 13690439255271): javax.sdp returns null formats for a bare m= line
        assertThrows(SdpNegotiationException.class, () -> SessionDescriptions.negotiateOffer(sdp("m=audio 4000 RTP/AVP\r\n"), SrtpMode.OFF));
        assertThrows(SdpNegotiationException.class, () -> SessionDescriptions.negotiate(sdp("m=audio 4000 RTP/SAVP\r\n"), ANSWER, Optional.empty()));
    }

    @Test
    void keysNeverShowInToStringAndCompareByValue() {
        SdesKey key = SdesKey.fromInline(SdesKey.AES_CM_128_HMAC_SHA1_80, THEIR_INLINE);
        assertFalse(key.toString().contains(THEIR_INLINE.substring(0, 8)), key.toString());
        assertEquals(key, SdesKey.fromInline(SdesKey.AES_CM_128_HMAC_SHA1_80, THEIR_INLINE));
        assertEquals(key.hashCode(), SdesKey.fromInline(SdesKey.AES_CM_128_HMAC_SHA1_80, THEIR_INLINE).hashCode());
        byte[] leaked = key.key();
        leaked[0] ^= 1;
        assertEquals(THEIR_INLINE, key.inline(), "the record hands out copies");
        assertThrows(IllegalArgumentException.class, () -> new SdesKey("AES_CM_128_HMAC_SHA1_32", new byte[16], new byte[14]));
        assertThrows(IllegalArgumentException.class, () -> new SdesKey(SdesKey.AES_CM_128_HMAC_SHA1_80, new byte[15], new byte[14]));
    }
}
