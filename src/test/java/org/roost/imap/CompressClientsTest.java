package org.roost.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Folder;
import jakarta.mail.Session;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.roost.testing.PythonScript;
import org.roost.testing.TestServer;

/** COMPRESS=DEFLATE (RFC 4978) with real clients: Angus Mail's own COMPRESS, Python's imaplib with zlib. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CompressClientsTest {
    private static final int MESSAGES = 40;

    private static String userWithMail() throws IOException {
        var server = TestServer.shared();
        var user = server.newUser();
        for (int i = 1; i <= MESSAGES; i++) {
            server.deliver(user, "From: sender" + i + "@example.org\r\nTo: " + user + "@example.org\r\nSubject: message "
                    + i + "\r\nDate: Mon, 3 Jun 2024 10:00:00 +0000\r\n\r\n" + "body text of message " + i + "\r\n");
        }
        return user;
    }

    @Test
    void angusMailCompressesWhenAskedTo() throws Exception {
        var user = userWithMail();
        var p = new Properties();
        p.setProperty("mail.imap.compress.enable", "true");
        p.setProperty("mail.imap.connectiontimeout", "20000");
        p.setProperty("mail.imap.timeout", "20000");
        var session = Session.getInstance(p);
        var trace = new ByteArrayOutputStream();
        session.setDebugOut(new PrintStream(trace, true, StandardCharsets.UTF_8));
        session.setDebug(true);
        var store = session.getStore("imap");
        store.connect("127.0.0.1", TestServer.shared().imapPort(), user, TestServer.PASSWORD);
        try {
            var inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            var messages = inbox.getMessages();
            assertEquals(MESSAGES, messages.length);
            for (int i = 0; i < messages.length; i++) {
                assertEquals("message " + (i + 1), messages[i].getSubject());
                assertEquals("body text of message " + (i + 1) + "\r\n", messages[i].getContent());
            }
            inbox.close(false);
        } finally {
            store.close();
        }
        var log = trace.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("COMPRESS DEFLATE") && log.contains("OK DEFLATE active."), log);
    }

    @Test
    void imaplibWithAZlibLayer() throws Exception {
        var user = userWithMail();
        try (var python = PythonScript.start("imap/imaplib_compress.py", Integer.toString(TestServer.shared().imapPort()),
                user, TestServer.PASSWORD, Integer.toString(MESSAGES))) {
            for (var check : List.of("login", "capability", "compress", "compress again", "select", "fetch headers",
                    "compressed", "append", "search", "logout")) {
                assertEquals("ok " + check, python.nextLine());
            }
            assertEquals(0, python.exitCode(), python.lines().toString());
        }
    }
}
