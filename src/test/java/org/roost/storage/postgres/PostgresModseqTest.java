package org.roost.storage.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.MailDatabaseServers;
import org.roost.testing.PostgresServer;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * MODSEQs shared by replicas (RFC 7162): two Roost servers on one database, as two pods behind one Service, answer
 * CONDSTORE and QRESYNC clients identically whichever of them made the changes, because both serve the database's
 * MODSEQs; and a MODSEQ a client was shown never goes back, across a restart, a rebuilt local index or a kill -9.
 */
@Timeout(300)
class PostgresModseqTest {
    private static final String USER = "carol";
    private static final Pattern HIGHEST = Pattern.compile("HIGHESTMODSEQ (\\d+)");
    @TempDir
    Path dir;
    private Map<String, String> environment;
    private TestServer one;
    private TestServer two;

    @BeforeEach
    void start() throws IOException {
        environment = MailDatabaseServers.shared().environment();
        one = replica("one");
        two = replica("two");
    }

    @AfterEach
    void stop() {
        one.close();
        two.close();
    }

    /** An in-process server on this test's database, with a data directory (and so a local index) of its own. */
    private TestServer replica(String name) throws IOException {
        var home = Files.createDirectories(dir.resolve(name));
        Files.writeString(home.resolve("passwd"), USER + ":{PLAIN}" + TestServer.PASSWORD + "::::::\n");
        return TestServer.start(home, environment);
    }

    @Test
    void changesThroughOneReplicaAreAnsweredIdenticallyByTheOther() throws Exception {
        try (var a = one.login(USER); var b = two.login(USER)) {
            for (int i = 1; i <= 7; i++) {
                assertTrue(a.append("INBOX", "Subject: m" + i + "\r\n\r\nbody " + i + "\r\n").ok());
            }
            enableAndSelect(a);
            long seen = highestModseq(enableAndSelect(b)); // b's index is built now, before the changes
            assertEquals(seen, statusModseq(a), "the same HIGHESTMODSEQ before any change");

            a.expectOk("UID STORE 1 +FLAGS (\\Flagged)");
            a.expectOk("UID STORE 4 +FLAGS (\\Seen)");
            a.expectOk("UID STORE 4 -FLAGS (\\Seen)"); // flags as before, MODSEQ moved
            a.expectOk("UID STORE 2,3,5 +FLAGS.SILENT (\\Deleted)");
            a.expectOk("EXPUNGE"); // two runs of UIDs: 2:3 and 5
            a.expectOk("UID STORE 7 +FLAGS.SILENT (\\Deleted)");
            a.expectOk("UID EXPUNGE 7");
            assertTrue(a.append("INBOX", "Subject: m8\r\n\r\nbody 8\r\n").ok());
            b.expectOk("NOOP");

            var changed = "UID FETCH 1:* (FLAGS) (CHANGEDSINCE " + seen + ")";
            assertEquals(a.expectOk(changed).untagged(), b.expectOk(changed).untagged(), changed);
            var search = "UID SEARCH MODSEQ " + seen;
            assertEquals(untagged(a, search), untagged(b, search), search);
            var status = "STATUS INBOX (HIGHESTMODSEQ UIDNEXT MESSAGES)";
            assertEquals(a.expectOk(status).untagged(), b.expectOk(status).untagged(), status);

            var resync = "SELECT INBOX (QRESYNC (" + uidValidity(a) + " " + seen + " 1:8))";
            var fromOne = a.expectOk(resync).untagged();
            var fromTwo = b.expectOk(resync).untagged();
            assertEquals(fromOne, fromTwo, resync);
            assertTrue(fromTwo.contains("* VANISHED (EARLIER) 2:3,5,7"), fromTwo.toString());
            assertTrue(fromTwo.stream().anyMatch(l -> l.contains("UID 4 ") && l.contains("MODSEQ")),
                    "a flag set and cleared again through the other replica is a change: " + fromTwo);
            assertTrue(highestModseq(fromTwo) > seen, fromTwo.toString());
        }
    }

