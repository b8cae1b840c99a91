package org.roost.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.mail.StoredMessage;
import org.roost.mail.SystemFlag;
import org.roost.storage.MailLocation;
import org.roost.storage.maildir.MaildirDriver;
import org.roost.storage.maildir.MaildirOptions;
import org.roost.storage.postgres.PostgresDriver;
import org.roost.testing.MailDatabaseServers;
import org.roost.testing.PostgresServer;
import org.roost.testing.S3Server;
import org.roost.testing.TestServer;

/**
 * {@code roost migrate}: a Maildir Dovecot wrote and an mbox as mutt writes it move into the database store with
 * their UIDVALIDITY, UIDs, flags, keywords and dates; {@code --verify} finds both sides the same, and finds what a
 * cut-short run left out, which running it again copies.
 */
@Timeout(180)
class MigrateCommandTest {
    @TempDir
    Path dir;
    private MailDatabaseServers servers;
    private Map<String, String> environment;
    private Path config;

    @BeforeEach
    void configure() throws IOException {
        servers = MailDatabaseServers.shared();
        environment = servers.environment();
        config = Files.writeString(dir.resolve("roost.yaml"), """
                data: %s
                mail:
                  location: "postgres:%%u"
                  postgres: {url: "%s", user: postgres, password: "%s"}
                  s3: {bucket: %s, endpoint: "%s", pathStyle: true, accessKey: %s, secretKey: %s}
                """.formatted(dir.resolve("data"), environment.get("ROOST_MAIL_POSTGRES_URL"),
                PostgresServer.SUPERUSER_PASSWORD, MailDatabaseServers.BUCKET, servers.s3().endpoint(),
                S3Server.ACCESS_KEY, S3Server.SECRET_KEY));
    }

    private record Run(int code, String out) {}

