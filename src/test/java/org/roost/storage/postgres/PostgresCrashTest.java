package org.roost.storage.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.storage.MailLocation;
import org.roost.testing.MailDatabaseServers;
import org.roost.testing.PostgresServer;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * A server process killed with SIGKILL at the two moments an APPEND is most exposed: after its body is in the
 * bucket but before its row exists, and after its rows are inserted but before their transaction commits. The
 * test holds a lock the APPEND must wait for, so the kill lands exactly there. After a restart nothing
 * acknowledged is lost, nothing unacknowledged is visible, every message row has its body, and the body left
 * behind is an orphan the collector takes.
 */
@Timeout(300)
class PostgresCrashTest {
    private static final Pattern SUBJECT = Pattern.compile("Subject: (\\w+)");
    private static final String USER = "crash";
    @TempDir
    Path dir;
    private MailDatabaseServers servers;
    private Map<String, String> environment;
    private Replica server;

    @BeforeEach
    void configure() throws IOException {
        servers = MailDatabaseServers.shared();
        environment = servers.environment();
        server = new Replica(dir.resolve("server"), environment, USER);
    }

    @AfterEach
    void stop() throws InterruptedException {
        server.close();
    }

    private void startServer() throws IOException, InterruptedException {
        server.start();
    }

    private void kill() throws InterruptedException {
        server.kill();
    }

    private RawImapClient login() throws IOException {
        var client = server.login(USER);
        client.expectOk("SELECT INBOX");
        return client;
    }

    private Connection database() throws SQLException {
        return DriverManager.getConnection(environment.get("ROOST_MAIL_POSTGRES_URL"), "postgres",
                PostgresServer.SUPERUSER_PASSWORD);
    }

