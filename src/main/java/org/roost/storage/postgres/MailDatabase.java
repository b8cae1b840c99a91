package org.roost.storage.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.roost.mail.MailUnavailableException;
import org.roost.storage.ServiceEvents;
import org.roost.storage.ServiceStatus;

/**
 * The PostgreSQL side of the store: a HikariCP pool that starts empty (the server starts while the database is
 * down), every statement bounded by the timeout, transactions retried when PostgreSQL aborts one for a
 * serialization conflict or a deadlock, and a database that does not answer reported as
 * {@link MailUnavailableException} (IMAP {@code NO [UNAVAILABLE]}), never as a wrong answer.
 */
final class MailDatabase implements AutoCloseable {
    /** Where the Flyway migrations of the schema are, on the class path. */
    static final String MIGRATIONS = "classpath:db/roost-mail";
    private static final int ATTEMPTS = 5;
    private static final System.Logger LOG = System.getLogger(MailDatabase.class.getName());

    private static final String SERVICE = "postgres";

    private final HikariDataSource pool;
    private final int timeoutSeconds;
    private volatile ServiceEvents events = ServiceEvents.NONE;

    /** Work on one connection; what it throws besides SQL errors passes through. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException, IOException;
    }

    MailDatabase(Settings settings) {
        this.timeoutSeconds = seconds(settings.timeout());
        this.pool = new HikariDataSource(poolConfig(settings));
    }

    /** How to reach the database; the password is never logged. */
    record Settings(String url, String user, String password, int poolSize, Duration timeout) {
        @Override
        public String toString() {
            return "Settings[" + url + " as " + user + ", pool " + poolSize + ", timeout " + timeout + "]";
        }
    }

    private static HikariConfig poolConfig(Settings settings) {
        var hikari = new HikariConfig();
        hikari.setPoolName("roost-mail");
        hikari.setJdbcUrl(settings.url());
        hikari.setUsername(settings.user());
        hikari.setPassword(settings.password());
        hikari.setMaximumPoolSize(settings.poolSize());
        hikari.setMinimumIdle(0);
        hikari.setConnectionTimeout(Math.max(250, settings.timeout().toMillis()));
        hikari.setValidationTimeout(Math.max(250, settings.timeout().toMillis() / 2));
        hikari.setInitializationFailTimeout(-1);
        hikari.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        // A socket read that hangs still ends (the statement timeout is the database's; this is the network's).
        hikari.addDataSourceProperty("connectTimeout", Integer.toString(seconds(settings.timeout())));
        hikari.addDataSourceProperty("socketTimeout", Integer.toString(seconds(settings.timeout().multipliedBy(4))));
        hikari.addDataSourceProperty("ApplicationName", "roost-mail");
        return hikari;
    }

    private static int seconds(Duration timeout) {
        return (int) Math.max(1, (timeout.toMillis() + 999) / 1000);
    }

    /** Brings the schema to the newest version (Flyway; each version once, under Flyway's own lock). */
    void migrate() throws IOException {
        migrate(pool);
    }

    static void migrate(DataSource source) throws IOException {
        try {
            var result = Flyway.configure().dataSource(source).locations(MIGRATIONS)
                    .table("roost_schema_history").load().migrate();
            if (result.migrationsExecuted > 0) {
                LOG.log(System.Logger.Level.INFO, "mail database migrated to version {0}", result.targetSchemaVersion);
            }
        } catch (RuntimeException e) {
            throw new IOException("mail database not migrated: " + e.getMessage(), e);
        }
    }

    /** A statement with the timeout set. */
    PreparedStatement prepare(Connection connection, String sql) throws SQLException {
        var statement = connection.prepareStatement(sql);
        statement.setQueryTimeout(timeoutSeconds);
        return statement;
    }

    /** Tells {@code events} how each call goes from now on. */
    void meter(ServiceEvents events) {
        this.events = events;
    }

    /** One call's time and outcome for the meters: what the work throws itself is its answer, not counted. */
    private final class Call {
        private final String operation;
        private final long start = System.nanoTime();

        Call(String operation) {
            this.operation = operation;
        }