    private Run migrate(String... arguments) {
        var args = new ArrayList<>(List.of("migrate", "--config", config.toString()));
        args.addAll(List.of(arguments));
        var out = new ByteArrayOutputStream();
        var stream = new PrintStream(out, true, StandardCharsets.UTF_8);
        int code = Main.run(args, stream, stream);
        return new Run(code, out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aDovecotMaildirMovesInWithItsUidsAndACutShortRunIsCompleted() throws Exception {
        var from = "maildir:" + dir.resolve("mail") + "/%u";
        var maildir = copyDovecotFixture(dir.resolve("mail").resolve("dove"));
        var copied = migrate("--from", from, "dove");
        assertEquals(0, copied.code(), copied.out());
        var verified = migrate("--from", from, "--verify", "dove");
        assertEquals(0, verified.code(), verified.out());
        assertTrue(verified.out().contains("both sides are the same"), verified.out());
        var first = "uid = (SELECT min(uid) FROM messages WHERE mailbox_id = (SELECT id FROM mailboxes"
                + " WHERE name = 'INBOX')) AND mailbox_id = (SELECT id FROM mailboxes WHERE name = 'INBOX')";
        servers.postgres().execute(databaseName(), "UPDATE messages SET save_date = save_date - interval '1 day'"
                + " WHERE " + first);
        var redated = migrate("--from", from, "--verify", "dove");
        assertEquals(Main.EXIT_FAILURE, redated.code(), redated.out());
        assertTrue(redated.out().contains(": save date "), redated.out());
        servers.postgres().execute(databaseName(), "UPDATE messages SET save_date = save_date + interval '1 day'"
                + " WHERE " + first);

        var uidValidity = Long.parseLong(Files.readString(maildir.resolve("dovecot-uidlist")).lines().findFirst()
                .orElseThrow().split(" ")[1].substring(1));
        try (var driver = database()) {
            var inbox = driver.open(driver.locate("dove")).mailbox("INBOX");
            assertEquals(uidValidity, inbox.uidValidity(), "UIDVALIDITY kept");
            var messages = inbox.scan();
            var last = messages.getLast();
            servers.postgres().execute(databaseName(), "DELETE FROM messages WHERE uid = " + last.uid()
                    + " AND mailbox_id = (SELECT id FROM mailboxes WHERE name = 'INBOX')");
        }
        var cutShort = migrate("--from", from, "--verify", "dove");
        assertEquals(Main.EXIT_FAILURE, cutShort.code(), cutShort.out());
        assertTrue(cutShort.out().contains("missing on the other side"), cutShort.out());
        var resumed = migrate("--from", from, "dove");
        assertTrue(resumed.out().contains("INBOX: 1 messages copied"), resumed.out());
        assertEquals(0, migrate("--from", from, "--verify", "dove").code());

        var back = "maildir:" + dir.resolve("back") + "/%u";
        var exported = migrate("--to", back, "dove");
        assertEquals(0, exported.code(), exported.out());
        var outVerified = migrate("--to", back, "--verify", "dove");
        assertEquals(0, outVerified.code(), "the way out kept everything: " + outVerified.out());
        assertTrue(migrate("--to", back, "dove").out().contains("INBOX: 0 messages copied"), "nothing twice");
        var header = Files.readString(dir.resolve("back").resolve("dove").resolve("dovecot-uidlist")).lines()
                .findFirst().orElseThrow();
        assertTrue(header.startsWith("3 V" + uidValidity + " "), header);
        var original = new MaildirDriver(MaildirOptions.defaults().withFsync(false)).open(maildir);
        var returned = new MaildirDriver(MaildirOptions.defaults().withFsync(false))
                .open(dir.resolve("back").resolve("dove"));
        var comparison = MailComparison.compare(original, returned, false, 10);
        assertEquals(List.of(), comparison.differences(), "Dovecot's Maildir in and out again is the same mail");
        assertTrue(comparison.messages() > 0);
    }

    /**
     * A mailbox Roost served from a Maildir moves in with the MODSEQs its clients hold behind the database's: a
     * CONDSTORE client that kept the Maildir server's HIGHESTMODSEQ is told every message may have changed, never
     * that nothing did (RFC 7162 §3.1: a mod-sequence never goes back).
     */
    @Test
    void theModseqsAMaildirServerHandedOutStayBehindTheDatabases() throws Exception {
        var mail = dir.resolve("served");
        long held;
        try (var maildir = TestServer.start(dir.resolve("maildir-server"),
                Map.of("ROOST_MAIL_LOCATION", "maildir:" + mail + "/%u")); var c = loginAlice(maildir)) {
            assertTrue(c.append("INBOX", "Subject: one\r\n\r\nx\r\n").ok());
            assertTrue(c.append("INBOX", "Subject: two\r\n\r\ny\r\n").ok());
            c.expectOk("SELECT INBOX (CONDSTORE)");
            for (int i = 0; i < 30; i++) {
                c.expectOk("STORE 1 " + (i % 2 == 0 ? "+" : "-") + "FLAGS (\\Flagged)");
            }
            held = highestModseq(c.expectOk("STATUS INBOX (HIGHESTMODSEQ)").untagged().getFirst());
        }
        var copied = migrate("--from", "maildir:" + mail + "/%u", TestServer.ALICE);
        assertEquals(0, copied.code(), copied.out());
        try (var database = TestServer.start(dir.resolve("database-server"), environment); var c = loginAlice(database)) {
            var selected = c.expectOk("SELECT INBOX (CONDSTORE)").untagged();
            long highest = selected.stream().filter(l -> l.contains("HIGHESTMODSEQ")).mapToLong(
                    MigrateCommandTest::highestModseq).findFirst().orElseThrow();
            assertTrue(highest > held, highest + " after the Maildir server's " + held);
            var changed = c.expectOk("UID FETCH 1:* (FLAGS) (CHANGEDSINCE " + held + ")").untagged();
            assertEquals(2, changed.size(), changed.toString());
            c.expectOk("STORE 2 +FLAGS (\\Seen)");
            held = highestModseq(c.expectOk("STATUS INBOX (HIGHESTMODSEQ)").untagged().getFirst());
        }
        var back = dir.resolve("back");
        var exported = migrate("--to", "maildir:" + back + "/%u", TestServer.ALICE);
        assertEquals(0, exported.code(), exported.out());
        try (var maildir = TestServer.start(dir.resolve("maildir-again"),
                Map.of("ROOST_MAIL_LOCATION", "maildir:" + back + "/%u")); var c = loginAlice(maildir)) {
            c.expectOk("SELECT INBOX (CONDSTORE)");
            long highest = highestModseq(c.expectOk("STATUS INBOX (HIGHESTMODSEQ)").untagged().getFirst());
            assertTrue(highest > held, highest + " after the database's " + held + ", on the way out too");
        }
    }

    /** RFC 5464 annotations go in and out with the mail, and {@code --verify} compares them. */
    @Test
    void annotationsMoveInAndOutAndAreVerified() throws Exception {
        var mail = dir.resolve("annotated");
        var entries = "(/private/comment \"mine\" /shared/comment \"ours\")";
        try (var maildir = TestServer.start(dir.resolve("maildir-server"),
                Map.of("ROOST_MAIL_LOCATION", "maildir:" + mail + "/%u")); var c = loginAlice(maildir)) {
            c.expectOk("CREATE Work");
            c.expectOk("SETMETADATA Work " + entries);
            c.expectOk("SETMETADATA INBOX (/private/comment \"inbox\")");
            c.expectOk("SETMETADATA \"\" (/private/comment \"server\")");
        }
        var from = "maildir:" + mail + "/%u";
        assertEquals(0, migrate("--from", from, TestServer.ALICE).code());
        assertEquals(0, migrate("--from", from, "--verify", TestServer.ALICE).code());
        var expected = List.of("* METADATA \"Work\" (/private/comment \"mine\" /shared/comment \"ours\")",
                "* METADATA \"INBOX\" (/private/comment \"inbox\")",
                "* METADATA \"\" (/private/comment \"server\")");
        try (var database = TestServer.start(dir.resolve("database-server"), environment); var c = loginAlice(database)) {
            assertEquals(expected, annotations(c));
            c.expectOk("SETMETADATA Work (/private/comment \"changed\")");
            var verified = migrate("--from", from, "--verify", TestServer.ALICE);
            assertEquals(Main.EXIT_FAILURE, verified.code(), verified.out());
            assertTrue(verified.out().contains("Work: annotations differ"), verified.out());
            c.expectOk("SETMETADATA Work (/private/comment \"mine\")");
        }
        var back = dir.resolve("back");
        assertEquals(0, migrate("--to", "maildir:" + back + "/%u", TestServer.ALICE).code());
        assertEquals(0, migrate("--to", "maildir:" + back + "/%u", "--verify", TestServer.ALICE).code());
        try (var maildir = TestServer.start(dir.resolve("maildir-again"),
                Map.of("ROOST_MAIL_LOCATION", "maildir:" + back + "/%u")); var c = loginAlice(maildir)) {
            assertEquals(expected, annotations(c));
        }
    }

    private static List<String> annotations(org.roost.testing.RawImapClient c) throws IOException {
        var lines = new ArrayList<String>();
        lines.addAll(c.expectOk("GETMETADATA Work (/private/comment /shared/comment)").untagged());
        lines.addAll(c.expectOk("GETMETADATA INBOX /private/comment").untagged());
        lines.addAll(c.expectOk("GETMETADATA \"\" /private/comment").untagged());
        return lines;
    }

    private static org.roost.testing.RawImapClient loginAlice(TestServer server) throws IOException {
        var client = server.connect();
        client.expectOk("LOGIN " + TestServer.ALICE + " \"" + TestServer.ALICE_PASSWORD + "\"");
        return client;
    }

    private static long highestModseq(String line) {
        var m = java.util.regex.Pattern.compile("HIGHESTMODSEQ (\\d+)").matcher(line);
        assertTrue(m.find(), line);
        return Long.parseLong(m.group(1));
    }

    @Test
    void aMuttMboxMovesInWithItsFlags() throws Exception {
        var spool = Files.createDirectories(dir.resolve("mbox").resolve("mutt"));
        Files.writeString(spool.resolve("Sent"), """
                From me@example.org Mon Jan  1 10:00:00 2024
                From: me@example.org
                To: you@example.org
                Subject: sent one
                Status: RO
                X-Status: A

                >From the first line of a quoted body

                """);
        var inbox = Files.writeString(dir.resolve("mutt.inbox"), """
                From you@example.org Tue Jan  2 11:00:00 2024
                From: you@example.org
                Subject: unread

                hello

                From you@example.org Wed Jan  3 12:00:00 2024
                From: you@example.org
                Subject: flagged and read
                Status: RO
                X-Status: F

                hi again
                """);
        var from = "mbox:" + dir.resolve("mbox") + "/%u:INBOX=" + inbox;
        var copied = migrate("--from", from, "mutt");
        assertEquals(0, copied.code(), copied.out());
        var verified = migrate("--from", from, "--verify", "mutt");
        assertEquals(0, verified.code(), verified.out());
        try (var driver = database()) {
            var store = driver.open(driver.locate("mutt"));
            var inboxMessages = store.mailbox("INBOX").scan();
            assertEquals(List.of(1L, 2L), inboxMessages.stream().map(StoredMessage::uid).toList());
            assertEquals(Set.of(SystemFlag.SEEN, SystemFlag.FLAGGED), inboxMessages.get(1).flags());
            assertEquals(Instant.parse("2024-01-03T12:00:00Z").getEpochSecond(),
                    inboxMessages.get(1).internalDate().getEpochSecond(), "the From line's date");
            var sent = store.mailbox("Sent").scan();
            assertEquals(Set.of(SystemFlag.SEEN, SystemFlag.ANSWERED), sent.getFirst().flags());
        }
    }

    /**
     * A migration killed with SIGKILL after its first batch committed, while its second waits for a lock the test
     * holds: running it again copies the rest, and both sides are then the same.
     */
    @Test
    void aMigrationKilledMidwayIsFinishedByRunningItAgain() throws Exception {
        var cur = Files.createDirectories(dir.resolve("mail").resolve("big").resolve("cur"));
        Files.createDirectories(dir.resolve("mail").resolve("big").resolve("new"));
        Files.createDirectories(dir.resolve("mail").resolve("big").resolve("tmp"));
        int total = 250;
        for (int i = 0; i < total; i++) {
            Files.writeString(cur.resolve("17000000" + (10 + i) + ".M" + i + "P1.mx:2,S"),
                    "Subject: number " + i + "\n\nbody " + i + "\n");
        }
        var from = "maildir:" + dir.resolve("mail") + "/%u";
        var java = ProcessHandle.current().info().command().orElse("java");
        var migration = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "org.roost.server.Main", "migrate", "--config", config.toString(), "--from", from, "big")
                .redirectErrorStream(true).redirectOutput(dir.resolve("migrate.log").toFile());
        migration.environment().keySet().removeIf(k -> k.startsWith("ROOST_"));
        var process = migration.start();
        try (var lock = DriverManager.getConnection(environment.get("ROOST_MAIL_POSTGRES_URL"), "postgres",
                PostgresServer.SUPERUSER_PASSWORD)) {
            awaitMessages(lock, 100);
            lock.setAutoCommit(false);
            lock.createStatement().execute("SELECT 1 FROM mailboxes WHERE name = 'INBOX' FOR UPDATE");
            PostgresServer.awaitRoostWaitingForALock(lock, "the migration's second batch never waited for the test's lock");
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
            lock.rollback();
            lock.setAutoCommit(true);
            assertEquals(100, count(lock), "the first batch is in, the second not at all");
        }
        var resumed = migrate("--from", from, "big");
        assertEquals(0, resumed.code(), resumed.out());
        assertTrue(resumed.out().contains("INBOX: " + (total - 100) + " messages copied"), resumed.out());
        assertEquals(0, migrate("--from", from, "--verify", "big").code());
    }

    private static long count(Connection c) throws SQLException {
        try (var rows = c.createStatement().executeQuery("SELECT count(*) FROM messages")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Waits for {@code atLeast} message rows (the migration makes the schema first: no table is none). */
    private static void awaitMessages(Connection c, long atLeast) throws Exception {
        for (int i = 0; i < 12_000; i++) {
            try {
                if (count(c) >= atLeast) {
                    return;
                }
            } catch (SQLException noTableYet) {
                // 42P01 until Flyway ran
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the first batch never committed");
    }

    @Test
    void refusesBadArgumentsAndAMaildirTarget() throws Exception {
        assertEquals(Main.EXIT_USAGE, migrate("dove").code(), "no --from");
        assertEquals(Main.EXIT_USAGE, migrate("--from", "maildir:/x/%u").code(), "no user");
        assertEquals(Main.EXIT_USAGE, migrate("--from", "maildir:/x/%u", "--bogus", "dove").code());
        assertEquals(Main.EXIT_USAGE, migrate("--from", "maildir:/x/%u", "--to", "maildir:/y/%u", "dove").code());
        config = Files.writeString(dir.resolve("maildir.yaml"),
                "data: " + dir.resolve("data") + "\nmail: {location: \"maildir:" + dir + "/%u\"}\n");
        var run = migrate("--from", "maildir:/x/%u", "dove");
        assertEquals(Main.EXIT_USAGE, run.code());
        assertTrue(run.out().contains("not a postgres: location"), run.out());
    }

    private PostgresDriver database() throws IOException {
        var settings = TestServer.config(dir.resolve("check"), environment);
        return PostgresDriver.open(MailLocation.parse("postgres:%u"), settings.mail(), settings.data());
    }

    private String databaseName() {
        var url = environment.get("ROOST_MAIL_POSTGRES_URL");
        return url.substring(url.lastIndexOf('/') + 1);
    }

    /** The Maildir Debian's Dovecot wrote (see DovecotFixtureTest), with the mtimes its generator recorded. */
    private static Path copyDovecotFixture(Path to) throws Exception {
        var resources = Path.of(MigrateCommandTest.class.getResource("/maildir").toURI());
        var from = resources.resolve("dovecot-fixture");
        try (Stream<Path> tree = Files.walk(from)) {
            for (var path : tree.toList()) {
                var target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
        for (var line : Files.readAllLines(resources.resolve("dovecot-fixture-mtimes.txt"), StandardCharsets.UTF_8)) {
            var fields = line.split("\t");
            Files.setLastModifiedTime(to.resolve(fields[0]),
                    FileTime.from(Instant.ofEpochSecond(Long.parseLong(fields[1]))));
        }
        return to;
    }
}
