package org.roost.imap.compliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * Two sessions on one mailbox changing different flags of the same message must not undo each
 * other's change (RFC 3501 §6.4.6: +FLAGS adds, -FLAGS removes, the other flags stay; §6.4.5: a
 * non-PEEK body fetch only adds \Seen). The second session has not synced the first one's change
 * when it writes, as in imaptest's "store" script.
 */
class ConcurrentFlagChangesTest {
    private static final Pattern FLAGS = Pattern.compile("FLAGS \\(([^)]*)\\)");
    TestServer server;
    RawImapClient one;
    RawImapClient two;

    @BeforeEach
    void start(@TempDir Path dir) throws IOException {
        server = TestServer.start(dir);
        one = login();
        two = login();
        var message = "Subject: s1\r\n\r\nbody1\r\n";
        assertTrue(one.command("a1", "APPEND INBOX (\\Seen) {" + message.length() + "+}\r\n" + message)
                .getLast().startsWith("a1 OK"));
        assertTrue(one.tagged("a2", "SELECT INBOX").startsWith("a2 OK"));
        assertTrue(two.tagged("b1", "SELECT INBOX").startsWith("b1 OK"));
    }

    @AfterEach
    void stop() throws IOException {
        one.close();
        two.close();
        server.close();
    }

    private RawImapClient login() throws IOException {
        var c = server.imap();
        c.greeting();
        assertTrue(c.tagged("l", "LOGIN alice \"wonder land\"").startsWith("l OK"));
        return c;
    }

    /** The FLAGS list of the last FETCH response for message 1 (an unsolicited one may come first). */
    private static String flagsOf(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("* 1 FETCH ")).map(FLAGS::matcher).filter(Matcher::find)
                .map(m -> m.group(1)).reduce((a, b) -> b).orElse("none");
    }

    @Test
    void removingOneFlagKeepsAFlagAnotherSessionJustAdded() throws IOException {
        one.tagged("a3", "STORE 1 +FLAGS (\\Draft)");
        two.tagged("b2", "STORE 1 -FLAGS (\\Seen)");
        assertEquals("\\Draft \\Recent", flagsOf(one.command("a4", "FETCH 1 FLAGS")));
        assertEquals("\\Draft", flagsOf(two.command("b3", "FETCH 1 FLAGS")));
    }

    @Test
    void addingAKeywordKeepsAFlagAnotherSessionJustRemoved() throws IOException {
        one.tagged("a3", "STORE 1 -FLAGS (\\Seen)");
        two.tagged("b2", "STORE 1 +FLAGS (Hello)");
        assertEquals("\\Recent Hello", flagsOf(one.command("a4", "FETCH 1 FLAGS")));
    }

    @Test
    void implicitSeenOfABodyFetchKeepsAFlagAnotherSessionJustAdded() throws IOException {
        one.tagged("a3", "STORE 1 FLAGS (\\Flagged)");
        two.command("b2", "FETCH 1 BODY[TEXT]");
        assertEquals("\\Seen \\Flagged \\Recent", flagsOf(one.command("a4", "FETCH 1 FLAGS")));
    }
}