        <T> T ok(T result) {
            record(ServiceEvents.Result.OK);
            return result;
        }

        IOException failed(SQLException e) {
            var failure = failure(e);
            record(failure instanceof MailUnavailableException ? ServiceEvents.Result.UNAVAILABLE
                    : ServiceEvents.Result.ERROR);
            return failure;
        }

        private void record(ServiceEvents.Result result) {
            events.call(SERVICE, operation, result, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /** {@code work} with auto-commit: each statement its own transaction. */
    <T> T read(Work<T> work) throws IOException {
        var call = new Call("read");
        try (var connection = connection()) {
            return call.ok(work.run(connection));
        } catch (SQLException e) {
            throw call.failed(e);
        }
    }

    /** Whether the database answers now, and how fast (a readiness probe's question). */
    ServiceStatus status() {
        long start = System.nanoTime();
        try {
            read(c -> {
                try (var s = prepare(c, "SELECT 1")) {
                    return s.execute();
                }
            });
            return new ServiceStatus(SERVICE, true, "answered in " + (System.nanoTime() - start) / 1_000_000 + " ms");
        } catch (IOException e) {
            return new ServiceStatus(SERVICE, false, "did not answer: " + e.getMessage());
        }
    }

    /** {@code work} in one READ COMMITTED transaction, all or none, retried when PostgreSQL aborts it. */
    <T> T transaction(Work<T> work) throws IOException {
        return transaction(null, work);
    }

    /** {@code work} in one read-only REPEATABLE READ transaction: one snapshot of the database. */
    <T> T snapshot(Work<T> work) throws IOException {
        return transaction("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", work);
    }

    /**
     * {@code work} in a transaction that {@code characteristics} (if any) sets up: a statement of the transaction
     * itself, so nothing of it stays with the pooled connection and no round trip goes to setting it back.
     */
    private <T> T transaction(String characteristics, Work<T> work) throws IOException {
        var call = new Call(characteristics == null ? "transaction" : "snapshot");
        for (int attempt = 1;; attempt++) {
            try (var connection = connection()) {
                connection.setAutoCommit(false);
                try {
                    if (characteristics != null) {
                        try (var s = connection.createStatement()) {
                            s.execute(characteristics);
                        }
                    }
                    var result = work.run(connection);
                    connection.commit();
                    connection.setAutoCommit(true);
                    return call.ok(result);
                } catch (SQLException | IOException | RuntimeException e) {
                    rollback(connection);
                    throw e;
                }
            } catch (SQLException e) {
                if (!retryable(e) || attempt == ATTEMPTS) {
                    throw call.failed(e);
                }
            }
        }
    }

    private Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /** Ends a transaction that failed; a connection that is gone (PostgreSQL ends it itself) hides no failure. */
    private static void rollback(Connection connection) {
        try {
            connection.rollback();
            connection.setAutoCommit(true);
        } catch (SQLException broken) {
            // the connection is gone: PostgreSQL ends the transaction itself, and the pool drops the connection
        }
    }

    /** A serialization failure or a deadlock: the transaction did nothing and may run again. */
    private static boolean retryable(SQLException e) {
        return "40001".equals(e.getSQLState()) || "40P01".equals(e.getSQLState());
    }

    /** Unique violation: the row exists already. */
    static boolean duplicate(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    /**
     * What a failed statement means to a client: the database unreachable, restarting or too slow is
     * {@code NO [UNAVAILABLE]}; anything else is a server fault.
     */
    private IOException failure(SQLException e) {
        var state = e.getSQLState() == null ? "" : e.getSQLState();
        if (e instanceof SQLTransientConnectionException || state.startsWith("08") || state.startsWith("57")
                || state.startsWith("53")) {
            LOG.log(System.Logger.Level.WARNING, "mail database unavailable: {0}", e.getMessage());
            // After a restart or a failover every idle connection is dead: let the next command connect afresh.
            pool.getHikariPoolMXBean().softEvictConnections();
            var unavailable = new MailUnavailableException("the mail database did not answer");
            unavailable.initCause(e);
            return unavailable;
        }
        return new IOException("mail database: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        pool.close();
    }
}
