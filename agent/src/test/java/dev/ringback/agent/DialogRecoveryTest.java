package dev.ringback.agent;

import com.zaxxer.hikari.HikariDataSource;
import dev.ringback.agent.business.ArrivalWindow;
import dev.ringback.agent.business.BusinessProfile;
import dev.ringback.agent.business.CustomerJob;
import dev.ringback.agent.business.SmsMessage;
import dev.ringback.agent.dialog.DialogManager;
import dev.ringback.agent.scenario.Scenario;
import dev.ringback.agent.scenario.ScenarioConversation;
import dev.ringback.agent.store.BusinessStore;
import dev.ringback.agent.tools.ToolCallRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A conversation that survives real audio: one behaviour per test, at the text level with recogniser-style
 * input (lower case, no punctuation, misheard words) and, where the rule uses them, confidence and N-best.
 */
class DialogRecoveryTest {
    private static final String PHONE = "+61412000111";
    /** Tuesday 1 December 2026, in business hours. */
    private static final LocalDateTime MORNING = LocalDateTime.of(2026, 12, 1, 9, 10);
    private static final LocalDateTime NIGHT = LocalDateTime.of(2026, 12, 1, 22, 10);
    private static final String TOILET = "Hi, our toilet keeps running and I think it needs replacing. Can you call me?";
    private static final String THURSDAY = "Thursday the third";

    private HikariDataSource db;
    private BusinessStore store;
    private BusinessProfile business;
    private final List<ToolCallRecord> calls = new ArrayList<>();

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

    private DialogManager call(String sms, LocalDateTime at) {
        DialogManager dialog = new DialogManager(business, store, new CallbackContext("call-" + System.nanoTime(), PHONE, Optional.of("Dana"),
                List.of(new SmsMessage(SmsMessage.Direction.INBOUND, at.minusMinutes(1), sms)), at.atZone(business.timezone())));
        calls.addAll(dialog.open().toolCalls());
        return dialog;
    }

    private AgentTurn say(DialogManager dialog, String text) {
        return say(dialog, Heard.typed(text));
    }

    private AgentTurn say(DialogManager dialog, Heard heard) {
        AgentTurn turn = dialog.onCustomerTurn(heard);
        calls.addAll(turn.toolCalls());
        return turn;
    }

    private static Heard unsure(String text) {
        return new Heard(text, OptionalDouble.of(0.3), List.of(), List.of());
    }

    private List<String> tools() {
        return calls.stream().map(ToolCallRecord::tool).filter(t -> !t.equals("lookup_customer_history")).toList();
    }

    private ToolCallRecord only(String tool) {
        List<ToolCallRecord> found = calls.stream().filter(c -> c.tool().equals(tool)).toList();
        assertEquals(1, found.size(), tool + " in " + calls);
        return found.get(0);
    }

    private void seedBooking(String id, String service, String date, String window) {
        store.seedCustomer(PHONE, Optional.of("Dana"), List.of(new CustomerJob(id, PHONE, service, service, CustomerJob.Status.BOOKED,
                Optional.of(LocalDate.parse(date)), Optional.of(ArrivalWindow.parse(window)), Optional.empty())));
    }

    // --- corrections and refusals of an offer ---

    @Test
    void noWithAnotherPartOfTheDayOffersThatPartOfTheSameDay() {
        DialogManager dialog = call(TOILET, MORNING);
        assertTrue(say(dialog, "thursday").text().contains(THURSDAY + ", between seven and nine in the morning"));
        AgentTurn again = say(dialog, "no the afternoon");
        assertTrue(again.text().contains(THURSDAY + ", between one and three in the afternoon"), again.text());
        say(dialog, "yes");
        assertEquals("13:00", only("book_job_time").args().get("window_start"));
    }

    @Test
    void aCorrectedDayIsTheDayOffered() {
        DialogManager dialog = call(TOILET, MORNING);
        assertTrue(say(dialog, "can someone come today").text().contains("today"));
        AgentTurn again = say(dialog, "no i said thursday");
        assertTrue(again.text().contains(THURSDAY), again.text());
        assertTrue(again.toolCalls().isEmpty(), "a correction is an offer, not a booking");
    }

