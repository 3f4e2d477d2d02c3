package dev.ringback.agent;

import com.zaxxer.hikari.HikariDataSource;
import dev.ringback.agent.business.ArrivalWindow;
import dev.ringback.agent.business.BusinessProfile;
import dev.ringback.agent.business.CustomerJob;
import dev.ringback.agent.business.SmsMessage;
import dev.ringback.agent.dialog.DialogManager;
import dev.ringback.agent.store.BusinessStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Behaviours of one call that the scenario format cannot express. */
class DialogBehaviourTest {
    private static final String PHONE = "+61412000111";
    private HikariDataSource db;
    private BusinessStore store;
    private BusinessProfile business;

    @BeforeEach
    void setUp() {
        db = TestDatabase.fresh();
        store = new BusinessStore(db);
        business = ScenarioFiles.business();
        store.replaceOnCallRoster(business.onCall());
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private DialogManager call(String callId, String sms, LocalDateTime at, String name) {
        return new DialogManager(business, store, new CallbackContext(callId, PHONE, Optional.ofNullable(name),
                List.of(new SmsMessage(SmsMessage.Direction.INBOUND, at.minusMinutes(1), sms)), at.atZone(business.timezone())));
    }

    @Test
    void aThreadWithoutATopicGetsAnOpeningWithoutOne() {
        AgentTurn open = call("c1", "Can you call me?", LocalDateTime.of(2026, 12, 1, 9, 0), null).open();
        String text = open.text().toLowerCase();
        assertTrue(text.contains("ai assistant") && text.contains("recorded") && text.contains("text message"), text);
        assertFalse(text.contains("texted us"), text);
        assertEquals(4, open.sentences().size(), text);
        assertFalse(text.contains("number"), text);
    }

    @Test
    void aBargeInBeforeTheDisclosuresMakesTheAgentRepeatThem() {
        DialogManager dialog = call("c2", "Dripping tap, call me", LocalDateTime.of(2026, 12, 1, 9, 0), "Dana");
        AgentTurn open = dialog.open();
        dialog.onInterrupted(open.sentences().get(0), 0.4);
        AgentTurn next = dialog.onCustomerTurn("can someone come thursday morning");
        assertTrue(next.sentences().get(0).contains("AI assistant") && next.sentences().get(0).contains("recorded"), next.text());
    }

    @Test
    void aBargeInAfterTheDisclosuresDoesNotRepeatThem() {
        DialogManager dialog = call("c3", "Dripping tap, call me", LocalDateTime.of(2026, 12, 1, 9, 0), "Dana");
        AgentTurn open = dialog.open();
        dialog.onInterrupted(open.sentences().get(2), 0.5);
        AgentTurn next = dialog.onCustomerTurn("can someone come thursday morning");
        assertFalse(next.text().contains("recorded"), next.text());
    }

    @Test
    void aBareYesToAnOfferCutOffByABargeInRepeatsTheOffer() {
        DialogManager dialog = call("c12", "Dripping tap, call me", LocalDateTime.of(2026, 12, 1, 9, 0), null);
        dialog.open();
        AgentTurn offer = dialog.onCustomerTurn("can someone come thursday morning");
        dialog.onInterrupted(offer.sentences().get(0), 0.3);
        AgentTurn again = dialog.onCustomerTurn("yes");
        assertTrue(again.toolCalls().isEmpty(), again.text());
        assertTrue(again.text().contains("Thursday the third"), again.text());
        AgentTurn booked = dialog.onCustomerTurn("yes");
        assertEquals(Optional.of("booked"), dialog.outcome(), booked.text());
    }

    @Test
    void aSentenceThatBreaksThePolicyIsReplacedAndCounted() {
        // echoing the customer's own words would put an amount in the agent's mouth
        DialogManager dialog = call("c4", "Our hot water system is a few hundred bucks wasted, call me", LocalDateTime.of(2026, 12, 1, 9, 0), null);
        AgentTurn open = dialog.open();
        assertTrue(open.sentences().contains("I'm calling about your text message."), open.text());
        assertFalse(open.text().contains("hundred"), open.text());
        assertEquals(1, dialog.blockedSentences());
    }

    @Test
    void askingWhetherItIsAPersonGetsAnHonestAnswer() {
        DialogManager dialog = call("c5", "Dripping tap, call me", LocalDateTime.of(2026, 12, 1, 9, 0), null);
        dialog.open();
        AgentTurn answer = dialog.onCustomerTurn("am i talking to a real person");
        assertTrue(answer.text().contains("AI assistant"), answer.text());
        assertTrue(answer.toolCalls().isEmpty());
    }

    @Test
    void anAfterHoursTransferNamesTheOnCallNumberAndLeavesTheHangUpToTheServer() {
        DialogManager dialog = call("c6", "Pipe burst, water everywhere, call me", LocalDateTime.of(2026, 12, 1, 23, 0), null);
        dialog.open();
        dialog.onCustomerTurn("yes its pouring");
        AgentTurn transfer = dialog.onCustomerTurn("yes please");
        assertEquals(Optional.of("+61400000999"), transfer.transferTo());
        assertFalse(transfer.endCall());
        assertEquals(Optional.of("transferred"), dialog.outcome());
    }

    @Test
    void sayingDoneEndsTheCallWithAShortClosing() {
        DialogManager dialog = call("c7", "Dripping tap, call me", LocalDateTime.of(2026, 12, 1, 9, 0), "Dana");
        dialog.open();
        assertEquals(Optional.empty(), dialog.outcome());
        AgentTurn bye = dialog.onCustomerTurn("no thats all thanks bye");
        assertTrue(bye.endCall());
        assertTrue(bye.sentences().size() <= 2, bye.text());
        assertEquals(Optional.of("ended"), dialog.outcome());
    }

    @Test
    void expectedPhrasesFollowTheQuestionJustAsked() {
        DialogManager dialog = call("c8", "Dripping tap, call me", LocalDateTime.of(2026, 12, 1, 9, 0), null);
        dialog.open();
        assertTrue(dialog.expectedPhrases().contains("cancel"));
        dialog.onCustomerTurn("can someone come thursday morning");
        assertTrue(dialog.expectedPhrases().contains("yes"));
        assertTrue(dialog.expectedPhrases().contains("tap"));
    }

    @Test
    void aToolRefusalMidCallIsRecoveredFrom() {
        store.seedCustomer(PHONE, Optional.of("Tom"), List.of(new CustomerJob("J-1077", PHONE, "drain", "drain", CustomerJob.Status.BOOKED,
                Optional.of(LocalDate.of(2026, 12, 4)), Optional.of(ArrivalWindow.parse("07:00-09:00")), Optional.empty())));
        DialogManager first = call("c9", "Need to cancel Friday's drain job", LocalDateTime.of(2026, 12, 2, 8, 5), "Tom");
        first.open();
        first.onCustomerTurn("i want to cancel the friday one");
        // meanwhile the same job is cancelled on another call
        DialogManager second = call("c10", "Need to cancel Friday's drain job", LocalDateTime.of(2026, 12, 2, 8, 6), "Tom");
        second.open();
        second.onCustomerTurn("cancel the friday one");
        second.onCustomerTurn("yes");
        AgentTurn afterRefusal = first.onCustomerTurn("yes");
        assertTrue(afterRefusal.toolCalls().isEmpty(), "the refused call is not reported as done");
        assertTrue(afterRefusal.text().contains("message"), afterRefusal.text());
        assertFalse(first.outcome().isPresent());
    }

    @Test
    void theSameTurnAnsweredTwiceByARetryingServerHasOneEffect() {
        DialogManager dialog = call("c11", "Dripping tap, call me", LocalDateTime.of(2026, 12, 1, 9, 0), null);
        dialog.open();
        dialog.onCustomerTurn("can someone come thursday morning");
        dialog.onCustomerTurn("yes");
        DialogManager retry = call("c11", "Dripping tap, call me", LocalDateTime.of(2026, 12, 1, 9, 0), null);
        retry.open();
        retry.onCustomerTurn("can someone come thursday morning");
        AgentTurn replayed = retry.onCustomerTurn("yes");
        assertEquals(1, store.jobs(PHONE).size());
        assertEquals(1, store.bookedCount(LocalDate.of(2026, 12, 3), ArrivalWindow.parse("07:00-09:00")));
        assertTrue(replayed.text().contains("booked"), replayed.text());
    }
}
