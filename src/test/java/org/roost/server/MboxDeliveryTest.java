package org.roost.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.storage.mbox.MboxFileCheck;
import org.roost.testing.ForeignMboxLock;
import org.roost.testing.PythonScript;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * Delivery into mbox users: LMTP (RFC 2033 §4.2: one reply per recipient) to one and to several users, one of
 * them over quota; {@code roost deliver} appending to the file the running server serves; a delivery while
 * another program holds the mbox's lock (a temporary failure, the message delivered when the MTA tries again,
 * never twice, never half); and the quota of an mbox user through IMAP (RFC 9208) and from a recount.
 */
@Timeout(60)
class MboxDeliveryTest {
    @TempDir
    Path dir;
    @AutoClose
    private TestServer server;
    private Path config;

    @BeforeEach
    void start() throws IOException {
        var pw = ":{PLAIN}" + TestServer.PASSWORD + "::::::";
        var passwd = Files.writeString(dir.resolve("passwd"), "ann" + pw + "\nbob" + pw + "\ncarl" + pw
                + "userdb_quota_rule=*:bytes=1000\npy" + pw + "userdb_quota_rule=*:storage=10M userdb_quota_rule2=*:messages=100\n");
        var location = "mbox:" + dir.resolve("mail") + "/%u";
        server = TestServer.start(dir, Map.of("ROOST_AUTH_PASSWDFILE", passwd.toString(),
                "ROOST_LISTENERS_LMTP_ENABLED", "true", "ROOST_MAIL_LOCATION", location, "ROOST_MAIL_FSYNC", "false",
                "ROOST_MAIL_MBOX_LOCKTIMEOUT", "300ms"));
        config = Files.writeString(dir.resolve("roost.yaml"), "data: " + dir.resolve("data") + "\nmail: {location: \""
                + location + "\", fsync: false, mbox: {lockTimeout: 300ms}}\nauth: {passwdFile: " + passwd + "}\n");
    }

    private Path inbox(String user) {
        return server.maildir(user).resolve("inbox");
    }

    private List<String> lmtp(String message, String... recipients) throws IOException {
        return server.lmtp(message, recipients);
    }