    /**
     * A STORE through one replica starts from the flags the other replica committed meanwhile, though this session
     * was told of nothing since: it neither undoes them nor passes an UNCHANGEDSINCE they made stale.
     */
    @Test
    void aStoreThroughOneReplicaKeepsWhatTheOtherChangedMeanwhile() throws Exception {
        try (var a = one.login(USER); var b = two.login(USER)) {
            assertTrue(a.append("INBOX", "Subject: m1\r\n\r\nbody\r\n").ok());
            enableAndSelect(b);
            long seen = highestModseq(enableAndSelect(a));
            b.expectOk("UID STORE 1 +FLAGS (\\Seen)");

            // names the flag the other replica set (RFC 7162 §3.1.12: a change of other flags would be no conflict)
            var conditional = a.run("UID STORE 1 (UNCHANGEDSINCE " + seen + ") -FLAGS (\\Seen)");
            assertTrue(conditional.tagged().contains("OK [MODIFIED 1]"), conditional.toString());
            var stored = a.expectOk("UID STORE 1 +FLAGS (\\Flagged)").untagged().toString();
            assertTrue(stored.contains("\\Seen") && stored.contains("\\Flagged"),
                    stored);
            var fetched = b.expectOk("UID FETCH 1 (FLAGS)").untagged().toString();
            assertTrue(fetched.contains("\\Seen") && fetched.contains("\\Flagged"),
                    fetched);
        }
    }

    /**
     * Two STOREs of one message through two replicas, each computed from the flags as its replica read them before
     * the other committed: the test holds the mailbox row so that both have read and wait to write, then lets them
     * go. The one that writes second finds the message changed since its read and computes again, so neither flag
     * is lost.
     */
    @Test
    void twoStoresOfOneMessageRacingThroughTwoReplicasBothTakeEffect() throws Exception {
        try (var a = one.login(USER); var b = two.login(USER); var holder = database(); var monitor = database()) {
            assertTrue(a.append("INBOX", "Subject: m1\r\n\r\nbody\r\n").ok());
            enableAndSelect(a);
            enableAndSelect(b);
            holder.setAutoCommit(false);
            holder.createStatement().execute("SELECT id FROM mailboxes FOR UPDATE");
            a.send("a1 UID STORE 1 +FLAGS (\\Seen)");
            PostgresServer.awaitRoostWaitingForLocks(monitor, 1, "the first STORE never waited for the test's lock");
            b.send("b1 UID STORE 1 +FLAGS (\\Flagged)");
            PostgresServer.awaitRoostWaitingForLocks(monitor, 2, "the second STORE never waited for the test's lock");
            holder.commit();
            assertTrue(a.readUntilTagged("a1").ok());
            assertTrue(b.readUntilTagged("b1").ok());

            for (var client : List.of(a, b)) {
                var fetched = client.expectOk("UID FETCH 1 (FLAGS)").untagged().toString();
                assertTrue(fetched.contains("\\Seen") && fetched.contains("\\Flagged"), fetched);
            }
        }
    }

    /**
     * Another server that changes the message between every read and write (a trigger that changes it within the
     * write, before the check): the STORE gives up after its bounded attempts and the client may try again later;
     * nothing was written.
     */
    @Test
    void aStoreThatAlwaysFindsTheMessageChangedGivesUpAsInUse() throws Exception {
        try (var a = one.login(USER); var c = database()) {
            assertTrue(a.append("INBOX", "Subject: m1\r\n\r\nbody\r\n").ok());
            enableAndSelect(a);
            c.createStatement().execute("""
                    CREATE FUNCTION changed_meanwhile() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        IF NEW.highest_modseq <> OLD.highest_modseq THEN
                            NEW.highest_modseq := NEW.highest_modseq + 1;
                            UPDATE messages SET modseq = NEW.highest_modseq WHERE mailbox_id = NEW.id;
                        END IF;
                        RETURN NEW;
                    END $$;
                    CREATE TRIGGER changed_meanwhile BEFORE UPDATE ON mailboxes
                        FOR EACH ROW EXECUTE FUNCTION changed_meanwhile();
                    """);
            var refused = a.run("UID STORE 1 +FLAGS (\\Seen)");
            assertTrue(refused.tagged().contains("NO [INUSE]"), refused.toString());

            c.createStatement().execute("DROP TRIGGER changed_meanwhile ON mailboxes");
            var fetched = a.expectOk("UID FETCH 1 (FLAGS)").untagged().toString();
            assertTrue(fetched.contains("FLAGS ()"), fetched);
        }
    }

    private Connection database() throws SQLException {
        return DriverManager.getConnection(environment.get("ROOST_MAIL_POSTGRES_URL"),
                environment.get("ROOST_MAIL_POSTGRES_USER"), environment.get("ROOST_MAIL_POSTGRES_PASSWORD"));
    }

