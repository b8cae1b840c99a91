package org.roost.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a {@code postgres:} mail location needs, started once per test JVM and stopped at its exit: a private
 * PostgreSQL cluster and an S3 endpoint (s3proxy) with one bucket. Each {@link #environment()} names a database of
 * its own, so servers made from different calls share nothing but the bucket.
 */
public final class MailDatabaseServers {
    public static final String BUCKET = "roost-bodies";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static MailDatabaseServers shared;
    private final PostgresServer postgres;
    private final S3Server s3;
    private final Path dir;

    private MailDatabaseServers(PostgresServer postgres, S3Server s3, Path dir) {
        this.postgres = postgres;
        this.s3 = s3;
        this.dir = dir;
    }

    public static synchronized MailDatabaseServers shared() throws IOException {
        if (shared == null) {
            var dir = Files.createTempDirectory("roost-maildb-");
            try {
                var postgres = PostgresServer.start(dir);
                var s3 = S3Server.start(dir, BUCKET);
                shared = new MailDatabaseServers(postgres, s3, dir);
            } catch (Exception e) {
                throw new IOException("cannot start PostgreSQL and S3 for the mail store: " + e.getMessage(), e);
            }
            var started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop));
        }
        return shared;
    }

    public PostgresServer postgres() {
        return postgres;
    }

    public S3Server s3() {
        return s3;
    }

    /** A fresh database; the {@code ROOST_*} settings of a {@code postgres:%u} location on it and the bucket. */
    public Map<String, String> environment() throws IOException {
        var database = "mail" + DATABASES.incrementAndGet();
        try {
            postgres.execute("postgres", "CREATE DATABASE " + database);
        } catch (java.sql.SQLException e) {
            throw new IOException("cannot create database " + database + ": " + e.getMessage(), e);
        }
        return environment(database);
    }

    /** The settings of database {@code database} (which exists). */
    public Map<String, String> environment(String database) {
        var env = new HashMap<String, String>();
        env.put("ROOST_MAIL_LOCATION", "postgres:%u");
        env.put("ROOST_MAIL_POSTGRES_URL", postgres.url(database));
        env.put("ROOST_MAIL_POSTGRES_USER", "postgres");
        env.put("ROOST_MAIL_POSTGRES_PASSWORD", PostgresServer.SUPERUSER_PASSWORD);
        env.put("ROOST_MAIL_S3_ENDPOINT", s3.endpoint());
        env.put("ROOST_MAIL_S3_BUCKET", BUCKET);
        env.put("ROOST_MAIL_S3_PATHSTYLE", "true");
        env.put("ROOST_MAIL_S3_ACCESSKEY", S3Server.ACCESS_KEY);
        env.put("ROOST_MAIL_S3_SECRETKEY", S3Server.SECRET_KEY);
        return env;
    }

    private void stop() {
        try {
            s3.close();
            postgres.close();
        } catch (Exception e) {
            // the JVM is exiting
        }
        TestServer.deleteQuietly(dir);
    }
}
