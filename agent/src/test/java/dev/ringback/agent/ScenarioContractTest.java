package dev.ringback.agent;

import com.zaxxer.hikari.HikariDataSource;
import dev.ringback.agent.business.BusinessProfile;
import dev.ringback.agent.scenario.ConversationResult;
import dev.ringback.agent.scenario.Scenario;
import dev.ringback.agent.scenario.ScenarioConversation;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Every public scenario (the project's conf/scenarios) at the text level, checked against its expect block. */
class ScenarioContractTest {

    @TestFactory
    Stream<DynamicTest> publicScenarios() {
        return tests(ScenarioFiles.scenarios(ScenarioFiles.scenarioDir()));
    }

    @Test
    void theProjectCarriesAllTenPublicScenarios() {
        assertTrue(ScenarioFiles.scenarios(ScenarioFiles.scenarioDir()).size() >= 10);
    }

    static Stream<DynamicTest> tests(List<Path> files) {
        BusinessProfile business = ScenarioFiles.business();
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> runAndCheck(file, business)));
    }

    static ConversationResult runAndCheck(Path file, BusinessProfile business) {
        Scenario s = ScenarioConversation.load(file);
        ConversationResult r;
        try (HikariDataSource db = TestDatabase.fresh()) {
            r = ScenarioConversation.run(s, business, db);
        }
        List<String> failures = new ArrayList<>(ScenarioExpectations.check(s, business, r));
        if (!failures.isEmpty()) fail(file.getFileName() + ":\n  " + String.join("\n  ", failures) + "\n" + r.toJson());
        return r;
    }
}
