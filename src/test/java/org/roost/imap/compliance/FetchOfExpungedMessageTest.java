package org.roost.imap.compliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * A session still shows a message another session has expunged (no EXPUNGE may be sent during
 * FETCH, RFC 3501 §7.4.1). Found from outside: under a 10-client load such FETCHes answered
 * {@code NO [EXPUNGEISSUED]} hundreds of times. Now the message stays readable until the session
 * has been told (RFC 2180 §4.1.1); where it cannot be (removed by another program, or beyond
 * {@code index.maxHeldExpunged}) the FETCH leaves it out and answers NO with Dovecot's wording
 * (§4.1.2), never made-up bytes a client would cache as the message.
 */
class FetchOfExpungedMessageTest {
    private static final String FIRST = "Subject: first message\r\n\r\nfirst message\r\n";
    private static final String SECOND = "Subject: second message\r\n\r\nsecond message\r\n";
    @TempDir
    Path dir;
    TestServer server;
    RawImapClient reader;
    RawImapClient expunger;

    void start(Map<String, String> config) throws IOException {
        server = TestServer.start(dir, config);
        reader = login();
        expunger = login();
        for (var message : List.of(FIRST, SECOND)) {
            assertTrue(reader.command("a", "APPEND INBOX {" + message.length() + "+}\r\n" + message)
                    .getLast().startsWith("a OK"));
        }
        assertTrue(reader.tagged("s", "SELECT INBOX").startsWith("s OK"));
        assertTrue(expunger.tagged("s", "SELECT INBOX").startsWith("s OK"));
    }

    void expungeFirst() throws IOException {
        assertTrue(expunger.tagged("d", "STORE 1 +FLAGS.SILENT (\\Deleted)").startsWith("d OK"));
        assertEquals(List.of("* 1 EXPUNGE", "e OK EXPUNGE completed."), expunger.command("e", "EXPUNGE"));
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
    void anExpungedMessageIsServedUntilTheSessionIsTold() throws IOException {
        start(Map.of());
        expungeFirst();
        assertEquals(List.of("* 1 FETCH (BODY[] {41}", "Subject: first message", "", "first message", ")",
                "* 2 FETCH (BODY[] {43}", "Subject: second message", "", "second message", ")", "f OK FETCH completed."),
                reader.command("f", "FETCH 1:2 (BODY.PEEK[])"));
        assertEquals(List.of("* 1 FETCH (UID 1 FLAGS (\\Recent) RFC822.SIZE 41 ENVELOPE (NIL \"first message\" "
                        + "NIL NIL NIL NIL NIL NIL NIL NIL) BODYSTRUCTURE (\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL "
                        + "\"7bit\" 15 1 NIL NIL NIL NIL) BODY[HEADER.FIELDS (SUBJECT)] {26}", "Subject: first message", "", ")",
                        "g OK FETCH completed."),
                reader.command("g", "FETCH 1 (UID FLAGS RFC822.SIZE ENVELOPE BODYSTRUCTURE BODY.PEEK[HEADER.FIELDS (SUBJECT)])"));
        assertEquals(List.of("* 1 FETCH (UID 1 BODY[TEXT] {15}", "first message", ")", "* 1 EXPUNGE",
                "u OK UID FETCH completed."), reader.command("u", "UID FETCH 1 (BODY.PEEK[TEXT])"),
                "UID FETCH may report the expunge after its answer (§7.4.1)");
        assertEquals(List.of("* 1 FETCH (UID 2)", "n OK FETCH completed."), reader.command("n", "FETCH 1 (UID)"));
    }

    /** RFC 2180 §4.1.2: what no one holds is left out, the rest served, and the tagged NO names no made-up data. */
    @Test
    void aMessageRemovedByAnotherProgramAnswersNoWithDovecotsWording() throws IOException {
        start(Map.of());
        try (var files = Files.list(dir.resolve("data/mail/alice/cur"))) {
            var first = files.filter(p -> {
                try {
                    return Files.readString(p).equals(FIRST);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).findFirst().orElseThrow();
            Files.delete(first);
        }
        assertEquals(List.of("* 2 FETCH (BODY[] {43}", "Subject: second message", "", "second message", ")",
                "f NO [EXPUNGEISSUED] Some of the requested messages no longer exist."),
                reader.command("f", "FETCH 1:2 (BODY.PEEK[])"));
    }

    @Test
    void beyondTheBudgetAnExpungedMessageAnswersNo() throws IOException {
        start(Map.of("ROOST_INDEX_MAXHELDEXPUNGED", "0"));
        expungeFirst();
        assertEquals(List.of("* 2 FETCH (BODY[] {43}", "Subject: second message", "", "second message", ")",
                "f NO [EXPUNGEISSUED] Some of the requested messages no longer exist."),
                reader.command("f", "FETCH 1:2 (BODY.PEEK[])"));
        assertEquals("* 1 EXPUNGE", reader.command("n", "NOOP").getFirst(), "the next command reports the expunge");
    }
}
