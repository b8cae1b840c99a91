package org.roost.storage.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.MailDatabaseServers;
import org.roost.testing.TestServer;

/**
 * LMTP, POP3 and IMAP over the database store: one delivery to several users keeps one body in the bucket, Python's
 * poplib reads and deletes what LMTP delivered, and a stopped PostgreSQL is {@code NO [UNAVAILABLE]}, never a wrong
 * answer, with the service back once it is.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PostgresProtocolsTest {
    private MailDatabaseServers servers;
    private TestServer roost;

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        servers = MailDatabaseServers.shared();
        var passwd = new StringBuilder();
        for (var user : List.of("ann", "ben", "cat")) {
            passwd.append(user).append(":{PLAIN}").append(TestServer.PASSWORD).append("::::::\n");
        }
        Files.writeString(dir.resolve("passwd"), passwd);
        var env = new HashMap<>(servers.environment());
        env.put("ROOST_LISTENERS_LMTP_ENABLED", "true");
        env.put("ROOST_LISTENERS_POP3_ENABLED", "true");
        env.put("ROOST_MAIL_POSTGRES_TIMEOUT", "1s");
        roost = TestServer.start(dir, env);
    }

    @AfterAll
    void stop() {
        roost.close();
    }

    @Test
    void oneDeliveryToManyKeepsOneBody() throws IOException {
        var text = "Subject: to three\r\nMessage-ID: <" + System.nanoTime() + "@example>\r\n\r\nhello all\r\n";
        var replies = roost.lmtp(text, "ann@example.org", "ben@example.org", "cat@example.org");
        assertEquals(3, replies.stream().filter(l -> l.startsWith("250")).count(), replies.toString());
        long before = objects();
        for (var user : List.of("ann", "ben", "cat")) {
            try (var c = roost.login(user)) {
                c.expectOk("SELECT INBOX");
                var r = c.expectOk("FETCH 1:* (BODY.PEEK[TEXT])");
                assertTrue(r.toString().contains("hello all"), r.toString());
            }
        }
        assertEquals(before, objects(), "reading stores nothing");
        roost.lmtp(text.replace("hello all", "hello again"), "ann@example.org", "ben@example.org", "cat@example.org");
        assertEquals(before + 1, objects(), "the next delivery to three users added one object");
    }

    /** ACLs live in files beside each mailbox, which a database store does not have: ACL is not offered. */
    @Test
    void aclIsNeitherAdvertisedNorParsed() throws IOException {
        try (var c = roost.login("ann")) {
            var capability = c.expectOk("CAPABILITY").toString();
            assertTrue(capability.contains(" IMAP4rev2 ") && !capability.contains(" ACL ")
                    && !capability.contains("RIGHTS="), capability);
            assertEquals("BAD Unknown command MYRIGHTS", c.run("MYRIGHTS INBOX").status());
        }
    }

    private long objects() throws IOException {
        try (Stream<Path> files = Files.walk(servers.s3().directory().resolve(MailDatabaseServers.BUCKET))) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void poplibReadsAndDeletesWhatLmtpDelivered() throws Exception {
        roost.lmtp("Subject: for pop\r\n\r\npop body line\r\n", "cat@example.org");
        var script = """
                import poplib, sys
                p = poplib.POP3('127.0.0.1', int(sys.argv[1]), timeout=30)
                p.user('cat'); p.pass_(sys.argv[2])
                count, size = p.stat()
                lines = p.retr(count)[1]
                print(b'pop body line' in lines, count)
                p.dele(count)
                p.quit()
                """;
        var process = new ProcessBuilder("python3", "-c", script, Integer.toString(roost.pop3Port()), TestServer.PASSWORD)
                .redirectErrorStream(true).start();
        var out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, process.waitFor(), out);
        assertTrue(out.startsWith("True "), out);
        int count = Integer.parseInt(out.substring("True ".length()));
        try (var c = roost.login("cat")) {
            var r = c.expectOk("SELECT INBOX");
            assertTrue(r.untagged().contains("* " + (count - 1) + " EXISTS"), "the DELE took effect: " + r);
        }
    }

    @Test
    void aStoppedDatabaseIsUnavailableNeverWrong() throws Exception {
        try (var c = roost.login("ben")) {
            c.expectOk("SELECT INBOX");
            servers.postgres().kill();
            try {
                var r = c.append("INBOX", "Subject: while down\r\n\r\nx\r\n");
                assertTrue(r.tagged().contains("NO [UNAVAILABLE]"), r.toString());
            } finally {
                servers.postgres().startAgain();
            }
        }
        try (var c = roost.login("ben")) {
            c.expectOk("SELECT INBOX");
            assertTrue(c.append("INBOX", "Subject: back\r\n\r\nx\r\n").ok(), "the pool reconnected");
            var r = c.expectOk("SEARCH SUBJECT \"while down\"");
            assertEquals(List.of("* SEARCH"), r.untagged(), "the refused APPEND left nothing");
        }
    }
}