    private static byte[] message(String subject) {
        return ("Subject: " + subject + "\r\nFrom: a@b.example\r\n\r\nbody of " + subject + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void killedBetweenTheUploadAndTheRow() throws Exception {
        startServer();
        try (var client = login()) {
            assertTrue(client.appendAtOnce("INBOX", "()", message("kept")).ok());
        }
        try (var lock = database()) {
            lock.setAutoCommit(false);
            lock.createStatement().execute("SELECT 1 FROM mailboxes WHERE name = 'INBOX' FOR UPDATE");
            appendInBackground(List.of("lost"));
            waitForBlockedBackend();
            assertTrue(stored(key(message("lost"))), "the body was uploaded before the row was waited for");
            kill();
            lock.rollback();
        }
        startServer();
        assertEquals(List.of("kept"), subjects());
        checkEveryRowHasItsBody();
        collect();
        assertFalse(objectExists(key(message("lost"))), "the orphan was collected");
        assertTrue(objectExists(key(message("kept"))));
    }

    @Test
    void killedBetweenTheRowsAndTheCommit() throws Exception {
        startServer();
        long nextUid;
        try (var client = login()) {
            assertTrue(client.appendAtOnce("INBOX", "()", message("kept")).ok());
        }
        try (var lock = database()) {
            lock.setAutoCommit(false);
            // A row of the UID the second message will get: the server's insert of it waits for this transaction,
            // after the first message's row is in.
            try (var s = lock.createStatement(); var rows = s.executeQuery(
                    "SELECT id, uid_next FROM mailboxes WHERE name = 'INBOX'")) {
                rows.next();
                nextUid = rows.getLong(2);
                s.execute("INSERT INTO messages (mailbox_id, uid, body_key, flags, modseq, internal_date, physical_size,"
                        + " virtual_size) SELECT mailbox_id, " + (nextUid + 1) + ", body_key, 0, 1, now(), 1, 1"
                        + " FROM messages WHERE mailbox_id = " + rows.getLong(1) + " LIMIT 1");
            }
            appendInBackground(List.of("first", "second"));
            waitForBlockedBackend();
            kill();
            lock.rollback();
        }
        startServer();
        assertEquals(List.of("kept"), subjects(), "a MULTIAPPEND is all or none");
        checkEveryRowHasItsBody();
        try (var client = login()) {
            var r = client.appendAtOnce("INBOX", "()", message("after"));
            assertTrue(r.tagged().contains(" " + nextUid + "]"), "the UIDs of the lost commit are free: " + r);
        }
    }

    /**
     * Two replicas on one database: the one killed mid-APPEND leaves the other's IDLE client nothing to see (the
     * next change it hears of is the survivor's own), and no row without its body.
     */
    @Test
    void aReplicaKilledMidAppendShowsTheOtherNothing() throws Exception {
        startServer();
        try (var other = new Replica(dir.resolve("other"), environment, USER).start();
                var idler = other.login(USER)) {
            try (var client = login()) {
                assertTrue(client.appendAtOnce("INBOX", "()", message("kept")).ok());
            }
            idler.expectOk("SELECT INBOX");
            idler.send("i1 IDLE");
            assertTrue(idler.readLine().startsWith("+ "));
            try (var lock = database()) {
                lock.setAutoCommit(false);
                lock.createStatement().execute("SELECT 1 FROM mailboxes WHERE name = 'INBOX' FOR UPDATE");
                appendInBackground(List.of("lost"));
                waitForBlockedBackend();
                kill();
                lock.rollback();
            }
            try (var client = other.login(USER)) {
                assertTrue(client.appendAtOnce("INBOX", "()", message("after")).ok());
            }
            assertEquals("* 2 EXISTS", idler.readLine(), "the killed APPEND never showed");
            idler.send("DONE");
            assertTrue(idler.readUntilTagged("i1").ok());
            assertEquals(List.of("kept", "after"), subjects(other));
        }
        checkEveryRowHasItsBody();
    }

    /** Sends an APPEND (a MULTIAPPEND for several) whose answer the kill will cut off. */
    private void appendInBackground(List<String> subjects) throws IOException {
        var client = server.login(USER);
        var command = new StringBuilder("a1 APPEND INBOX");
        var literals = new ArrayList<byte[]>();
        for (var subject : subjects) {
            var bytes = message(subject);
            command.append(" {").append(bytes.length).append("+}\r\n");
            literals.add(bytes);
        }
        Thread.ofVirtual().start(() -> {
            try (client) {
                var parts = command.toString().split("\r\n");
                for (int i = 0; i < literals.size(); i++) {
                    client.write(parts[i] + "\r\n");
                    client.write(literals.get(i));
                }
                client.write("\r\n");
                client.readUntilTagged("a1");
            } catch (IOException killed) {
                // the server died before it answered: as it should
            }
        });
    }

    /** Waits until a server connection waits for a lock the test holds. */
    private void waitForBlockedBackend() throws Exception {
        try (var c = database()) {
            PostgresServer.awaitRoostWaitingForALock(c, "the APPEND never waited for the test's lock");
        }
    }

    private List<String> subjects() throws IOException {
        return subjects(server);
    }

    private static List<String> subjects(Replica replica) throws IOException {
        try (var client = replica.login(USER)) {
            client.expectOk("SELECT INBOX");
            var r = client.expectOk("UID FETCH 1:* (BODY.PEEK[HEADER.FIELDS (SUBJECT)])");
            var subjects = new ArrayList<String>();
            var m = SUBJECT.matcher(String.join("\n", r.untagged()));
            while (m.find()) {
                subjects.add(m.group(1));
            }
            return subjects;
        }
    }

    private void checkEveryRowHasItsBody() throws Exception {
        try (var c = database(); var rows = c.createStatement().executeQuery(
                "SELECT m.body_key, b.stored FROM messages m LEFT JOIN bodies b ON b.key = m.body_key")) {
            while (rows.next()) {
                assertTrue(rows.getBoolean(2), "the body row of a message says stored");
                assertTrue(objectExists(rows.getString(1)), "the object of a message's body exists");
            }
        }
    }

    private boolean stored(String key) throws Exception {
        try (var c = database(); var s = c.prepareStatement("SELECT stored FROM bodies WHERE key = ?")) {
            s.setString(1, key);
            try (var rows = s.executeQuery()) {
                return rows.next() && rows.getBoolean(1) && objectExists(key);
            }
        }
    }

    private boolean objectExists(String key) {
        return Files.exists(servers.s3().directory().resolve(MailDatabaseServers.BUCKET).resolve(key));
    }

    private void collect() throws IOException {
        var settings = TestServer.config(dir.resolve("collector"), environment);
        try (var driver = PostgresDriver.open(MailLocation.parse("postgres:%u"), settings.mail(), settings.data())) {
            driver.collectBodies(Duration.ZERO);
        }
    }

    private static String key(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
