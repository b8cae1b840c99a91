package org.roost.imap.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.roost.imap.sync.CondstoreTest.highestModseq;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.ImapCapabilities;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * PARTIAL (RFC 9394) byte for byte, after the RFC's examples: paged SEARCH results from the start and from
 * the end, a range past the results (NIL), with MIN, COUNT and SAVE (§3.2), and the UID FETCH modifier
 * alone and with CHANGEDSINCE (§3.3, §3.4). The mailbox holds UIDs 1 to 12, UIDs 4 and 5 expunged.
 */
class PartialTest {
    @TempDir
    Path dir;
    private TestServer server;
    private RawImapClient c;

    @BeforeEach
    void start() throws IOException {
        server = TestServer.start(dir);
        c = CondstoreTest.login(server);
        for (int i = 1; i <= 12; i++) {
            c.append("INBOX", i % 3 == 0 ? "(\\Flagged)" : "()",
                    ("Subject: " + i + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        c.expectOk("SELECT INBOX");
        c.expectOk("UID STORE 4:5 +FLAGS.SILENT (\\Deleted)");
        c.expectOk("EXPUNGE");
    }

    @AfterEach
    void stop() throws IOException {
        c.close();
        server.close();
    }

    @Test
    void searchResultsComeInPagesFromEitherEnd() throws IOException {
        assertEquals(List.of("* ESEARCH (TAG \"A01\") UID PARTIAL (-1:-3 10:12)", "A01 OK UID SEARCH completed."),
                c.command("A01", "UID SEARCH RETURN (PARTIAL -1:-3) UNDELETED"));
        assertEquals(List.of("* ESEARCH (TAG \"A02\") UID PARTIAL (3:5 3,6:7)", "A02 OK UID SEARCH completed."),
                c.command("A02", "UID SEARCH RETURN (PARTIAL 3:5) ALL"));
        // a range the other way round is the same range; it spans the end of the results
        assertEquals(List.of("* ESEARCH (TAG \"A03\") UID PARTIAL (20:9 11:12)", "A03 OK UID SEARCH completed."),
                c.command("A03", "UID SEARCH RETURN (PARTIAL 20:9) ALL"));
        assertEquals(List.of("* ESEARCH (TAG \"A04\") UID PARTIAL (24000:24500 NIL)", "A04 OK UID SEARCH completed."),
                c.command("A04", "UID SEARCH RETURN (PARTIAL 24000:24500) ALL"));
        assertEquals(List.of("* ESEARCH (TAG \"A05\") PARTIAL (-2:-1 7,10)", "A05 OK SEARCH completed."),
                c.command("A05", "SEARCH RETURN (PARTIAL -2:-1) FLAGGED"));
        assertEquals(List.of("* ESEARCH (TAG \"A06\") UID MIN 3 COUNT 4 PARTIAL (-100:-3 3,6)",
                "A06 OK UID SEARCH completed."), c.command("A06", "UID SEARCH RETURN (MIN COUNT PARTIAL -100:-3) FLAGGED"));
    }

    @Test
    void savedResultsFollowTheTableOfSection3Point2() throws IOException {
        c.expectOk("UID SEARCH RETURN (SAVE PARTIAL 2:3) ALL");
        assertEquals(List.of("* SEARCH 2 3"), c.expectOk("UID SEARCH UID $").untagged()); // PARTIAL
        c.expectOk("UID SEARCH RETURN (SAVE MAX PARTIAL 1:2) ALL");
        assertEquals(List.of("* SEARCH 1 2 12"), c.expectOk("UID SEARCH UID $").untagged()); // PARTIAL & MAX
        c.expectOk("UID SEARCH RETURN (SAVE COUNT PARTIAL 1:2) ALL");
        assertEquals(List.of("* SEARCH 1 2 3 6 7 8 9 10 11 12"), c.expectOk("UID SEARCH UID $").untagged()); // all
    }

    @Test
    void uidFetchReturnsItsPartOfTheMessagesNamed() throws IOException {
        assertEquals(List.of("* 8 FETCH (UID 10 FLAGS (\\Recent))", "* 9 FETCH (UID 11 FLAGS (\\Recent))",
                "* 10 FETCH (UID 12 FLAGS (\\Flagged \\Recent))",
                "10 OK UID FETCH completed."), c.command("10", "UID FETCH 2:12 (UID FLAGS) (PARTIAL -1:-3)"));
        assertEquals(List.of("* 2 FETCH (UID 2 FLAGS (\\Recent))", "* 3 FETCH (UID 3 FLAGS (\\Flagged \\Recent))",
                "* 4 FETCH (UID 6 FLAGS (\\Flagged \\Recent))", "11 OK UID FETCH completed."),
                c.command("11", "UID FETCH 2:12 (UID FLAGS) (PARTIAL 1:3)"));
        long modseq = highestModseq(c.expectOk("SELECT INBOX (CONDSTORE)"));
        c.expectOk("UID STORE 2,11 +FLAGS.SILENT (\\Answered)");
        // the last three named first, then those changed: UID 2 is not among them (RFC 9394 §3.4)
        assertEquals(List.of("* 9 FETCH (UID 11 FLAGS (\\Answered) MODSEQ (" + (modseq + 1) + "))",
                "12 OK UID FETCH completed."),
                c.command("12", "UID FETCH 1:* (UID FLAGS) (PARTIAL -1:-3 CHANGEDSINCE " + modseq + ")"));
        assertEquals(List.of("* 9 FETCH (UID 11 FLAGS (\\Answered) MODSEQ (" + (modseq + 1) + "))",
                "13 OK UID FETCH completed."),
                c.command("13", "UID FETCH 1:* (UID FLAGS) (CHANGEDSINCE " + modseq + " PARTIAL -3:-1)"));
    }

    @Test
    void malformedRangesAndCombinationsAreBad() throws IOException {
        for (var bad : List.of("UID SEARCH RETURN (PARTIAL 0:5) ALL", "UID SEARCH RETURN (PARTIAL 1:-5) ALL",
                "UID SEARCH RETURN (PARTIAL -1:5) ALL", "UID SEARCH RETURN (PARTIAL 1:4294967296) ALL",
                "UID SEARCH RETURN (PARTIAL 5) ALL", "UID SEARCH RETURN (ALL PARTIAL 1:5) ALL",
                "UID SEARCH RETURN (PARTIAL 1:5 PARTIAL 6:9) ALL", "FETCH 1:* (FLAGS) (PARTIAL 1:5)",
                "UID FETCH 1:* (FLAGS) (PARTIAL 1:5 PARTIAL 1:2)")) {
            assertTrue(c.run(bad).tagged().matches("\\S+ BAD .*"), bad);
        }
    }

    @Test
    void partialIsAdvertisedAfterNotify() throws IOException {
        var capability = c.expectOk("CAPABILITY").untagged().getFirst();
        assertEquals("* CAPABILITY " + ImapCapabilities.AFTER_LOGIN, capability); // in registration order
    }
}
