package dev.ringback.agent;

import com.zaxxer.hikari.HikariDataSource;
import dev.ringback.agent.business.BusinessProfile;
import dev.ringback.agent.scenario.ConversationResult;
import dev.ringback.agent.scenario.Scenario;
import dev.ringback.agent.scenario.ScenarioCheck;
import dev.ringback.agent.scenario.ScenarioConversation;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
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
        return runAndCheck(ScenarioConversation.load(file), business);
    }

    /** Runs the scenario at the text level and fails with every broken expectation and the transcript. */
    static ConversationResult runAndCheck(Scenario s, BusinessProfile business) {
        ConversationResult r;
        try (HikariDataSource db = TestDatabase.fresh()) {
            r = ScenarioConversation.run(s, business, db);
        }
        List<ScenarioCheck.Failure> failures = new ScenarioCheck(business).check(s, r);
        if (!failures.isEmpty()) {
            fail(s.id() + ":\n  " + String.join("\n  ", failures.stream().map(Object::toString).toList()) + "\n" + r.toJson());
        }
        return r;
    }
}
