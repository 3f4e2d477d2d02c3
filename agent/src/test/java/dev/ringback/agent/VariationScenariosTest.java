package dev.ringback.agent;

import dev.ringback.agent.business.BusinessProfile;
import dev.ringback.agent.scenario.Scenario;
import dev.ringback.agent.scenario.ScenarioConversation;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our own scenarios (other phrasings, recogniser-style input, other paths through the dialog), plus every
 * public scenario replayed as a recogniser would hear it: lower case, no punctuation, some words misheard.
 */
class VariationScenariosTest {
    /** Typical recogniser slips on the words the dialog depends on. */
    private static final Map<String, String> MISHEARD = Map.of(
            "thursday", "thirsday", "cancel", "cancer", "tomorrow", "to morrow", "friday", "fry day", "morning", "mourning");

    @TestFactory
    Stream<DynamicTest> variations() {
        return ScenarioContractTest.tests(ScenarioFiles.scenarios(ScenarioFiles.resourceDir("variations")));
    }

    @Test
    void thereAreAtLeastTwentyVariations() {
        assertTrue(ScenarioFiles.scenarios(ScenarioFiles.resourceDir("variations")).size() >= 20);
    }

    @TestFactory
    Stream<DynamicTest> publicScenariosAsTheRecogniserHearsThem() {
        BusinessProfile business = ScenarioFiles.business();
        return ScenarioFiles.scenarios(ScenarioFiles.scenarioDir()).stream().map(file -> DynamicTest.dynamicTest("asr " + file.getFileName(), () -> {
            Scenario original = ScenarioConversation.load(file);
            List<Scenario.CustomerLine> heard = new ArrayList<>();
            for (Scenario.CustomerLine line : original.customerSays()) heard.add(new Scenario.CustomerLine(asHeard(line.text()), line.bargeInAfterMs()));
            Scenario s = new Scenario(original.id() + "-asr", original.source(), original.smsAt(), original.customer(), original.calendarFull(),
                    original.smsThread(), heard, original.customerGoal(), original.expect());
            ScenarioContractTest.runAndCheck(s, business);
        }));
    }

    static String asHeard(String text) {
        String t = text.toLowerCase(Locale.ROOT).replace("'", "").replaceAll("[^a-z0-9 ]", " ").replaceAll("\\s+", " ").strip();
        for (Map.Entry<String, String> e : MISHEARD.entrySet()) t = t.replaceAll("\\b" + e.getKey() + "\\b", e.getValue());
        return t;
    }
}
