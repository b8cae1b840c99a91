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
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * MULTIAPPEND (RFC 3502) against the quota (RFC 9208): the batch is admitted whole or refused whole; and the
 * messages of a real client (Angus Mail's appendUIDMessages, which sends one APPEND per message: its jar has no
 * MULTIAPPEND) get their APPENDUIDs.
 */
@Timeout(60)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AppendQuotaTest {
    private static final String BIG = "Subject: big\r\n\r\n" + "y".repeat(600_000) + "\r\n";
    private TestServer server;

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("passwd"), String.join("\n",
                "full:{PLAIN}pw::::::userdb_quota_rule=*:storage=1M",
                "angus:{PLAIN}pw::::::", ""));
        server = TestServer.start(dir, Map.of("ROOST_QUOTA_WARNINGS", "", "ROOST_AUTH_SECURENETWORKS", "0.0.0.0/0"));
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

    /** Two messages of 600 kB each fit a 1 MB quota one at a time, not together: none of them is stored. */
    @Test
    void theQuotaAdmitsTheBatchWhole() throws IOException {
        var c = login("full");
        var literal = "{" + BIG.length() + "+}\r\n" + BIG;
        var r = c.run("APPEND INBOX " + literal + " " + literal);
        assertEquals("NO [OVERQUOTA] Quota exceeded (mailbox for user is full).", r.tagged().substring(3));
        assertEquals(List.of("* STATUS INBOX (MESSAGES 0)"), c.run("STATUS INBOX (MESSAGES)").untagged());
        assertEquals("OK [APPENDUID", c.run("APPEND INBOX " + literal).tagged().substring(3, 16));
    }

    @Test
    void angusMailGetsEveryUid() throws Exception {
        var p = new Properties();
        p.setProperty("mail.imap.connectiontimeout", "20000");
        p.setProperty("mail.imap.timeout", "20000");
        var session = Session.getInstance(p);
        var store = session.getStore("imap");
        store.connect("127.0.0.1", server.imapPort(), "angus", "pw");
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