    @Test
    void aDayRuledOutIsNotOfferedAgain() {
        DialogManager dialog = call(TOILET, MORNING);
        assertTrue(say(dialog, "can someone come tomorrow").text().contains("tomorrow"));
        AgentTurn asked = say(dialog, "not tomorrow");
        assertFalse(asked.text().contains("tomorrow"), asked.text());
        assertTrue(asked.text().contains("What day would suit you?"), asked.text());
        AgentTurn offer = say(dialog, "whenever suits");
        assertFalse(offer.text().contains("tomorrow"), offer.text());
        say(dialog, "yes");
        assertEquals("2026-12-01", only("book_job_time").args().get("date"));
    }

    @Test
    void aTimeTurnedDownIsNeverBookedWhenTheSameDayIsAskedForAgain() {
        DialogManager dialog = call(TOILET, MORNING);
        say(dialog, "thursday");
        say(dialog, "no");
        AgentTurn offer = say(dialog, "thursday");
        assertTrue(offer.text().contains(THURSDAY + ", between nine and eleven"), offer.text());
        say(dialog, "yes");
        assertEquals("09:00", only("book_job_time").args().get("window_start"));
    }

    @Test
    void aDayThatDoesNotWorkAndAnotherIsTheOther() {
        DialogManager dialog = call(TOILET, MORNING);
        say(dialog, "thursday morning");
        AgentTurn offer = say(dialog, "thursday doesnt work how about friday");
        assertTrue(offer.text().contains("Friday the fourth"), offer.text());
        assertFalse(offer.text().contains("Thursday"), offer.text());
    }

    @Test
    void namingTheTimeOnOfferTakesIt() {
        DialogManager dialog = call(TOILET, MORNING);
        say(dialog, "could someone come thursday");
        AgentTurn booked = say(dialog, "thursday morning please");
        assertEquals(List.of("create_job", "book_job_time"), tools(), booked.text());
        assertEquals(Optional.of("booked"), dialog.outcome());
    }

    @Test
    void noToTheSuggestionsWithOneOfThemNamedTakesThatOne() {
        store.seedCalendarFull(LocalDate.of(2026, 12, 2), business);
        DialogManager dialog = call("Toilet cistern is cracked and leaking a bit. Can you call me to book someone in?", MORNING);
        AgentTurn suggestions = say(dialog, "can someone come tomorrow");
        assertTrue(suggestions.text().contains("Would either of those suit you?"), suggestions.text());
        AgentTurn offer = say(dialog, "no thursday first thing please");
        assertTrue(offer.text().contains(THURSDAY + ", between seven and nine"), offer.text());
        say(dialog, "yes");
        assertEquals("2026-12-03", only("book_job_time").args().get("date"));
    }

    // --- an emergency only the recogniser heard ---

    @Test
    void aLoneUrgentWordAgainstTheThreadIsCheckedWithOneShortQuestion() {
        DialogManager dialog = call(TOILET, NIGHT);
        AgentTurn check = say(dialog, "hi yes could someone come out on burst the morning");
        assertTrue(check.text().contains("Is it an emergency?"), check.text());
        assertFalse(check.text().contains("urgent") || check.text().contains("put you through"), check.text());
        assertTrue(tools().isEmpty());
        assertEquals(ExpectedAnswer.YES_NO, dialog.expectedAnswer());
    }

    @Test
    void theSameLineAgainAfterTheCheckIsReadWithTheThread() {
        DialogManager dialog = call(TOILET, MORNING);
        say(dialog, "hi yes could someone come out on burst the morning");
        AgentTurn offer = say(dialog, "hi yes could someone come out on burst the morning");
        assertTrue(offer.text().contains("Would you like me to book that?"), offer.text());
        assertFalse(offer.text().contains("urgent"), offer.text());
        assertFalse(offer.text().contains("Is it an emergency?"), "one question, not two: " + offer.text());
    }

    @Test
    void noToTheCheckGoesOnWithWhatTheCustomerWants() {
        DialogManager dialog = call(TOILET, NIGHT);
        say(dialog, "could someone come out burst the morning");
        AgentTurn offer = say(dialog, "no i said thursday morning");
        assertTrue(offer.text().contains(THURSDAY + ", between seven and nine in the morning"), offer.text());
        say(dialog, "yes");
        assertEquals(List.of("create_job", "book_job_time"), tools());
    }

