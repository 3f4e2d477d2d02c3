package dev.ringback.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ringback.server.config.RingbackConfig.DbConfig;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;

/** The pooled database and the server's own schema (the agent migrates its tables separately). */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public static Database open(DbConfig config) {
        var hc = new HikariConfig();
        hc.setJdbcUrl(config.url());
        hc.setUsername(config.username());
        hc.setPassword(config.password());
        hc.setMaximumPoolSize(config.poolSize());
        hc.setPoolName("ringback-db");
        var ds = new HikariDataSource(hc);
        try {
            migrate(ds);
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new Database(ds);
    }

    /** Own history table and baseline 0: the agent's migrations share the schema with ours. */
    static void migrate(DataSource ds) {
        Flyway.configure()
                .dataSource(ds)
                .table("server_schema_history")
                .locations("classpath:db/server")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
