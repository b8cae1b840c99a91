package org.roost.imap.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * ENABLE (RFC 5161) and CONDSTORE (RFC 7162 §3.1) over the wire, byte for byte: HIGHESTMODSEQ at
 * SELECT and in STATUS, the MODSEQ fetch item and CHANGEDSINCE, STORE UNCHANGEDSINCE with MODIFIED,
 * SEARCH MODSEQ, and MODSEQ in the FETCH responses of a session that enabled it.
 */
class CondstoreTest {
    private static final Pattern HIGHEST = Pattern.compile("^\\* OK \\[HIGHESTMODSEQ (\\d+)] Highest$");
    @TempDir
    Path dir;
    private TestServer server;
    private RawImapClient c;

    @BeforeEach
    void start() throws IOException {
        server = TestServer.start(dir);
        c = login(server);
        for (int i = 1; i <= 3; i++) {
            c.append("INBOX", "", ("Subject: " + i + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII));
        }
    }

    @AfterEach
    void stop() throws IOException {
        c.close();
        server.close();
    }

    static RawImapClient login(TestServer server) throws IOException {
        var client = server.imap();
        client.greeting();
        client.expectOk("LOGIN alice \"wonder land\"");
        return client;
    }

    static long highestModseq(RawImapClient.Response r) {
        for (var line : r.untagged()) {
            var m = HIGHEST.matcher(line);
            if (m.matches()) {
                return Long.parseLong(m.group(1));
            }
        }
        throw new AssertionError("no HIGHESTMODSEQ in\n" + r);
    }

    @Test
    void enableListsOnlyWhatItEnabledAndCapabilityStaysTheSame() throws IOException {
        var before = c.expectOk("CAPABILITY").untagged();
        assertTrue(before.getFirst().contains(" ENABLE ") && before.getFirst().contains(" CONDSTORE QRESYNC "), before.getFirst());
        assertEquals(List.of("* ENABLED CONDSTORE"), c.expectOk("ENABLE CONDSTORE X-GOOD-IDEA").untagged());
        assertEquals(List.of("* ENABLED QRESYNC"), c.expectOk("ENABLE QRESYNC CONDSTORE").untagged());
        assertEquals(List.of("* ENABLED"), c.expectOk("ENABLE QRESYNC").untagged());
        assertEquals(before, c.expectOk("CAPABILITY").untagged()); // RFC 5161 §3.1
    }

    @Test
    void selectReportsHighestModseqOnlyOnceEnabled() throws IOException {
        var plain = c.expectOk("SELECT INBOX");
        assertTrue(plain.untagged().stream().noneMatch(l -> l.contains("MODSEQ")), plain.toString());
        var condstore = c.expectOk("SELECT INBOX (CONDSTORE)");
        assertEquals("* OK [CLOSED] Previous mailbox closed.", condstore.untagged().getFirst());
        assertEquals(highestModseq(condstore), statusHighest());
        assertTrue(highestModseq(condstore) > 0);
    }

    @Test
    void storeBumpsModseqAndFetchChangedSinceSeesOnlyTheChange() throws IOException {
        long start = highestModseq(c.expectOk("SELECT INBOX (CONDSTORE)"));
        var store = c.expectOk("STORE 2 +FLAGS.SILENT (\\Seen)");
        assertEquals(List.of("* 2 FETCH (UID 2 MODSEQ (" + (start + 1) + "))"), store.untagged());
        assertEquals(List.of("* 2 FETCH (UID 2 FLAGS (\\Seen \\Recent) MODSEQ (" + (start + 1) + "))"),
                c.expectOk("FETCH 1:* (UID FLAGS) (CHANGEDSINCE " + start + ")").untagged());
        assertEquals(List.of(), c.expectOk("FETCH 1:* (FLAGS) (CHANGEDSINCE " + (start + 1) + ")").untagged());
        // setting a flag already set changes nothing, and keeps the MODSEQ (RFC 7162 §3.1)
        assertEquals(List.of("* 2 FETCH (UID 2 MODSEQ (" + (start + 1) + "))"),
                c.expectOk("STORE 2 +FLAGS.SILENT (\\Seen)").untagged());
        assertEquals(start + 1, statusHighest());
    }

    @Test
    void unchangedSinceLeavesNewerMessagesAloneAndNamesThem() throws IOException {
        long start = highestModseq(c.expectOk("SELECT INBOX (CONDSTORE)"));
        try (var other = login(server)) {
            other.expectOk("SELECT INBOX");
            other.expectOk("STORE 3 +FLAGS.SILENT (\\Deleted \\Flagged)");
        }
        var r = c.expectOk("STORE 1:3 (UNCHANGEDSINCE " + start + ") +FLAGS.SILENT (\\Deleted)");
        assertEquals(List.of("* 1 FETCH (UID 1 MODSEQ (" + (start + 2) + "))", "* 2 FETCH (UID 2 MODSEQ ("
                + (start + 2) + "))", "* 3 FETCH (UID 3 FLAGS (\\Flagged \\Deleted \\Recent) MODSEQ (" + (start + 1)
                + "))"), r.untagged());
        assertTrue(r.tagged().endsWith(" OK [MODIFIED 3] Conditional STORE failed."), r.tagged());
        // RFC 7162 §3.1.3 example 8: 0 always fails; UID STORE names UIDs
        var zero = c.expectOk("UID STORE 2 (UNCHANGEDSINCE 0) +FLAGS.SILENT ($MDNSent)");
        assertTrue(zero.tagged().endsWith(" OK [MODIFIED 2] Conditional STORE failed."), zero.tagged());
        assertEquals(List.of("* 3 FETCH (FLAGS (\\Flagged \\Deleted \\Recent))"), c.expectOk("FETCH 3 FLAGS").untagged());
    }

