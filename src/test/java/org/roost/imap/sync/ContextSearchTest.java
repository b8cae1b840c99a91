package org.roost.imap.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * CONTEXT=SEARCH (RFC 5267 §4) byte for byte, after its examples: UPDATE keeps a search up to date with
 * ADDTO and REMOVEFROM (REMOVEFROM before the EXPUNGE it follows from, ADDTO after the EXISTS), tag reuse
 * is BAD, NOUPDATE past {@code limits.maxSearchContexts} and for searches by sequence number, CANCELUPDATE
 * stops it; with NOTIFY the updates come without a command, with UPDATE's fetch attributes (RFC 5465 §7).
 */
class ContextSearchTest {
    @TempDir
    Path dir;
    private TestServer server;
    private RawImapClient c;
    private RawImapClient other;

    @BeforeEach
    void start() throws IOException {
        server = TestServer.start(dir, Map.of("ROOST_LIMITS_MAXSEARCHCONTEXTS", "2"));
        c = CondstoreTest.login(server);
        other = CondstoreTest.login(server);
        for (int i = 1; i <= 4; i++) {
            c.append("INBOX", i == 2 ? "(\\Deleted)" : "()", message("From: boss@example.org", i));
        }
        c.expectOk("SELECT INBOX");
        other.expectOk("SELECT INBOX");
    }

    @AfterEach
    void stop() throws IOException {
        c.close();
        other.close();
        server.close();
    }