    @Test
    void anEmergencySaidClearlyGoesStraightThrough() {
        DialogManager dialog = call(TOILET, NIGHT);
        AgentTurn offer = say(dialog, "my pipe has burst and theres water everywhere");
        assertTrue(offer.text().contains("put you through"), offer.text());
        AgentTurn transfer = say(dialog, "yes please");
        assertEquals(Optional.of("+61400000999"), transfer.transferTo());
    }

    @Test
    void aLoneUrgentWordSaidAgainIsBelieved() {
        DialogManager dialog = call(TOILET, NIGHT);
        say(dialog, "its bursting");
        AgentTurn offer = say(dialog, "yes its bursting everywhere");
        assertTrue(offer.text().contains("put you through"), offer.text());
    }

    @Test
    void anEmergencyTheThreadStatesNeedsNoCheck() {
        DialogManager dialog = call("Pipe burst under the kitchen sink, water everywhere!! Please call asap", NIGHT);
        AgentTurn offer = say(dialog, "yes its gushing");
        assertTrue(offer.text().contains("put you through"), offer.text());
    }

    @Test
    void urgentWordsTheRecogniserWasUnsureOfAreChecked() {
        DialogManager dialog = call(TOILET, NIGHT);
        Heard heard = new Heard("the pipe burst", OptionalDouble.of(0.7),
                List.of(new Heard.Word("the", 0.9), new Heard.Word("pipe", 0.35), new Heard.Word("burst", 0.3)), List.of());
        AgentTurn check = say(dialog, heard);
        assertTrue(check.text().contains("Is it an emergency?"), check.text());
        Heard sure = new Heard("the pipe burst", OptionalDouble.of(0.9),
                List.of(new Heard.Word("the", 0.9), new Heard.Word("pipe", 0.9), new Heard.Word("burst", 0.9)), List.of());
        DialogManager other = call(TOILET, NIGHT);
        assertTrue(say(other, sure).text().contains("put you through"));
    }

    // --- unsure readings and the N-best ---

    @Test
    void anUnsureYesToAnOfferIsAskedAgainBeforeBooking() {
        DialogManager dialog = call(TOILET, MORNING);
        say(dialog, "thursday morning");
        AgentTurn again = say(dialog, unsure("yes"));
        assertTrue(tools().isEmpty(), "nothing booked on a guess");
        assertTrue(again.text().contains("didn't quite catch") && again.text().contains(THURSDAY), again.text());
        say(dialog, "yes");
        assertEquals(Optional.of("booked"), dialog.outcome());
    }

    @Test
    void theSameUnsureYesToTheQuestionAskedAgainStands() {
        DialogManager dialog = call(TOILET, MORNING);
        say(dialog, "thursday morning");
        say(dialog, unsure("yes"));
        say(dialog, unsure("yes"));
        assertEquals(Optional.of("booked"), dialog.outcome());
    }

    @Test
    void anUnsureYesToACancellationIsAskedAgain() {
        seedBooking("J-1077", "drain", "2026-12-04", "07:00-09:00");
        DialogManager dialog = call("Need to cancel Friday's drain job, the neighbour fixed it. Pls call", LocalDateTime.of(2026, 12, 2, 8, 5));
        say(dialog, "i want to cancel the friday one");
        AgentTurn again = say(dialog, unsure("yeah"));
        assertTrue(tools().isEmpty(), again.text());
        assertTrue(again.text().contains("you'd like to cancel"), again.text());
    }

    @Test
    void anUnsureYesIsNotATransfer() {
        DialogManager dialog = call("Pipe burst under the kitchen sink, water everywhere!! Please call asap", NIGHT);
        say(dialog, "yes its still going");
        AgentTurn again = say(dialog, unsure("yes please"));
        assertEquals(Optional.empty(), again.transferTo());
        assertTrue(again.text().contains("put you through"), again.text());
        assertEquals(Optional.of("+61400000999"), say(dialog, "yes please").transferTo());
    }

    @Test
    void aRunnerUpThatAnswersTheQuestionIsTaken() {
        DialogManager dialog = call(TOILET, MORNING);
        say(dialog, "yes");
        AgentTurn offer = say(dialog, new Heard("burst a morning", OptionalDouble.of(0.6), List.of(),
                List.of("thursday morning", "thirsty morning")));
        assertTrue(offer.text().contains(THURSDAY + ", between seven and nine"), offer.text());
    }