    /**
     * RFC 7162 §3.1.12, its example: another session's change of a flag the +FLAGS does not name is no
     * conflict: the flag is set, with a new MODSEQ, and no MODIFIED. FLAGS, which replaces them all, still
     * conflicts.
     */
    @Test
    void aChangeOfOtherFlagsIsNoConflictForPlusAndMinusFlags() throws IOException {
        long start = highestModseq(c.expectOk("SELECT INBOX (CONDSTORE)"));
        try (var other = login(server)) {
            other.expectOk("SELECT INBOX");
            other.expectOk("STORE 2 +FLAGS.SILENT (\\Deleted \\Answered)");
        }
        var r = c.expectOk("STORE 2 (UNCHANGEDSINCE " + start + ") +FLAGS.SILENT ($Processed)");
        assertEquals("* 2 FETCH (UID 2 MODSEQ (" + (start + 2) + "))", r.untagged().getLast());
        assertTrue(r.tagged().endsWith(" OK STORE completed."), r.tagged());
        assertEquals(List.of("* 2 FETCH (FLAGS (\\Answered \\Deleted \\Recent $Processed))"),
                c.expectOk("FETCH 2 FLAGS").untagged());
        var minus = c.expectOk("STORE 2 (UNCHANGEDSINCE " + start + ") -FLAGS.SILENT ($Processed)");
        assertTrue(minus.tagged().endsWith(" OK STORE completed."), minus.tagged());
        var replace = c.expectOk("STORE 2 (UNCHANGEDSINCE " + start + ") FLAGS.SILENT ($Processed)");
        assertTrue(replace.tagged().endsWith(" OK [MODIFIED 2] Conditional STORE failed."), replace.tagged());
    }

    @Test
    void searchModseqEndsWithTheHighestFound() throws IOException {
        long start = highestModseq(c.expectOk("SELECT INBOX (CONDSTORE)"));
        c.expectOk("STORE 1,3 +FLAGS (\\Answered)");
        var r = c.expectOk("SEARCH MODSEQ \"/flags/\\\\answered\" all " + (start + 1));
        assertEquals(List.of("* SEARCH 1 3 (MODSEQ " + (start + 1) + ")"), r.untagged());
        assertEquals(List.of("* SEARCH"), c.expectOk("UID SEARCH MODSEQ " + (start + 2)).untagged());
    }

    @Test
    void theFirstEnablingCommandWhileSelectedReportsHighestModseq() throws IOException {
        c.expectOk("SELECT INBOX");
        var r = c.expectOk("FETCH 1 (MODSEQ)");
        long highest = highestModseq(r);
        assertEquals("* 1 FETCH (MODSEQ (" + (highest - 2) + "))", r.untagged().getLast());
        // another session's change now carries UID and MODSEQ (RFC 7162 §3.2.4)
        try (var other = login(server)) {
            other.expectOk("SELECT INBOX");
            other.expectOk("STORE 1 +FLAGS.SILENT (\\Draft)");
        }
        assertEquals(List.of("* 1 FETCH (UID 1 FLAGS (\\Draft \\Recent) MODSEQ (" + (highest + 1) + "))"),
                c.expectOk("NOOP").untagged());
    }

    @Test
    void hostileModseqsAreBadNotErrors() throws IOException {
        c.expectOk("SELECT INBOX");
        assertTrue(c.run("FETCH 1:* FLAGS (CHANGEDSINCE 9223372036854775808)").tagged().contains(" BAD "));
        assertTrue(c.run("FETCH 1:* FLAGS (CHANGEDSINCE " + "9".repeat(5000) + ")").tagged().contains(" BAD "));
        assertEquals(List.of(), c.expectOk("FETCH 1:* FLAGS (CHANGEDSINCE 9223372036854775807)").untagged()
                .stream().filter(l -> l.contains("FETCH")).toList());
        assertTrue(c.run("UID FETCH 1:* FLAGS (CHANGEDSINCE 1 VANISHED)").tagged().contains(" BAD "),
                "VANISHED without ENABLE QRESYNC");
    }

    private long statusHighest() throws IOException {
        try (var other = login(server)) {
            var line = other.expectOk("STATUS INBOX (HIGHESTMODSEQ)").untagged().getFirst();
            var m = Pattern.compile("^\\* STATUS INBOX \\(HIGHESTMODSEQ (\\d+)\\)$").matcher(line);
            assertTrue(m.matches(), line);
            return Long.parseLong(m.group(1));
        }
    }
}
