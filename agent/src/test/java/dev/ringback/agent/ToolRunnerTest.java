package dev.ringback.agent;

import com.zaxxer.hikari.HikariDataSource;
import dev.ringback.agent.business.ArrivalWindow;
import dev.ringback.agent.business.BusinessProfile;
import dev.ringback.agent.business.CustomerJob;
import dev.ringback.agent.store.BusinessStore;
import dev.ringback.agent.store.ToolLogEntry;
import dev.ringback.agent.tools.BookJobTime;
import dev.ringback.agent.tools.CreateJob;
import dev.ringback.agent.tools.LookupCustomerHistory;
import dev.ringback.agent.tools.ScheduleCallback;
import dev.ringback.agent.tools.ToolArgumentException.Problem;
import dev.ringback.agent.tools.ToolArgumentException;
import dev.ringback.agent.tools.ToolCallRecord;
import dev.ringback.agent.tools.ToolContext;
import dev.ringback.agent.tools.ToolRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Idempotency, bounds and the log, against a real H2 through HikariCP. */
class ToolRunnerTest {
    private static final String PHONE = "+61412000111";
    private static final String OTHER = "+61412000222";
    private static final LocalDateTime NOW = LocalDateTime.of(2026, 12, 1, 9, 10);
    private static final ArrivalWindow NINE_TO_ELEVEN = new ArrivalWindow(LocalTime.of(9, 0), LocalTime.of(11, 0));

    private HikariDataSource db;
    private BusinessStore store;
    private BusinessProfile business;
    private ExecutorService pool;

    @BeforeEach
    void setUp() {
        db = TestDatabase.fresh(24);
        store = new BusinessStore(db);
        business = ScenarioFiles.business();
        store.seedCustomer(PHONE, Optional.of("Dana Whitlock"), List.of());
        store.seedCustomer(OTHER, Optional.of("Priya Raman"), List.of(new CustomerJob("J-1042", OTHER, "hot-water", "hot water",
                CustomerJob.Status.BOOKED, Optional.of(LocalDate.of(2026, 12, 2)), Optional.of(NINE_TO_ELEVEN), Optional.empty())));
        pool = Executors.newFixedThreadPool(16);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        db.close();
    }

    private ToolRunner runner(String callId) {
        return new ToolRunner(store, new ToolContext(callId, PHONE, NOW, business));
    }

    @Test
    void concurrentDuplicatesOfOneCallCreateExactlyOneJob() throws Exception {
        List<Future<ToolCallRecord>> results = race(32, () -> runner("call-1").run(1, new CreateJob(PHONE, "toilet", "toilet keeps running")));
        Set<Object> jobIds = new HashSet<>();
        Set<String> keys = new HashSet<>();
        for (Future<ToolCallRecord> f : results) {
            jobIds.add(f.get().result().get("job_id"));
            keys.add(f.get().idempotencyKey());
        }
        assertEquals(1, jobIds.size(), "every duplicate sees the first result");
        assertEquals(1, keys.size());
        assertEquals(1, store.jobs(PHONE).size(), "exactly one effect");
        assertEquals(1, store.toolLog("call-1").size());
    }

    @Test
    void anOutcomeAddedLaterIsInTheLogAndInReplays() {
        ToolCallRecord first = runner("call-outcome").run(1, new CreateJob(PHONE, "toilet", "toilet keeps running"));
        assertTrue(runner("call-outcome").recordOutcome(first.idempotencyKey(), java.util.Map.of("result", "connected", "path", "bridge")));
        String logged = store.toolLog("call-outcome").get(0).resultJson();
        assertTrue(logged.contains("\"outcome\"") && logged.contains("\"bridge\"") && logged.contains(first.result().get("job_id").toString()), logged);
        ToolCallRecord replay = runner("call-outcome").run(1, new CreateJob(PHONE, "toilet", "toilet keeps running"));
        assertEquals(first.result().get("job_id"), replay.result().get("job_id"), "a replay is still the same call");
        assertEquals(java.util.Map.of("result", "connected", "path", "bridge"), replay.result().get("outcome"));
        assertEquals(1, store.jobs(PHONE).size(), "no second effect");
        assertFalse(runner("call-outcome").recordOutcome("no-such-key", java.util.Map.of("result", "x")));
    }

    @Test
    void concurrentDuplicatesOfABookingTakeOnePlace() throws Exception {
        String job = (String) runner("call-2").run(1, new CreateJob(PHONE, "tap", "dripping tap")).result().get("job_id");
        List<Future<ToolCallRecord>> results = race(24, () -> runner("call-2").run(2, new BookJobTime(job, LocalDate.of(2026, 12, 3), NINE_TO_ELEVEN)));
        for (Future<ToolCallRecord> f : results) assertEquals(true, f.get().result().get("ok"));
        assertEquals(1, store.bookedCount(LocalDate.of(2026, 12, 3), NINE_TO_ELEVEN));
    }