    @Test
    void aRunnerUpYesIsConfirmedBeforeItBooks() {
        DialogManager dialog = call(TOILET, MORNING);
        say(dialog, "thursday morning");
        AgentTurn again = say(dialog, new Heard("theres", OptionalDouble.of(0.8), List.of(), List.of("yes")));
        assertTrue(tools().isEmpty(), again.text());
        assertTrue(again.text().contains("Would you like me to book that?"), again.text());
        say(dialog, "yes");
        assertEquals(Optional.of("booked"), dialog.outcome());
    }

    @Test
    void aRunnerUpNamingOneOfTheTimesSuggestedIsPreferred() {
        store.seedCalendarFull(LocalDate.of(2026, 12, 2), business);
        DialogManager dialog = call("Toilet cistern is cracked and leaking a bit. Can you call me to book someone in?", MORNING);
        say(dialog, "can someone come tomorrow");
        AgentTurn offer = say(dialog, new Heard("tuesday first thing", OptionalDouble.of(0.8), List.of(), List.of("thursday first thing")));
        assertTrue(offer.text().contains(THURSDAY + ", between seven and nine"), offer.text());
    }

    @Test
    void aRunnerUpNamingTheThreadsJobIsPreferred() {
        DialogManager dialog = call(TOILET, MORNING);
        say(dialog, new Heard("the tap thursday morning", OptionalDouble.of(0.7), List.of(), List.of("the toilet thursday morning")));
        say(dialog, "yes");
        assertEquals("toilet", only("create_job").args().get("service"));
    }

    // --- the owner's message: one per call, only for what the call did not resolve ---

    @Test
    void aMisunderstandingTheCallThenResolvesLeavesNoMessage() {
        DialogManager dialog = call(TOILET, MORNING);
        AgentTurn first = say(dialog, "mumble grumble");
        assertTrue(first.text().contains("didn't quite catch"), first.text());
        AgentTurn choices = say(dialog, "blah blah");
        assertTrue(choices.text().contains("I can book a visit, move or cancel one, or take a message"), choices.text());
        say(dialog, "thursday morning");
        say(dialog, "yes");
        assertEquals(List.of("create_job", "book_job_time"), tools());
    }

    @Test
    void nothingUnderstoodThriceHandsTheThreadToTheTeamOnceAndEnds() {
        DialogManager dialog = call(TOILET, MORNING);
        say(dialog, "mumble grumble");
        say(dialog, "blah blah");
        AgentTurn last = say(dialog, "flib");
        assertTrue(last.endCall(), last.text());
        assertTrue(last.sentences().stream().noneMatch(s -> s.endsWith("?")), "no question before hanging up: " + last.text());
        assertTrue(String.valueOf(only("create_message_for_owner").args().get("text")).contains("toilet keeps running"));
    }

    @Test
    void theChoicesAreOfferedOnceACall() {
        DialogManager dialog = call(TOILET, MORNING);
        say(dialog, "mumble");
        say(dialog, "blah");
        say(dialog, "hang on");
        say(dialog, "mumble");
        AgentTurn second = say(dialog, "blah");
        assertFalse(second.text().contains("move or cancel one"), second.text());
        assertEquals(List.of("create_message_for_owner"), tools());
    }

    @Test
    void aSecondMessageIsNotLeft() {
        DialogManager dialog = call("Call me please", MORNING);
        say(dialog, "can you leave a message for the owner my gate code changed to four four one two");
        AgentTurn second = say(dialog, "and tell him the invoice went to my old address");
        assertEquals(List.of("create_message_for_owner"), tools());
        assertTrue(second.text().contains("already left a message"), second.text());
    }

    @Test
    void aMessageAfterABookingSaysTheBookingIsDone() {
        DialogManager dialog = call(TOILET, MORNING);
        say(dialog, "thursday morning");
        say(dialog, "yes");
        say(dialog, "yes can you tell the owner the side gate is locked so they should knock");
        String text = String.valueOf(only("create_message_for_owner").args().get("text"));
        assertTrue(text.contains("Booked a visit for " + THURSDAY), text);
    }

