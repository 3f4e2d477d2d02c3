package dev.ringback.agent.scenario;

import dev.ringback.agent.business.CustomerJob;
import dev.ringback.agent.business.SmsMessage;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/** One scripted callback in the scenario format (conf/scenarios/README.md). */
public record Scenario(String id, Path source, LocalDateTime smsAt, Customer customer, List<LocalDate> calendarFull,
                       List<SmsMessage> smsThread, List<CustomerLine> customerSays, Optional<CustomerGoal> customerGoal,
                       Map<String, Object> expect) {

    public record Customer(String phone, Optional<String> name, List<CustomerJob> jobs) {
        public Customer {
            Objects.requireNonNull(phone, "phone");
            jobs = List.copyOf(jobs);
        }
    }

    /** What the customer says in one turn; bargeInAfterMs: they start while the agent is still speaking. */
    public record CustomerLine(String text, OptionalLong bargeInAfterMs) {}

    public Scenario {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(smsAt, "smsAt");
        calendarFull = List.copyOf(calendarFull);
        smsThread = List.copyOf(smsThread);
        customerSays = List.copyOf(customerSays);
        Objects.requireNonNull(customerGoal, "customerGoal");
        expect = Map.copyOf(expect);
    }
}