    private static byte[] message(String from, int n) {
        return (from + "\r\nSubject: " + n + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void updatesFollowFlagChangesAndExpunges() throws IOException {
        assertEquals(List.of("* ESEARCH (TAG \"B01\") UID COUNT 1", "B01 OK UID SEARCH completed."),
                c.command("B01", "UID SEARCH RETURN (UPDATE COUNT) DELETED"));
        assertEquals("B01 BAD Tag reuse: B01 is kept up to date already.",
                c.command("B01", "UID SEARCH RETURN (UPDATE) FLAGGED").getLast());
        other.expectOk("STORE 3 +FLAGS.SILENT (\\Deleted)");
        assertEquals(List.of("* 3 FETCH (UID 3 FLAGS (\\Deleted \\Recent))", "* ESEARCH (TAG \"B01\") UID ADDTO (0 3)"),
                c.expectOk("NOOP").untagged());
        other.expectOk("EXPUNGE");
        assertEquals(List.of("* ESEARCH (TAG \"B01\") UID REMOVEFROM (0 2:3)", "* 3 EXPUNGE", "* 2 EXPUNGE"),
                c.expectOk("NOOP").untagged());
        other.expectOk("STORE 1 +FLAGS.SILENT (\\Deleted)");
        other.expectOk("STORE 1 -FLAGS.SILENT (\\Deleted)");
        assertEquals(List.of(), c.expectOk("NOOP").untagged().stream().filter(l -> l.contains("ESEARCH")).toList());
        assertEquals(List.of("B04 OK No further updates."), c.command("B04", "CANCELUPDATE \"B01\""));
        other.expectOk("STORE 1 +FLAGS.SILENT (\\Deleted)");
        assertEquals(List.of("* 1 FETCH (UID 1 FLAGS (\\Deleted \\Recent))"), c.expectOk("NOOP").untagged());
    }

    /**
     * The session's own flag changes count too (§4.3: "as and when results change, whether by ... flags
     * being changed"): a STORE, also .SILENT, and a FETCH that sets \\Seen are followed by their ADDTO or
     * REMOVEFROM right after their FETCH responses.
     */
    @Test
    void ownStoresAndFetchesThatSetSeenUpdateTheResults() throws IOException {
        assertEquals(List.of("* ESEARCH (TAG \"U1\") UID ALL 1:4", "U1 OK UID SEARCH completed."),
                c.command("U1", "UID SEARCH RETURN (UPDATE ALL) UNSEEN"));
        assertEquals(List.of("* 1 FETCH (UID 1 FLAGS (\\Seen \\Recent))", "* ESEARCH (TAG \"U1\") UID REMOVEFROM (0 1)",
                "s1 OK UID STORE completed."), c.command("s1", "UID STORE 1 +FLAGS (\\Seen)"));
        assertEquals(List.of("* ESEARCH (TAG \"U1\") UID ADDTO (0 1)", "s2 OK STORE completed."),
                c.command("s2", "STORE 1 -FLAGS.SILENT (\\Seen)"));
        var fetch = c.command("f1", "FETCH 3 (BODY[HEADER.FIELDS (FROM)])");
        assertEquals("* ESEARCH (TAG \"U1\") UID REMOVEFROM (0 3)", fetch.get(fetch.size() - 2), fetch.toString());
        assertEquals(List.of("n1 OK NOOP completed."), c.command("n1", "NOOP"), "told once");
    }

    @Test
    void sequenceNumberContextsRemoveBeforeTheExpungeAndAddAfterTheExists() throws IOException {
        assertEquals(List.of("* ESEARCH (TAG \"S1\") ALL 1:4", "S1 OK SEARCH completed."),
                c.command("S1", "SEARCH RETURN (UPDATE) FROM boss"));
        other.expectOk("EXPUNGE");
        other.append("INBOX", "", message("From: boss@example.org", 5));
        other.append("INBOX", "", message("From: intern@example.org", 6));
        assertEquals(List.of("* ESEARCH (TAG \"S1\") REMOVEFROM (0 2)", "* 2 EXPUNGE", "* 5 EXISTS", "* 3 RECENT",
                "* ESEARCH (TAG \"S1\") ADDTO (0 4)"), c.expectOk("NOOP").untagged());
    }

    @Test
    void refusedUpdatesSayNoUpdateAndStillAnswer() throws IOException {
        assertEquals(List.of("* ESEARCH (TAG \"N1\") COUNT 2", "* NO [NOUPDATE \"N1\"] Search by sequence numbers or $.",
                "N1 OK SEARCH completed."), c.command("N1", "SEARCH RETURN (UPDATE COUNT) 2:3"));
        c.expectOk("UID SEARCH RETURN (UPDATE) DELETED");
        c.expectOk("UID SEARCH RETURN (UPDATE) FLAGGED");
        assertEquals(List.of("* ESEARCH (TAG \"B02\") UID COUNT 1", "* NO [NOUPDATE \"B02\"] Too many contexts.",
                "B02 OK UID SEARCH completed."), c.command("B02", "UID SEARCH RETURN (UPDATE COUNT) DELETED"));
    }

    @Test
    void withNotifyUpdatesArePushedWithTheirFetchAttributes() throws IOException {
        other.expectOk("UNSELECT"); // the new message is then \Recent here, not there: no race for it
        c.expectOk("NOTIFY SET (SELECTED (MessageNew MessageExpunge FlagChange))");
        assertEquals(List.of("* ESEARCH (TAG \"a00\") COUNT 4", "a00 OK SEARCH completed."),
                c.command("a00", "SEARCH RETURN (COUNT UPDATE (UID BODY.PEEK[HEADER.FIELDS (FROM)])) FROM \"boss\""));
        other.append("INBOX", "", message("From: boss@example.org", 5));
        assertEquals("* 5 EXISTS", c.readLine());
        assertEquals("* 5 RECENT", c.readLine());
        assertEquals("* 5 FETCH (UID 5 BODY[HEADER.FIELDS (FROM)] {26}\r\nFrom: boss@example.org\r\n\r\n)",
                c.readResponse());
        assertEquals("* ESEARCH (TAG \"a00\") ADDTO (0 5)", c.readLine());
        other.expectOk("SELECT INBOX");
        other.expectOk("STORE 1 +FLAGS.SILENT (\\Seen)"); // still from the boss: no update of the result
        assertEquals("* 1 FETCH (UID 1 FLAGS (\\Seen \\Recent))", c.readLine());
        assertTrue(c.expectOk("NOOP").untagged().isEmpty());
    }

    @Test
    void contextSearchIsAdvertisedAfterPartial() throws IOException {
        var capability = c.expectOk("CAPABILITY").untagged().getFirst();
        assertTrue(capability.contains(" PARTIAL CONTEXT=SEARCH"), capability);
    }
}
