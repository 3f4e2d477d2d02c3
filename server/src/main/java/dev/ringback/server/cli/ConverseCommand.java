package dev.ringback.server.cli;

import dev.ringback.agent.business.BusinessProfile;
import dev.ringback.agent.scenario.ConversationResult;
import dev.ringback.agent.scenario.Scenario;
import dev.ringback.agent.scenario.ScenarioConversation;
import org.h2.jdbcx.JdbcDataSource;

import java.nio.file.Path;
import java.util.UUID;

/**
 * {@code ./ringback converse --scenario FILE [--json] [--business FILE]}: one scenario at the text
 * level against a fresh in-memory store.
 */
public final class ConverseCommand {
    private ConverseCommand() {}

    public static int run(CliArgs args) throws Exception {
        args.allowOnly("scenario", "json", "business");
        System.setProperty("ringback.console.level", "WARN");
        if (args.option("scenario").isEmpty()) throw new CliArgs.UsageException("converse needs --scenario FILE.yaml");
        Scenario scenario = ScenarioConversation.load(args.existingFile("scenario", ""));
        BusinessProfile business = BusinessProfile.load(args.existingFile("business", "conf/business.yaml"));
        var db = new JdbcDataSource();
        db.setURL("jdbc:h2:mem:converse-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        ConversationResult result = ScenarioConversation.run(scenario, business, db);
        if (args.flag("json")) {
            System.out.println(result.toJson());
        } else {
            for (var turn : result.turns()) System.out.println(turn.speaker() + ": " + turn.text());
            for (var call : result.toolCalls()) System.out.println("  [tool " + call.tool() + " " + call.args() + " -> " + call.result() + "]");
            System.out.println("outcome: " + result.outcome());
        }
        return 0;
    }
}
