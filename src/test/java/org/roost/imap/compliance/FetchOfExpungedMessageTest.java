package org.roost.imap.compliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * A session still shows a message another session has expunged (no EXPUNGE may be sent during
 * FETCH, RFC 3501 §7.4.1). Fetching its content must not send made-up bytes that a client would
 * cache as the message: the message is left out and the FETCH ends NO [EXPUNGEISSUED] (RFC 5530),
 * as Dovecot answers. Found by the imaptest-style stress check (BODY[] changed between reads).
 */
class FetchOfExpungedMessageTest {
    TestServer server;
    RawImapClient reader;
    RawImapClient expunger;

    @BeforeEach
    void start(@TempDir Path dir) throws IOException {
        server = TestServer.start(dir);
        reader = login();
        expunger = login();
        for (var text : List.of("first message", "second message")) {
            var message = "Subject: " + text + "\r\n\r\n" + text + "\r\n";
            assertTrue(reader.command("a", "APPEND INBOX {" + message.length() + "+}\r\n" + message)
                    .getLast().startsWith("a OK"));
        }
        assertTrue(reader.tagged("s", "SELECT INBOX").startsWith("s OK"));
        assertTrue(expunger.tagged("s", "SELECT INBOX").startsWith("s OK"));
        assertTrue(expunger.tagged("d", "STORE 1 +FLAGS.SILENT (\\Deleted)").startsWith("d OK"));
        assertTrue(expunger.tagged("e", "EXPUNGE").startsWith("e OK"));
    }

    @AfterEach
    void stop() throws IOException {
        reader.close();
        expunger.close();
        server.close();
    }

    private RawImapClient login() throws IOException {
        var c = server.imap();
        c.greeting();
        assertTrue(c.tagged("l", "LOGIN alice \"wonder land\"").startsWith("l OK"));
        return c;
    }

    @Test
    void expungedMessageIsLeftOutNotPadded() throws IOException {
        var lines = reader.command("f", "FETCH 1:2 (BODY.PEEK[])");
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("* 1 FETCH")), lines.toString());
        assertTrue(lines.stream().noneMatch(l -> !l.isEmpty() && l.isBlank()), lines.toString());
        assertTrue(lines.contains("* 2 FETCH (BODY[] {43}"), lines.toString());
        assertTrue(lines.getLast().startsWith("f NO [EXPUNGEISSUED]"), lines.getLast());
    }

    @Test
    void theNextCommandReportsTheExpunge() throws IOException {
        reader.command("f", "FETCH 1 (BODY.PEEK[TEXT])");
        var lines = reader.command("n", "NOOP");
        assertEquals("* 1 EXPUNGE", lines.getFirst());
    }
}
