package org.roost.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.MailDatabaseServers;
import org.roost.testing.PostgresServer;

/** {@code roost db migrate}: creates the schema of an empty database, and the second run changes nothing. */
@Timeout(120)
class DbCommandTest {
    @TempDir
    Path dir;

    @Test
    void migratesAnEmptyDatabaseOnce() throws Exception {
        var servers = MailDatabaseServers.shared();
        var env = servers.environment();
        var config = Files.writeString(dir.resolve("roost.yaml"), """
                data: %s
                mail:
                  location: "postgres:%%u"
                  postgres: {url: "%s", user: postgres, password: "%s", migrateAtStart: false}
                  s3: {bucket: %s, endpoint: "%s", pathStyle: true}
                """.formatted(dir.resolve("data"), env.get("ROOST_MAIL_POSTGRES_URL"), PostgresServer.SUPERUSER_PASSWORD,
                MailDatabaseServers.BUCKET, servers.s3().endpoint()));
        for (int run = 0; run < 2; run++) {
            var out = new ByteArrayOutputStream();
            var err = new ByteArrayOutputStream();
            int code = Main.run(List.of("db", "migrate", "--config", config.toString()),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("newest schema version"));
        }
        var database = env.get("ROOST_MAIL_POSTGRES_URL").substring(env.get("ROOST_MAIL_POSTGRES_URL").lastIndexOf('/') + 1);
        servers.postgres().execute(database, "SELECT uid_next, highest_modseq FROM mailboxes");
        long migrations;
        try (var files = Files.list(Path.of("src/main/resources/db/roost-mail"))) {
            migrations = files.filter(file -> file.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
        }
        servers.postgres().execute(database, ("DO $$ BEGIN IF (SELECT count(*) FROM roost_schema_history WHERE success)"
                + " <> %d OR (SELECT count(DISTINCT version) FROM roost_schema_history WHERE success) <> %d THEN"
                + " RAISE EXCEPTION 'not every migration once'; END IF; END $$").formatted(migrations, migrations));
    }

    @Test
    void refusesAMaildirLocationAndBadArguments() throws Exception {
        var err = new ByteArrayOutputStream();
        var stream = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(Main.EXIT_USAGE, Main.run(List.of("db"), stream, stream));
        assertEquals(Main.EXIT_USAGE, Main.run(List.of("db", "drop"), stream, stream));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage: roost db migrate"));
        var config = dir.resolve("maildir.yaml");
        Files.writeString(config, "data: " + dir.resolve("data") + "\nmail: {location: \"maildir:" + dir + "/%u\"}\n");
        assertEquals(Main.EXIT_USAGE, Main.run(List.of("db", "migrate", "--config", config.toString()), stream, stream));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("not a postgres: location"));
    }
}
