package org.roost.imap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.TestServer;

/**
 * MULTIAPPEND (RFC 3502) against the quota (RFC 9208): the batch is admitted whole or refused whole; and the
 * messages of a real client (Angus Mail's appendUIDMessages, which sends one APPEND per message: its jar has no
 * MULTIAPPEND) get their APPENDUIDs.
 */
@Timeout(60)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AppendQuotaTest {
    /** 150 kB: one fits full's quota of 250 kB, two do not. */
    private static final String BIG = "Subject: big\r\n\r\n" + "y".repeat(150_000) + "\r\n";
    private TestServer server;

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("passwd"), String.join("\n",
                "full:{PLAIN}" + TestServer.PASSWORD + "::::::userdb_quota_rule=*:storage=250k",
                "drafts:{PLAIN}" + TestServer.PASSWORD + "::::::userdb_quota_rule=*:storage=250k",
                "angus:{PLAIN}" + TestServer.PASSWORD + "::::::", ""));
        server = TestServer.start(dir, Map.of("ROOST_QUOTA_WARNINGS", "", "ROOST_AUTH_SECURENETWORKS", "0.0.0.0/0",
                "ROOST_LIMITS_MAXLITERALSIZE", "257890"));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    /** Two messages of 150 kB each fit a 250 kB quota one at a time, not together: none of them is stored. */
    @Test
    void theQuotaAdmitsTheBatchWhole() throws IOException {
        var c = server.login("full");
        var literal = "{" + BIG.length() + "+}\r\n" + BIG;
        var r = c.run("APPEND INBOX " + literal + " " + literal);
        assertEquals("NO [OVERQUOTA] Quota exceeded (mailbox for user is full).", r.tagged().substring(3));
        assertEquals(List.of("* STATUS INBOX (MESSAGES 0)"), c.run("STATUS INBOX (MESSAGES)").untagged());
        assertEquals("OK [APPENDUID", c.run("APPEND INBOX " + literal).tagged().substring(3, 16));
    }

    /** RFC 7889 §3.1's example, byte for byte: the server's limit is the literal limit. */
    @Test
    void rfc7889StatusExample() throws IOException {
        var c = server.login("angus");
        assertEquals(List.of("* STATUS INBOX (APPENDLIMIT 257890)", "t1 OK STATUS completed."),
                c.command("t1", "STATUS INBOX (APPENDLIMIT)"));
        assertEquals(1, c.command("c", "CAPABILITY").stream().filter(l -> l.contains(" APPENDLIMIT=257890")).count());
    }

    /** A user whose whole quota is smaller is told that, and a message above it is TOOBIG (RFC 7889 §4), not stored. */
    @Test
    void theUsersLimitIsTheirWholeQuota() throws IOException {
        var c = server.login("full");
        c.expectOk("CREATE Limited");
        assertEquals(List.of("* STATUS Limited (MESSAGES 0 APPENDLIMIT 256000)"),
                c.run("STATUS Limited (MESSAGES APPENDLIMIT)").untagged());
        var tooBig = "Subject: x\r\n\r\n" + "z".repeat(256_000);
        assertEquals("NO [TOOBIG] The message is larger than APPENDLIMIT 256000.",
                c.run("APPEND Limited {" + tooBig.length() + "+}\r\n" + tooBig).tagged().substring(3));
        c.write("b APPEND Limited {257891}\r\n");
        assertEquals("b BAD [TOOBIG] Literal of 257891 bytes is too big", c.readLine(), "refused before the literal");
        assertEquals(List.of("* STATUS Limited (MESSAGES 0)"), c.run("STATUS Limited (MESSAGES)").untagged());
    }

    /** RFC 8508 §3.4: REPLACE is judged by what it adds net of the message it replaces. */
    @Test
    void replaceCountsOnlyTheGrowth() throws IOException {
        var c = server.login("drafts");
        c.expectOk("APPEND INBOX {" + BIG.length() + "+}\r\n" + BIG);
        c.expectOk("SELECT INBOX");
        var bigger = BIG + "z".repeat(10_000) + "\r\n";
        assertEquals("NO [OVERQUOTA] Quota exceeded (mailbox for user is full).",
                c.run("APPEND INBOX {" + bigger.length() + "+}\r\n" + bigger).tagged().substring(3));
        var r = c.run("REPLACE 1 INBOX {" + bigger.length() + "+}\r\n" + bigger);
        assertEquals("OK Replace completed", r.tagged().substring(3), r.toString());
        assertEquals(List.of("* 1 FETCH (UID 2 RFC822.SIZE " + bigger.length() + ")"),
                c.run("FETCH 1:* (UID RFC822.SIZE)").untagged());
    }

    @Test
    void angusMailGetsEveryUid() throws Exception {
        var p = new Properties();
        p.setProperty("mail.imap.connectiontimeout", "20000");
        p.setProperty("mail.imap.timeout", "20000");
        var session = Session.getInstance(p);
        var store = session.getStore("imap");
        store.connect("127.0.0.1", server.imapPort(), "angus", TestServer.PASSWORD);
        var inbox = (IMAPFolder) store.getFolder("INBOX");
        var messages = new Message[3];
        for (int i = 0; i < messages.length; i++) {
            var m = new MimeMessage(session);
            m.setFrom(new InternetAddress("a@example.org"));
            m.setSubject("m" + i);
            m.setText("body " + i);
            messages[i] = m;
        }
        var uids = inbox.appendUIDMessages(messages);
        assertArrayEquals(new long[] {1, 2, 3}, Arrays.stream(uids).mapToLong(u -> u.uid).toArray());
        inbox.open(Folder.READ_ONLY);
        assertEquals("m2", inbox.getMessageByUID(3).getSubject());
        store.close();
    }
}
