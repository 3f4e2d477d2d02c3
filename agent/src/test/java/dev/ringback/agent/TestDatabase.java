package dev.ringback.agent;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.util.UUID;

/** A fresh in-memory H2 database behind a real HikariCP pool. */
final class TestDatabase {
    private TestDatabase() {}

    static HikariDataSource fresh() {
        return fresh(4);
    }

    static HikariDataSource fresh(int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:mem:agent-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(1);
        config.setPoolName("agent-test");
        return new HikariDataSource(config);
    }
}