    private int deliver(String user, String message) {
        var err = new ByteArrayOutputStream();
        int code = DeliverCommand.run(List.of("--config", config.toString(), "-d", user, "-f", "s@x.y"),
                new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)), new PrintStream(err, true));
        return code == 0 ? 0 : -code; // negative: failed, with what it said in the assertion below
    }

    private List<String> subjects(String user) throws IOException {
        try (var imap = server.login(user)) {
            imap.command("s", "SELECT INBOX");
            return imap.command("f", "FETCH 1:* (BODY.PEEK[HEADER.FIELDS (SUBJECT)])").stream()
                    .filter(l -> l.startsWith("Subject: ")).toList();
        }
    }

    @Test
    void lmtpDeliversToOneAndToSeveralMboxUsersAndRefusesTheOneOverQuota() throws Exception {
        assertEquals(List.of("250 2.0.0 <carl@example.org> Saved"), lmtp("Subject: first\r\n\r\n1", "carl@example.org"));
        // carl's 1000 bytes pass at RCPT (no SIZE declared), not with the message's real size after the data.
        var replies = lmtp("Subject: for all\r\n\r\nfrom the MTA\r\nFrom here on, a quoted line\r\n" + "x".repeat(1000),
                "ann@example.org",
                "carl@example.org", "bob@example.org");
        assertEquals(List.of("250 2.0.0 <ann@example.org> Saved",
                "552 5.2.2 <carl@example.org> Quota exceeded (mailbox for user is full)",
                "250 2.0.0 <bob@example.org> Saved"), replies);
        assertEquals(List.of("Subject: for all"), subjects("ann"));
        assertEquals(List.of("Subject: for all"), subjects("bob"));
        assertEquals(List.of("Subject: first"), subjects("carl"));
        for (var user : List.of("ann", "bob", "carl")) {
            assertEquals(List.of(), MboxFileCheck.problems(inbox(user)), user);
        }
        assertTrue(Files.readString(inbox("bob")).contains("\n>From here on, a quoted line\n"),
                "each recipient's file has its own mboxrd copy");
    }

    @Test
    void roostDeliverAppendsToTheMboxTheServerServes() throws Exception {
        assertEquals(List.of("250 2.0.0 <ann@example.org> Saved"), lmtp("Subject: by lmtp\r\n\r\n1", "ann@example.org"));
        assertEquals(0, deliver("ann", "Subject: by deliver\n\nbody\n"));
        assertEquals(List.of("Subject: by lmtp", "Subject: by deliver"), subjects("ann"));
        assertEquals(List.of(), MboxFileCheck.problems(inbox("ann")));
        assertEquals(0, deliver("carl", "Subject: one\n\n1\n"));
        assertEquals(-DeliverCommand.EX_NOPERM, deliver("carl", "Subject: two\n\n" + "x".repeat(1000) + "\n"), "over quota");
        assertEquals(List.of("Subject: one"), subjects("carl"));
    }

    @Test
    void aDeliveryWhileAnotherProgramHoldsTheLockFailsForNowAndLosesNothing() throws Exception {
        lmtp("Subject: before\r\n\r\n0", "ann@example.org");
        for (var method : List.of("dotlock", "fcntl")) {
            try (var held = ForeignMboxLock.hold(method, inbox("ann"))) {
                assertEquals(List.of("451 4.3.0 <ann@example.org> Temporary failure in the mail store",
                        "250 2.0.0 <bob@example.org> Saved"),
                        lmtp("Subject: " + method + "\r\n\r\n1", "ann@example.org", "bob@example.org"), method);
                assertEquals(-DeliverCommand.EX_TEMPFAIL, deliver("ann", "Subject: " + method + " by deliver\n\n2\n"));
            }
            // The MTA and the MDA's caller try again once the other program let go.
            assertEquals(List.of("250 2.0.0 <ann@example.org> Saved"),
                    lmtp("Subject: " + method + "\r\n\r\n1", "ann@example.org"));
            assertEquals(0, deliver("ann", "Subject: " + method + " by deliver\n\n2\n"));
        }
        assertEquals(List.of("Subject: before", "Subject: dotlock", "Subject: dotlock by deliver", "Subject: fcntl",
                "Subject: fcntl by deliver"), subjects("ann"));
        assertEquals(List.of("Subject: dotlock", "Subject: fcntl"), subjects("bob"));
        assertEquals(List.of(), MboxFileCheck.problems(inbox("ann")));
        try (var files = Files.list(inbox("ann").getParent())) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().contains("roost-new")), "no spool left");
        }
    }

    @Test
    void pythonImaplibReadsTheQuotaOfAnMboxUser() throws Exception {
        try (var script = PythonScript.start("imap/imaplib_quota.py", Integer.toString(server.imapPort()), "py",
                TestServer.PASSWORD)) {
            int exit = script.exitCode();
            var output = String.join("\n", script.lines());
            assertEquals(0, exit, output);
            assertEquals(5, output.lines().filter(l -> l.startsWith("ok ")).count(), output);
        }
    }

    @Test
    void theQuotaIsCountedAgainFromTheMboxFilesWhenItsLedgerIsGone() throws Exception {
        lmtp("Subject: one\r\n\r\n" + "x".repeat(2000), "py@example.org");
        try (var imap = server.login("py")) {
            imap.command("c", "CREATE Archive");
            imap.command("s", "SELECT INBOX");
            imap.command("c", "COPY 1 Archive");
            String before = quota(imap);
            assertTrue(before.matches("\\* QUOTA \"User quota\" \\(STORAGE \\d+ 10240 MESSAGE 2 100\\)"), before);
            Files.delete(server.maildir("py").resolve(".maildirsize"));
            assertEquals(before, quota(imap), "the recount from both mbox files agrees with the running account");
            assertTrue(Files.exists(server.maildir("py").resolve(".maildirsize")));
        }
    }

    private static String quota(RawImapClient imap) throws IOException {
        return imap.command("q", "GETQUOTAROOT INBOX").stream().filter(l -> l.startsWith("* QUOTA ")).findFirst()
                .orElseThrow();
    }
}