    @Test
    void capacityHoldsWhenManyCustomersRaceForOneWindow() throws Exception {
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 10; i++) jobs.add((String) runner("call-3").run(i, new CreateJob(PHONE, "drain", "drain " + i)).result().get("job_id"));
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ToolCallRecord>> results = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            String job = jobs.get(i);
            int turn = 100 + i;
            results.add(pool.submit(() -> {
                start.await();
                return runner("call-3").run(turn, new BookJobTime(job, LocalDate.of(2026, 12, 4), NINE_TO_ELEVEN));
            }));
        }
        start.countDown();
        int booked = 0;
        for (Future<ToolCallRecord> f : results) if (Boolean.TRUE.equals(f.get().result().get("ok"))) booked++;
        assertEquals(business.jobsPerWindow(), booked);
        assertEquals(business.jobsPerWindow(), store.bookedCount(LocalDate.of(2026, 12, 4), NINE_TO_ELEVEN));
    }

    @Test
    void aReplayReturnsTheFirstResultAndAnotherTurnIsANewCall() {
        ToolRunner runner = runner("call-4");
        ToolCallRecord first = runner.run(1, new CreateJob(PHONE, "toilet", "running toilet"));
        ToolCallRecord replay = runner("call-4").run(1, new CreateJob(PHONE, "toilet", "running toilet"));
        assertEquals(first.result(), replay.result());
        assertEquals(first.idempotencyKey(), replay.idempotencyKey());
        ToolCallRecord nextTurn = runner.run(2, new CreateJob(PHONE, "toilet", "running toilet"));
        assertNotEquals(first.result().get("job_id"), nextTurn.result().get("job_id"));
        assertEquals(2, store.jobs(PHONE).size());
    }

    @Test
    void everyCallIsLoggedWithKeyArgumentsResultAndDuration() {
        ToolCallRecord rec = runner("call-5").run(0, new LookupCustomerHistory(PHONE));
        List<ToolLogEntry> log = store.toolLog("call-5");
        assertEquals(1, log.size());
        ToolLogEntry entry = log.get(0);
        assertEquals(rec.idempotencyKey(), entry.idempotencyKey());
        assertEquals("lookup_customer_history", entry.tool());
        assertTrue(entry.argsJson().contains(PHONE));
        assertTrue(entry.resultJson().contains("Dana Whitlock"));
        assertTrue(entry.ok());
        assertTrue(entry.durationMicros() >= 0);
    }

    @Test
    void argumentsOutOfBoundsAreTypedErrorsAndChangeNothing() {
        ToolRunner runner = runner("call-6");
        String job = (String) runner.run(1, new CreateJob(PHONE, "tap", "tap")).result().get("job_id");
        assertProblem(Problem.BEYOND_HORIZON, () -> runner.run(2, new BookJobTime(job, LocalDate.of(2026, 12, 30), NINE_TO_ELEVEN)));
        assertProblem(Problem.DATE_IN_PAST, () -> runner.run(2, new BookJobTime(job, LocalDate.of(2026, 11, 30), NINE_TO_ELEVEN)));
        assertProblem(Problem.CLOSED_THAT_DAY, () -> runner.run(2, new BookJobTime(job, LocalDate.of(2026, 12, 6), NINE_TO_ELEVEN)));
        assertProblem(Problem.UNKNOWN_WINDOW, () -> runner.run(2, new BookJobTime(job, LocalDate.of(2026, 12, 3),
                new ArrivalWindow(LocalTime.of(10, 0), LocalTime.of(12, 0)))));
        assertProblem(Problem.UNKNOWN_JOB, () -> runner.run(2, new BookJobTime("J-1042", LocalDate.of(2026, 12, 3), NINE_TO_ELEVEN)));
        assertProblem(Problem.UNKNOWN_JOB, () -> runner.run(2, new BookJobTime("J-9999", LocalDate.of(2026, 12, 3), NINE_TO_ELEVEN)));
        assertProblem(Problem.BAD_FORMAT, () -> runner.run(2, new BookJobTime("1042", LocalDate.of(2026, 12, 3), NINE_TO_ELEVEN)));
        assertProblem(Problem.UNKNOWN_SERVICE, () -> runner.run(2, new CreateJob(PHONE, "roofing", "roof")));
        assertProblem(Problem.TOO_LONG, () -> runner.run(2, new CreateJob(PHONE, "tap", "x".repeat(501))));
        assertProblem(Problem.NOT_THIS_CUSTOMER, () -> runner.run(2, new LookupCustomerHistory(OTHER)));
        assertProblem(Problem.DATE_IN_PAST, () -> runner.run(2, new ScheduleCallback(PHONE, NOW.minusHours(1), "call back")));
        assertEquals(0, store.bookedCount(LocalDate.of(2026, 12, 3), NINE_TO_ELEVEN));
        assertEquals(1, store.jobs(PHONE).size());
        assertTrue(store.jobs(OTHER).get(0).isBooked(), "another customer's job is untouched");
    }

    @Test
    void aRejectedCallReplaysAsTheSameTypedError() {
        ToolRunner runner = runner("call-7");
        assertProblem(Problem.UNKNOWN_JOB, () -> runner.run(3, new BookJobTime("J-1042", LocalDate.of(2026, 12, 3), NINE_TO_ELEVEN)));
        assertProblem(Problem.UNKNOWN_JOB, () -> runner.run(3, new BookJobTime("J-1042", LocalDate.of(2026, 12, 3), NINE_TO_ELEVEN)));
        List<ToolLogEntry> log = store.toolLog("call-7");
        assertEquals(1, log.size());
        assertTrue(!log.get(0).ok() && log.get(0).resultJson().contains("UNKNOWN_JOB"));
    }

    private static void assertProblem(Problem expected, org.junit.jupiter.api.function.Executable call) {
        ToolArgumentException e = assertThrows(ToolArgumentException.class, call);
        assertEquals(expected, e.problem(), e.getMessage());
    }

    private <T> List<Future<T>> race(int threads, Callable<T> task) {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            futures.add(pool.submit(() -> {
                start.await();
                return task.call();
            }));
        }
        start.countDown();
        return futures;
    }
}