    @Test
    void aModseqNeverGoesBackAcrossARestartOrARebuiltIndex() throws Exception {
        long before;
        try (var a = one.login(USER); var b = two.login(USER)) {
            assertTrue(a.append("INBOX", "Subject: m1\r\n\r\nbody\r\n").ok());
            enableAndSelect(b);
            enableAndSelect(a);
            a.expectOk("STORE 1 +FLAGS (\\Answered)");
            b.expectOk("NOOP");
            before = statusModseq(b);
            assertEquals(statusModseq(a), before);
        }
        two.close();
        two = replica("two");
        assertEquals(before, highestModseqSelecting(two), "after a restart on its index");

        two.close();
        deleteTree(dir.resolve("two").resolve("data").resolve("postgres-index"));
        two = replica("two");
        assertEquals(before, highestModseqSelecting(two), "after its index was rebuilt from the database");

        try (var a = one.login(USER)) {
            enableAndSelect(a);
            a.expectOk("STORE 1 -FLAGS (\\Answered)");
        }
        long after = highestModseqSelecting(two);
        assertTrue(after > before, after + " after " + before);
        assertEquals(after, highestModseqSelecting(one));
    }

    @Test
    void aKilledReplicaComesBackWithTheDatabasesModseqs() throws Exception {
        try (var replica = new Replica(dir.resolve("killed"), environment, USER).start()) {
            long database;
            try (var c = replica.login(USER)) {
                assertTrue(c.append("INBOX", "Subject: m1\r\n\r\nbody\r\n").ok());
                long appended = highestModseq(enableAndSelect(c));
                for (int i = 0; i < 20; i++) {
                    c.expectOk("STORE 1 " + (i % 2 == 0 ? "+" : "-") + "FLAGS (\\Flagged)");
                }
                c.send("k1 STORE 1 +FLAGS (\\Seen)");
                replica.kill(); // with the last STORE in flight: it committed or it did not
                database = highestModseqSelecting(one);
                assertTrue(database >= appended + 20, "every acknowledged STORE moved it: " + database);
            }
            replica.start();
            try (var c = replica.login(USER)) {
                var selected = enableAndSelect(c);
                assertEquals(database, highestModseq(selected), selected.toString());
                var fetch = "FETCH 1 (FLAGS MODSEQ)";
                try (var a = one.login(USER)) {
                    enableAndSelect(a);
                    assertEquals(a.expectOk(fetch).untagged(), c.expectOk(fetch).untagged());
                }
            }
        }
    }

    /** IMAP4rev2 too: \Recent, which each replica claims for its own sessions, is not shown. */
    private static List<String> enableAndSelect(RawImapClient client) throws IOException {
        client.expectOk("ENABLE QRESYNC IMAP4rev2");
        return client.expectOk("SELECT INBOX").untagged();
    }

    private long highestModseqSelecting(TestServer server) throws IOException {
        try (var c = server.login(USER)) {
            return highestModseq(enableAndSelect(c));
        }
    }

    private static long highestModseq(RawImapClient.Response response) {
        return highestModseq(response.untagged());
    }

    private static long highestModseq(List<String> lines) {
        var found = new ArrayList<Long>();
        for (var line : lines) {
            var m = HIGHEST.matcher(line);
            if (m.find()) {
                found.add(Long.parseLong(m.group(1)));
            }
        }
        assertEquals(1, found.size(), "one HIGHESTMODSEQ in " + lines);
        return found.getFirst();
    }

    /** The untagged answer to {@code command}, without ESEARCH's tag (each client numbers its own). */
    private static List<String> untagged(RawImapClient client, String command) throws IOException {
        return client.expectOk(command).untagged().stream().map(l -> l.replaceFirst(" \\(TAG \"[^\"]*\"\\)", ""))
                .toList();
    }

    private static long statusModseq(RawImapClient client) throws IOException {
        return highestModseq(client.expectOk("STATUS INBOX (HIGHESTMODSEQ)"));
    }

    private static long uidValidity(RawImapClient client) throws IOException {
        var status = client.expectOk("STATUS INBOX (UIDVALIDITY)").untagged().getFirst();
        var m = Pattern.compile("UIDVALIDITY (\\d+)").matcher(status);
        assertTrue(m.find(), status);
        return Long.parseLong(m.group(1));
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (var p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
