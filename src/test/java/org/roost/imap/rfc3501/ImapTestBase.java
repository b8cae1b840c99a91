package org.roost.imap.rfc3501;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * Shared set-up for the RFC 3501 protocol tests: a fresh user per test, connections closed after it.
 * The server stores mail in Maildir; {@link EveryStorageTestBase} runs a class over every storage driver.
 */
abstract class ImapTestBase {
    TestServer server;
    String user;
    private final List<RawImapClient> clients = new ArrayList<>();

    /** The storage driver of this test's server ({@code maildir}, {@code mbox}). */
    String storage() {
        return "maildir";
    }

    @BeforeEach
    void freshUser() throws Exception {
        server = TestServer.shared(storage());
        user = server.newUser();
    }

    @AfterEach
    void closeClients() throws IOException {
        for (var c : clients) {
            c.close();
        }
    }

    /** A new connection, logged in as this test's user. */
    RawImapClient login() throws IOException {
        var c = server.login(user);
        clients.add(c);
        return c;
    }

    /** A new connection, not logged in. */
    RawImapClient connect() throws IOException {
        var c = server.connect();
        clients.add(c);
        return c;
    }

    /** Logged in with {@code mailbox} selected. */
    RawImapClient selected(String mailbox) throws IOException {
        var c = login();
        c.expectOk("SELECT " + mailbox);
        return c;
    }

    static String message(String subject, String body) {
        return "From: Alice <alice@example.com>\r\nTo: bob@example.org\r\nSubject: " + subject
                + "\r\nDate: Mon, 7 Feb 1994 21:52:25 -0800\r\nMessage-ID: <" + subject.hashCode() + "@example.com>\r\n\r\n"
                + body + "\r\n";
    }

    /** Appends {@code n} small messages "m1".."mn" to {@code mailbox}. */
    static void appendMessages(RawImapClient c, String mailbox, int n) throws IOException {
        for (int i = 1; i <= n; i++) {
            var r = c.append(mailbox, message("m" + i, "body " + i));
            assertEquals(true, r.ok(), r.toString());
        }
    }

    /** {@code s} as UTF-8 bytes, one char per byte, ready for {@link RawImapClient#write(String)}. */
    static String utf8(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Lines of a response, the tagged one last, for compact whole-response assertions. */
    static List<String> lines(RawImapClient.Response r) {
        var out = new ArrayList<>(r.untagged());
        out.add(r.tagged());
        return out;
    }
}
