package org.roost.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

/**
 * A private PostgreSQL cluster ({@code initdb} + {@code pg_ctl}) on a loopback port, run as the {@code postgres}
 * user when the tests run as root (PostgreSQL refuses root). The superuser {@code postgres} has the password
 * {@value #SUPERUSER_PASSWORD} over TCP.
 */
public final class PostgresServer implements AutoCloseable {
    public static final String SUPERUSER_PASSWORD = "pg-test-superuser";
    private final Path bin;
    private final Path dir;
    private final int port;

    private PostgresServer(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
    }

    public static PostgresServer start(Path parent) throws IOException, InterruptedException {
        var initdb = ExternalServers.binary("PostgreSQL (Debian package postgresql)",
                "/usr/lib/postgresql/*/bin/initdb", "/usr/bin/initdb");
        var dir = Files.createDirectories(parent.resolve("postgres"));
        Files.writeString(dir.resolve("pwfile"), SUPERUSER_PASSWORD + "\n");
        if (ExternalServers.root()) {
            ExternalServers.run(List.of("chown", "-R", "postgres:postgres", dir.toString()));
            ExternalServers.run(List.of("chmod", "o+x", parent.toString()));
        }
        ExternalServers.run(ExternalServers.as("postgres", List.of(initdb.toString(), "-D", dir.resolve("data").toString(),
                "-U", "postgres", "--pwfile=" + dir.resolve("pwfile"), "--auth-local=trust",
                "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync")));
        var server = new PostgresServer(initdb.getParent(), dir, ExternalServers.freePort());
        server.startAgain();
        return server;
    }

    /** Starts the cluster (again, after {@link #kill}). */
    public void startAgain() throws IOException, InterruptedException {
        ExternalServers.run(ExternalServers.as("postgres", List.of(bin.resolve("pg_ctl").toString(), "-D",
                dir.resolve("data").toString(), "-l", dir.resolve("log").toString(), "-w", "-t", "60", "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
                "start")));
    }

    /** Stops the server as a crash would (SIGQUIT to every backend, no checkpoint): connections break at once. */
    public void kill() throws IOException, InterruptedException {
        ExternalServers.run(ExternalServers.as("postgres", List.of(bin.resolve("pg_ctl").toString(), "-D",
                dir.resolve("data").toString(), "-m", "immediate", "-w", "stop")));
    }

    public int port() {
        return port;
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Runs SQL statements as the superuser on {@code database}. */
    public void execute(String database, String sql) throws SQLException {
        try (var connection = DriverManager.getConnection(url(database), "postgres", SUPERUSER_PASSWORD);
                var statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Stops the server; one already stopped by {@link #kill} is left as it is. */
    @Override
    public void close() throws InterruptedException {
        try {
            kill();
        } catch (IOException alreadyStopped) {
            // pg_ctl says "no server running"
        }
    }

    /**
     * Waits (up to a minute) until one of Roost's connections to the database waits for a lock, such as one the test
     * holds; fails with {@code what} otherwise.
     */
    public static void awaitRoostWaitingForALock(java.sql.Connection c, String what) throws SQLException,
            InterruptedException {
        awaitRoostWaitingForLocks(c, 1, what);
    }

    /**
     * Waits (up to a minute) until {@code count} of Roost's connections to the database wait for a lock; fails with
     * {@code what} otherwise. {@code c} must not be in a transaction (which would see one snapshot of the activity).
     */
    public static void awaitRoostWaitingForLocks(java.sql.Connection c, int count, String what) throws SQLException,
            InterruptedException {
        for (int i = 0; i < 6000; i++) {
            try (var rows = c.createStatement().executeQuery("SELECT count(*) FROM pg_stat_activity"
                    + " WHERE application_name = 'roost-mail' AND wait_event_type = 'Lock'")) {
                rows.next();
                if (rows.getInt(1) >= count) {
                    return;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError(what);
    }
}
