package dev.ringback.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DialPlanTest {
    private static final DialPlan AUSTRALIA = DialPlan.national("61", "0", "0011");

    @Test
    void e164PlanSendsTheNumberAsGiven() {
        assertEquals("+61412000111", DialPlan.E164.dialString("+61412000111"));
    }

    @Test
    void digitsOnlyDropsThePlus() {
        assertEquals("61412000111", DialPlan.digitsOnly().dialString("+61412000111"));
    }

    @ParameterizedTest(name = "tech prefix {0}: {1}")
    @CsvSource({"9, 961412000111", "0011, 001161412000111", "1#, 1#61412000111"})
    void techPrefixGoesInFront(String prefix, String expected) {
        assertEquals(expected, DialPlan.digitsOnly().withTechPrefix(prefix).dialString("+61412000111"));
    }

    @Test
    void techPrefixCanKeepThePlus() {
        assertEquals("9+61412000111", DialPlan.E164.withTechPrefix("9").dialString("+61412000111"));
    }

    @Test
    void homeCountryNumbersBecomeNationalOthersGetTheInternationalPrefix() {
        assertEquals("0412000111", AUSTRALIA.dialString("+61412000111"));
        assertEquals("0011442079460000", AUSTRALIA.dialString("+442079460000"));
        assertEquals("90412000111", AUSTRALIA.withTechPrefix("9").dialString("+61412000111"));
    }

    @Test
    void nanpHasNoTrunkPrefixAndWithoutInternationalPrefixThePlusRuleApplies() {
        DialPlan nanp = new DialPlan(true, "", Optional.of(new DialPlan.NationalFormat("1", "", "")));
        assertEquals("2125550100", nanp.dialString("+12125550100"));
        assertEquals("+442079460000", nanp.dialString("+442079460000"));
    }

    @ParameterizedTest(name = "not E.164 ''{0}'' passes unchanged")
    @CsvSource({"callee", "1234", "+", "+1"})
    void nonE164PassesUnchanged(String number) {
        assertEquals(number, AUSTRALIA.withTechPrefix("9").dialString(number));
    }

    @Test
    void badPrefixesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> DialPlan.E164.withTechPrefix("9a"));
        assertThrows(IllegalArgumentException.class, () -> DialPlan.E164.withTechPrefix("123456789"));
        assertThrows(IllegalArgumentException.class, () -> DialPlan.national("061", "0", "0011"));
        assertThrows(IllegalArgumentException.class, () -> DialPlan.national("61", "00x", "0011"));
        assertThrows(IllegalArgumentException.class, () -> DialPlan.national("61", "0", "+"));
    }

    @Test
    void aTrunkHostsOwnPlanWinsOverTheConfigDefault() {
        TrunkHost plain = new TrunkHost("10.0.0.2", 5060);
        TrunkHost national = new TrunkHost("10.0.0.3", 5060, Optional.of(AUSTRALIA));
        SipConfig config = TestAgents.towardsTrunk(5060)
                .alternateTrunks(List.of(plain, national)).dialPlan(DialPlan.digitsOnly()).build();
        assertEquals(DialPlan.digitsOnly(), config.dialPlanFor(config.trunks().get(0)));
        assertEquals(DialPlan.digitsOnly(), config.dialPlanFor(plain));
        assertEquals(AUSTRALIA, config.dialPlanFor(national));
    }

    @Test
    void assertedIdentityMustBeAUserOrAUri() {
        SipConfig config = TestAgents.config(5060);
        assertEquals(Optional.of("+61299990000"), config.toBuilder().assertedIdentity("+61299990000").build().assertedIdentity());
        assertEquals(Optional.of("tel:+61299990000"), config.toBuilder().assertedIdentity("tel:+61299990000").build().assertedIdentity());
        assertThrows(IllegalArgumentException.class, () -> config.toBuilder().assertedIdentity("<sip:x@y>").build());
        assertThrows(IllegalArgumentException.class, () -> config.toBuilder().assertedIdentity("a b").build());
        assertThrows(IllegalArgumentException.class, () -> config.toBuilder().maxRedirects(-1).build());
    }
}
