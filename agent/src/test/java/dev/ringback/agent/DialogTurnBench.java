package dev.ringback.agent;

import com.zaxxer.hikari.HikariDataSource;
import dev.ringback.agent.business.BusinessProfile;
import dev.ringback.agent.dialog.DialogManager;
import dev.ringback.agent.scenario.Scenario;
import dev.ringback.agent.scenario.ScenarioConversation;
import dev.ringback.agent.store.BusinessStore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Benchmark, not a test: time spent in DialogManager.onCustomerTurn (understanding, policy, tools, H2) over
 * every public scenario and variation, repeated on a warm JVM. Run with the test classpath:
 * java -Dringback.root=.. -cp target/test-classes:target/classes:$(cat cp.txt) dev.ringback.agent.DialogTurnBench [rounds]
 */
public final class DialogTurnBench {
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        List<Path> files = new ArrayList<>(ScenarioFiles.scenarios(ScenarioFiles.scenarioDir()));
        files.addAll(ScenarioFiles.scenarios(ScenarioFiles.resourceDir("variations")));
        BusinessProfile business = ScenarioFiles.business();
        List<Long> turnMicros = new ArrayList<>();
        List<Long> toolTurnMicros = new ArrayList<>();
        List<Long> openMicros = new ArrayList<>();
        List<Long> storeMillis = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            for (Path file : files) {
                Scenario s = ScenarioConversation.load(file);
                try (HikariDataSource db = TestDatabase.fresh()) {
                    long t0 = System.nanoTime();
                    BusinessStore store = new BusinessStore(db);
                    storeMillis.add((System.nanoTime() - t0) / 1_000_000);
                    store.replaceOnCallRoster(business.onCall());
                    store.seedCustomer(s.customer().phone(), s.customer().name(), s.customer().jobs());
                    for (var day : s.calendarFull()) store.seedCalendarFull(day, business);
                    DialogManager dialog = new DialogManager(business, store, new CallbackContext("bench-" + round + "-" + s.id(),
                            s.customer().phone(), s.customer().name(), s.smsThread(), s.smsAt().atZone(business.timezone())));
                    long o = System.nanoTime();
                    AgentTurn turn = dialog.open();
                    if (round > 2) openMicros.add((System.nanoTime() - o) / 1000);
                    for (Scenario.CustomerLine line : s.customerSays()) {
                        if (turn.endCall() || turn.transferTo().isPresent()) break;
                        long t = System.nanoTime();
                        turn = dialog.onCustomerTurn(line.text());
                        long micros = (System.nanoTime() - t) / 1000;
                        if (round > 2) (turn.toolCalls().isEmpty() ? turnMicros : toolTurnMicros).add(micros);
                    }
                }
            }
        }
        System.out.printf("scenarios=%d rounds=%d (first 3 rounds are warm-up)%n", files.size(), rounds);
        print("onCustomerTurn without tool calls (us)", turnMicros);
        print("onCustomerTurn with tool calls (us)", toolTurnMicros);
        print("open (us)", openMicros);
        print("new BusinessStore incl. Flyway migrate (ms)", storeMillis.subList(files.size(), storeMillis.size()));
    }

    private static void print(String what, List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        System.out.printf("%s: n=%d p50=%d p90=%d p99=%d max=%d%n", what, sorted.size(), pct(sorted, 50), pct(sorted, 90),
                pct(sorted, 99), sorted.get(sorted.size() - 1));
    }

    private static long pct(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
