package dev.ringback.agent;

import com.zaxxer.hikari.HikariDataSource;
import dev.ringback.agent.business.BusinessProfile;
import dev.ringback.agent.dialog.DialogManager;
import dev.ringback.agent.scenario.Scenario;
import dev.ringback.agent.scenario.ScenarioConversation;
import dev.ringback.agent.store.BusinessStore;
import dev.ringback.agent.tools.ToolCallRecord;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded random calls: the scenarios' threads, customer turns drawn from recogniser-style lines (misheard,
 * unsure, with runners-up). Whatever is said, the call keeps its promises: every turn says something, no turn
 * asks a question and hangs up, at most one message for the owner.
 */
class RandomConversationsTest {
    private static final List<String> LINES = List.of("yes", "no", "yeah", "nah", "theres", "burst the morning", "thursday morning",
            "not today", "no the afternoon", "no i said friday", "whenever suits", "cancel it", "can you move it", "how much",
            "leave a message", "call me back at three", "put me through", "its pouring", "am i talking to a person", "hang on",
            "sorry what", "bye", "thats all thanks", "mumble", "the friday one", "first thing monday", "not the morning", "neither",
            "the tap one", "no thats fine", "yep that works", "tomorrow at two", "its not urgent", "my pipe burst", "someone come today",
            "i need the invoice", "wensday", "thirsday", "fry day arvo", "no not then", "okay", "", "uh", "yes please book it");
    private static final int CALLS = 60;

    @Test
    void whateverIsSaidTheCallKeepsItsPromises() {
        BusinessProfile business = ScenarioFiles.business();
        List<Path> files = new ArrayList<>(ScenarioFiles.scenarios(ScenarioFiles.scenarioDir()));
        files.addAll(ScenarioFiles.scenarios(ScenarioFiles.resourceDir("variations")));
        Random random = new Random(20261201);
        int turns = 0;
        for (int i = 0; i < CALLS; i++) {
            Scenario s = ScenarioConversation.load(files.get(random.nextInt(files.size())));
            List<String> transcript = new ArrayList<>();
            List<ToolCallRecord> calls = new ArrayList<>();
            try (HikariDataSource db = TestDatabase.fresh()) {
                BusinessStore store = new BusinessStore(db);
                store.replaceOnCallRoster(business.onCall());
                store.seedCustomer(s.customer().phone(), s.customer().name(), s.customer().jobs());
                for (LocalDate day : s.calendarFull()) store.seedCalendarFull(day, business);
                DialogManager dialog = new DialogManager(business, store, new CallbackContext("random-" + i, s.customer().phone(),
                        s.customer().name(), s.smsThread(), s.smsAt().atZone(business.timezone())));
                AgentTurn turn = dialog.open();
                for (int k = 0; k < 12 && !turn.endCall() && turn.transferTo().isEmpty(); k++) {
                    String line = LINES.get(random.nextInt(LINES.size()));
                    Heard heard = random.nextInt(4) == 0
                            ? new Heard(line, OptionalDouble.of(random.nextDouble()), List.of(), List.of(LINES.get(random.nextInt(LINES.size()))))
                            : Heard.typed(line);
                    transcript.add("customer: " + line);
                    turn = dialog.onCustomerTurn(heard);
                    transcript.add("agent: " + turn.text());
                    calls.addAll(turn.toolCalls());
                    turns++;
                    String where = s.id() + " call " + i + ":\n" + String.join("\n", transcript);
                    assertFalse(turn.sentences().isEmpty() && !turn.endCall(), "silent turn in " + where);
                    if (turn.endCall()) assertTrue(turn.sentences().stream().noneMatch(x -> x.endsWith("?")), "asked and hung up in " + where);
                }
                long messages = calls.stream().filter(c -> c.tool().equals("create_message_for_owner"))
                        .filter(c -> !String.valueOf(c.args().get("reason")).startsWith("urgent")).count();
                assertTrue(messages <= 1, s.id() + " call " + i + " left " + messages + " messages:\n" + String.join("\n", transcript));
            }
        }
        assertTrue(turns > CALLS * 3, "turns: " + turns);
    }
}