    @Test
    void aCallThatDidItsJobEndsWithoutAMessageWhenNothingMoreIsUnderstood() {
        DialogManager dialog = call(TOILET, MORNING);
        say(dialog, "thursday morning");
        say(dialog, "yes");
        say(dialog, "theres");
        AgentTurn last = say(dialog, "blah");
        assertTrue(last.endCall(), last.text());
        assertEquals(List.of("create_job", "book_job_time"), tools());
    }

    @Test
    void noTurnAsksAQuestionAndHangsUp() {
        List<Path> files = new ArrayList<>(ScenarioFiles.scenarios(ScenarioFiles.scenarioDir()));
        files.addAll(ScenarioFiles.scenarios(ScenarioFiles.resourceDir("variations")));
        int turns = 0;
        for (Path file : files) {
            for (boolean asHeard : List.of(false, true)) {
                Scenario s = ScenarioConversation.load(file);
                try (HikariDataSource fresh = TestDatabase.fresh()) {
                    BusinessStore own = new BusinessStore(fresh);
                    own.replaceOnCallRoster(business.onCall());
                    own.seedCustomer(s.customer().phone(), s.customer().name(), s.customer().jobs());
                    for (LocalDate day : s.calendarFull()) own.seedCalendarFull(day, business);
                    DialogManager dialog = new DialogManager(business, own, new CallbackContext("q-" + s.id() + asHeard, s.customer().phone(),
                            s.customer().name(), s.smsThread(), s.smsAt().atZone(business.timezone())));
                    List<AgentTurn> said = new ArrayList<>(List.of(dialog.open()));
                    for (Scenario.CustomerLine line : s.customerSays()) {
                        said.add(dialog.onCustomerTurn(asHeard ? VariationScenariosTest.asHeard(line.text()) : line.text()));
                    }
                    // the simulated customer's last word, and a line nobody could understand
                    said.add(dialog.onCustomerTurn("bye"));
                    said.add(dialog.onCustomerTurn("flib"));
                    for (AgentTurn t : said) {
                        turns++;
                        if (t.endCall()) assertTrue(t.sentences().stream().noneMatch(x -> x.endsWith("?")), s.id() + ": " + t.text());
                    }
                }
            }
        }
        assertTrue(turns > 200, "turns checked: " + turns);
    }

    // --- what the SMS thread asked for ---

    @Test
    void yesToTheOpeningOfACancelThreadConfirmsTheCancellation() {
        seedBooking("J-1077", "drain", "2026-12-04", "07:00-09:00");
        DialogManager dialog = call("Need to cancel Friday's drain job, the neighbour fixed it. Pls call", LocalDateTime.of(2026, 12, 2, 8, 5));
        AgentTurn confirm = say(dialog, "yes");
        assertTrue(confirm.text().contains("you'd like to cancel the drain job on Friday"), confirm.text());
        say(dialog, "yes");
        assertEquals("J-1077", only("cancel_job_booking").args().get("job_id"));
    }

    @Test
    void yesToTheOpeningOfABookingThreadAsksTheDay() {
        DialogManager dialog = call(TOILET, MORNING);
        AgentTurn day = say(dialog, "yeah");
        assertEquals("What day would suit you?", day.text());
    }

    @Test
    void onlyTheDetailsStillCarryTheThreadsRequest() {
        seedBooking("J-1042", "hot-water", "2026-12-02", "09:00-11:00");
        DialogManager dialog = call("Hey, I've got the hot water guy coming tomorrow but something's come up at work. Can you call me?",
                LocalDateTime.of(2026, 12, 1, 14, 30));
        AgentTurn offer = say(dialog, "yeah friday afternoon");
        assertTrue(offer.text().contains("I can move it to Friday the fourth"), offer.text());
        say(dialog, "perfect");
        assertEquals(List.of("reschedule_job_time"), tools());
    }

    @Test
    void yesToAPriceThreadIsTheOwnersCallBackNeverAFigure() {
        DialogManager dialog = call("How much to replace a hot water system? Call me when you can", MORNING);
        AgentTurn answer = say(dialog, "yes");
        assertTrue(answer.text().contains("not able to give prices"), answer.text());
        assertTrue(tools().isEmpty());
    }
}
