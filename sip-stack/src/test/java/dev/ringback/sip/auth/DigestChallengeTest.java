package dev.ringback.sip.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import javax.sip.SipFactory;
import javax.sip.header.WWWAuthenticateHeader;
import org.junit.jupiter.api.Test;

class DigestChallengeTest {

    @Test
    void qopAuthMatchesTheRfc2617Example() {
        DigestChallenge challenge = new DigestChallenge("testrealm@host.com", "dcd98b7102dd2f0e8b11d0f600bfb0c093",
                Optional.of("5ccc069c403ebaf9f0171e9517f40e41"), Optional.empty(), true, false);
        DigestChallenge.Answer answer = challenge.answer(new Credentials("Mufasa", "Circle Of Life"), "GET", "/dir/index.html", "0a4f113b", 1);
        assertEquals("6629fae49393a05397450978507c4ef1", answer.response());
    }

    @Test
    void withoutQopTheResponseIsHa1NonceHa2() {
        DigestChallenge challenge = new DigestChallenge("trunk.test", "abc123", Optional.empty(), Optional.of("MD5"), false, false);
        DigestChallenge.Answer answer = challenge.answer(new Credentials("agent", "s3cret"), "INVITE", "sip:+61412000111@127.0.0.1:5070");
        // computed independently: md5(md5("agent:trunk.test:s3cret") + ":abc123:" + md5("INVITE:sip:+61412000111@127.0.0.1:5070"))
        assertEquals("b778be47cea0bba046c1735df9ff9ab4", answer.response());
    }

    @Test
    void readsAChallengeHeader() throws Exception {
        WWWAuthenticateHeader header = SipFactory.getInstance().createHeaderFactory().createProxyAuthenticateHeader("Digest");
        header.setRealm("trunk.test");
        header.setNonce("n1");
        header.setQop("auth,auth-int");
        header.setParameter("stale", "TRUE");
        DigestChallenge challenge = DigestChallenge.of(header);
        assertEquals("trunk.test", challenge.realm());
        assertTrue(challenge.qopAuth());
        assertTrue(challenge.stale());
    }

    @Test
    void refusesAlgorithmsItCannotAnswer() throws Exception {
        WWWAuthenticateHeader header = SipFactory.getInstance().createHeaderFactory().createWWWAuthenticateHeader("Digest");
        header.setRealm("trunk.test");
        header.setNonce("n1");
        header.setAlgorithm("SHA-256");
        assertThrows(DigestChallenge.UnsupportedChallengeException.class, () -> DigestChallenge.of(header));
    }

    @Test
    void credentialsNeverPrintThePassword() {
        String text = new Credentials("agent", "s3cret").toString();
        assertTrue(text.contains("agent") && !text.contains("s3cret"), text);
    }
}
