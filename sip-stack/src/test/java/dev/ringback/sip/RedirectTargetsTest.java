package dev.ringback.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.text.ParseException;
import java.util.List;
import javax.sip.SipFactory;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import org.junit.jupiter.api.Test;

class RedirectTargetsTest {
    private static final AddressFactory ADDRESSES = addresses();

    private static AddressFactory addresses() {
        try {
            SipFactory factory = SipFactory.getInstance();
            factory.setPathName("gov.nist");
            return factory.createAddressFactory();
        } catch (javax.sip.PeerUnavailableException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SipURI uri(String text) throws ParseException {
        return (SipURI) ADDRESSES.createURI(text);
    }

    private static RedirectTargets.Candidate contact(String text, float q) throws ParseException {
        return new RedirectTargets.Candidate(uri(text), q);
    }

    @Test
    void followsTheHighestQNotTriedYet() throws Exception {
        RedirectTargets targets = new RedirectTargets(uri("sip:+61412000111@trunk.test"), 3);
        RedirectTargets.Decision decision = targets.next(List.of(contact("sip:a@one.test", 0.5f), contact("sip:b@two.test:5070", 0.9f)));
        assertEquals("sip:b@two.test:5070", ((RedirectTargets.Follow) decision).target().toString());
    }

    @Test
    void aTargetAlreadyTriedIsALoopEvenWithOtherParametersOrTheDefaultPort() throws Exception {
        RedirectTargets targets = new RedirectTargets(uri("sip:+61412000111@Trunk.test"), 3);
        assertInstanceOf(RedirectTargets.Follow.class, targets.next(List.of(contact("sip:x@other.test", 1f))));
        assertInstanceOf(RedirectTargets.Loop.class, targets.next(List.of(contact("sip:+61412000111@trunk.test:5060;transport=udp", 1f))));
    }

    @Test
    void moreThanTheLimitIsTooMany() throws Exception {
        RedirectTargets targets = new RedirectTargets(uri("sip:u0@trunk.test"), 2);
        assertInstanceOf(RedirectTargets.Follow.class, targets.next(List.of(contact("sip:u1@trunk.test", 1f))));
        assertInstanceOf(RedirectTargets.Follow.class, targets.next(List.of(contact("sip:u2@trunk.test", 1f))));
        assertEquals(new RedirectTargets.TooMany(2), targets.next(List.of(contact("sip:u3@trunk.test", 1f))));
    }

    @Test
    void noContactIsNoTarget() throws Exception {
        assertInstanceOf(RedirectTargets.NoTarget.class, new RedirectTargets(uri("sip:u0@trunk.test"), 3).next(List.of()));
    }

    @Test
    void zeroRedirectsAllowedRefusesTheFirst() throws Exception {
        assertEquals(new RedirectTargets.TooMany(0), new RedirectTargets(uri("sip:u0@trunk.test"), 0).next(List.of(contact("sip:u1@trunk.test", 1f))));
    }
}
