package org.roost.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.PythonScript;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * IMAP QUOTA (RFC 9208) byte for byte, and through Python's imaplib. The answers for a limited user are the
 * ones Dovecot 2.3 with its quota plugin gave for the same mail (root "User quota", STORAGE in KiB rounded
 * up, STORAGE before MESSAGE, only limited resources); where Dovecot breaks RFC 9208 (no QUOTAROOT at all for
 * a user without limits, no DELETED status items) the RFC is followed.
 */
@Timeout(60)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuotaCommandTest {
    /** 2016 bytes, as Dovecot was given: two of them are "STORAGE 4". */
    private static final String MESSAGE = "Subject: x\r\n\r\n" + "y".repeat(2000) + "\r\n";
    private TestServer server;
    private Path mail;

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("passwd"), String.join("\n",
                "both:{PLAIN}pw::::::userdb_quota_rule=*:storage=1M userdb_quota_rule2=*:messages=3",
                "count:{PLAIN}pw::::::userdb_quota_rule=*:messages=2",
                "free:{PLAIN}pw::::::",
                "trash:{PLAIN}pw::::::userdb_quota_rule=*:storage=1M",
                "py:{PLAIN}pw::::::userdb_quota_rule=*:storage=10M userdb_quota_rule2=*:messages=100", ""));
        server = TestServer.start(dir, Map.of("ROOST_QUOTA_WARNINGS", ""));
        mail = dir.resolve("data/mail");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private RawImapClient login(String user) throws IOException {
        var imap = server.imap();
        imap.greeting();
        assertEquals("l OK", imap.tagged("l", "LOGIN " + user + " pw").substring(0, 4));
        return imap;
    }

    @Test
    void aLimitedUserHasOneRootOverEveryMailbox() throws Exception {
        try (var imap = login("both")) {
            assertEquals(List.of("* QUOTAROOT INBOX \"User quota\"", "* QUOTA \"User quota\" (STORAGE 0 1024 MESSAGE 0 3)",
                    "a OK GETQUOTAROOT completed."), imap.command("a", "GETQUOTAROOT INBOX"));
            imap.append("INBOX", MESSAGE);
            imap.append("INBOX", MESSAGE);
            assertEquals(List.of("* QUOTA \"User quota\" (STORAGE 4 1024 MESSAGE 2 3)", "b OK GETQUOTA completed."),
                    imap.command("b", "GETQUOTA \"User quota\""));
            // §4.1.2: the mailbox need not exist; the name comes back as the client sent it
            assertEquals(List.of("* QUOTAROOT \"no such\" \"User quota\"",
                    "* QUOTA \"User quota\" (STORAGE 4 1024 MESSAGE 2 3)", "c OK GETQUOTAROOT completed."),
                    imap.command("c", "GETQUOTAROOT \"no such\""));
            assertEquals(List.of("* QUOTAROOT inbox \"User quota\"", "* QUOTA \"User quota\" (STORAGE 4 1024 MESSAGE 2 3)",
                    "d OK GETQUOTAROOT completed."), imap.command("d", "GETQUOTAROOT inbox"));
            assertEquals(List.of("e NO Quota root does not exist."), imap.command("e", "GETQUOTA \"\""));
            assertEquals(List.of("f NO Quota root does not exist."), imap.command("f", "GETQUOTA \"user quota\""));
        }
    }

    @Test
    void onlyLimitedResourcesAreListedAndTheCountIsEnforced() throws Exception {
        try (var imap = login("count")) {
            imap.command("c", "CREATE Archive");
            imap.append("INBOX", MESSAGE);
            imap.append("INBOX", MESSAGE);
            assertEquals(List.of("* QUOTAROOT Archive \"User quota\"", "* QUOTA \"User quota\" (MESSAGE 2 2)",
                    "a OK GETQUOTAROOT completed."), imap.command("a", "GETQUOTAROOT Archive"));
            assertEquals("b NO [OVERQUOTA] Quota exceeded (mailbox for user is full).",
                    imap.append("INBOX", MESSAGE).tagged().replaceFirst("^\\S+", "b"));
            imap.command("s", "SELECT INBOX");
            assertEquals("d NO [OVERQUOTA] Quota exceeded (mailbox for user is full).", imap.tagged("d", "COPY 1 Archive"));
            assertTrue(imap.tagged("e", "MOVE 1 Archive").startsWith("e OK"), "a move adds nothing");
            assertEquals("* QUOTA \"User quota\" (MESSAGE 2 2)", imap.command("f", "GETQUOTA \"User quota\"").getFirst());
        }
    }

    @Test
    void aUserWithoutLimitsHasNoRoot() throws Exception {
        try (var imap = login("free")) {
            imap.append("INBOX", MESSAGE);
            assertEquals(List.of("* QUOTAROOT INBOX", "a OK GETQUOTAROOT completed."), imap.command("a", "GETQUOTAROOT INBOX"));
            assertEquals(List.of("b NO Quota root does not exist."), imap.command("b", "GETQUOTA \"User quota\""));
        }
    }

    @Test
    void quotaNeedsALogin() throws Exception {
        try (var imap = server.imap()) {
            imap.greeting();
            assertTrue(imap.tagged("a", "GETQUOTAROOT INBOX").startsWith("a BAD"));
            assertTrue(imap.tagged("b", "GETQUOTA \"User quota\"").startsWith("b BAD"));
        }
    }

    /** RFC 9208 §4.1.4: what an EXPUNGE would give back, DELETED-STORAGE in the bytes the quota counts. */
    @Test
    void statusTellsWhatAnExpungeWouldFree() throws Exception {
        try (var imap = login("trash")) {
            imap.command("c", "CREATE Trash");
            imap.append("Trash", MESSAGE);
            imap.append("Trash", "Subject: short\r\n\r\nhi\r\n");
            imap.append("Trash", MESSAGE);
            assertEquals("* STATUS Trash (DELETED 0 DELETED-STORAGE 0 MESSAGES 3)",
                    imap.command("a", "STATUS Trash (DELETED DELETED-STORAGE MESSAGES)").getFirst());
            imap.command("s", "SELECT Trash");
            imap.command("t", "STORE 1:2 +FLAGS (\\Deleted)");
            var sizes = fileSizes("trash", ".Trash");
            long stored = sizes.stream().mapToLong(Long::longValue).sum() - sizes.getLast(); // 1 and 3 are alike
            assertEquals("* STATUS Trash (MESSAGES 3 DELETED 2 DELETED-STORAGE " + stored + ")",
                    imap.command("b", "STATUS Trash (MESSAGES DELETED DELETED-STORAGE)").getFirst());
        }
    }

    @Test
    void pythonImaplibReadsTheQuota() throws Exception {
        try (var script = PythonScript.start("imap/imaplib_quota.py", Integer.toString(server.imapPort()), "py", "pw")) {
            int exit = script.exitCode();
            var output = String.join("\n", script.lines());
            assertEquals(0, exit, output);
            assertEquals(5, output.lines().filter(l -> l.startsWith("ok ")).count(), output);
        }
    }

    /** The sizes of the message files of a mailbox, smallest first: what the quota counts (Maildir++'s S=). */
    private List<Long> fileSizes(String user, String folder) throws IOException {
        try (Stream<Path> files = Files.list(mail.resolve(user).resolve(folder).resolve("cur"))) {
            return files.map(QuotaCommandTest::size).sorted().toList();
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
