package org.roost.imap.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.roost.imap.sync.CondstoreTest.highestModseq;
import static org.roost.imap.sync.CondstoreTest.login;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * QRESYNC (RFC 7162 §3.2) byte for byte: SELECT (QRESYNC ...) with VANISHED (EARLIER) and the flag
 * changes, VANISHED instead of EXPUNGE, UID FETCH (CHANGEDSINCE ... VANISHED), the expunges
 * remembered across a restart, and a known-UID list of a million ranges answered in one pass.
 */
class QresyncTest {
    @TempDir
    Path dir;

    private static void fill(RawImapClient c, int messages) throws IOException {
        for (int i = 1; i <= messages; i++) {
            c.append("INBOX", "", ("Subject: " + i + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void reconnectGetsVanishedEarlierAndTheChangedFlags() throws IOException {
        try (var server = TestServer.start(dir); var c = login(server)) {
            fill(c, 6);
            c.expectOk("ENABLE QRESYNC");
            var first = c.expectOk("SELECT INBOX");
            long known = highestModseq(first);
            long validity = uidValidity(first);
            c.expectOk("STORE 2 +FLAGS.SILENT (\\Seen)");
            c.expectOk("STORE 3,5 +FLAGS.SILENT (\\Deleted)");
            var expunge = c.expectOk("EXPUNGE");
            assertEquals(List.of("* VANISHED 3,5"), expunge.untagged()); // RFC 7162 §3.2.10.2
            long afterExpunge = known + 3;
            assertTrue(expunge.tagged().endsWith(" OK [HIGHESTMODSEQ " + afterExpunge + "] EXPUNGE completed."),
                    expunge.tagged());

            var resync = c.expectOk("SELECT INBOX (QRESYNC (" + validity + " " + known + " 1:6))");
            assertEquals("* OK [CLOSED] Previous mailbox closed.", resync.untagged().getFirst());
            assertEquals(afterExpunge, highestModseq(resync));
            assertEquals(List.of("* VANISHED (EARLIER) 3,5", "* 2 FETCH (UID 2 FLAGS (\\Seen) MODSEQ (" + (known + 1)
                    + "))"), resync.untagged().subList(resync.untagged().size() - 2, resync.untagged().size()));

            // the same through UID FETCH (§3.2.6), limited to the UIDs asked for
            assertEquals(List.of("* VANISHED (EARLIER) 5", "* 2 FETCH (UID 2 FLAGS (\\Seen) MODSEQ (" + (known + 1) + "))"),
                    c.expectOk("UID FETCH 2,5:* (FLAGS) (CHANGEDSINCE " + known + " VANISHED)").untagged());
            assertEquals(List.of("* VANISHED (EARLIER) 5"),
                    c.expectOk("UID FETCH 5:6 (FLAGS) (CHANGEDSINCE " + (known + 1) + " VANISHED)").untagged());
            // MOVE (RFC 6851 §4.4): VANISHED, and the MODSEQ in the tagged OK
            c.expectOk("CREATE Archive");
            var move = c.expectOk("UID MOVE 6 Archive");
            assertEquals("* VANISHED 6", move.untagged().getLast());
            assertTrue(move.tagged().endsWith(" OK [HIGHESTMODSEQ " + (afterExpunge + 1) + "] MOVE completed."),
                    move.tagged());
            // a wrong UIDVALIDITY: just a SELECT (§3.2.5)
            var mismatch = c.expectOk("EXAMINE INBOX (QRESYNC (" + (validity + 1) + " " + known + "))");
            assertTrue(mismatch.untagged().stream().noneMatch(l -> l.contains("VANISHED") || l.contains("FETCH")));
        }
    }

    @Test
    void expungesAreRememberedAcrossARestartAndTheSequenceMatchNarrowsThem() throws IOException {
        long known;
        long validity;
        try (var server = TestServer.start(dir); var c = login(server)) {
            fill(c, 10);
            c.expectOk("ENABLE QRESYNC");
            var first = c.expectOk("SELECT INBOX");
            known = highestModseq(first);
            validity = uidValidity(first);
            c.expectOk("STORE 2,7 +FLAGS.SILENT (\\Deleted)");
            c.expectOk("EXPUNGE");
        }
        try (var server = TestServer.start(dir); var c = login(server)) {
            c.expectOk("ENABLE QRESYNC");
            var r = c.expectOk("EXAMINE INBOX (QRESYNC (" + validity + " " + known + "))");
            assertEquals(List.of("* VANISHED (EARLIER) 2,7"), r.untagged("VANISHED"));
            assertEquals(known + 2, highestModseq(r));
            // the client knows seq 5 is UID 6 (it is, after UID 2 went): no VANISHED at or below 6 (§3.2.5.2)
            var matched = c.expectOk("EXAMINE INBOX (QRESYNC (" + validity + " " + known + " 1:10 (5 6)))");
            assertEquals(List.of("* VANISHED (EARLIER) 7"), matched.untagged("VANISHED"));
        }
    }

    @Test
    void qresyncNeedsEnableAndExpungeStaysExpungeWithoutIt() throws IOException {
        try (var server = TestServer.start(dir); var c = login(server)) {
            fill(c, 2);
            assertTrue(c.run("SELECT INBOX (QRESYNC (1 1))").tagged().contains(" BAD "));
            c.expectOk("SELECT INBOX (CONDSTORE)");
            c.expectOk("STORE 1 +FLAGS.SILENT (\\Deleted)");
            assertEquals(List.of("* 1 EXPUNGE"), c.expectOk("EXPUNGE").untagged());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aMillionKnownUidRangesAreAnsweredInOnePass() throws IOException {
        var limits = Map.of("ROOST_LIMITS_MAXLINELENGTH", String.valueOf(32 * 1024 * 1024));
        try (var server = TestServer.start(dir, limits); var c = login(server)) {
            fill(c, 3);
            c.expectOk("ENABLE QRESYNC");
            var first = c.expectOk("SELECT INBOX");
            long known = highestModseq(first);
            c.expectOk("STORE 2 +FLAGS.SILENT (\\Deleted)");
            c.expectOk("EXPUNGE");
            var uids = new StringBuilder("1,2,3");
            for (long uid = 5; uid < 2_000_000; uid += 2) {
                uids.append(',').append(uid);
            }
            var r = c.expectOk("SELECT INBOX (QRESYNC (" + uidValidity(first) + " " + known + " " + uids
                    + " (1 1)))");
            assertEquals(List.of("* VANISHED (EARLIER) 2"), r.untagged("VANISHED"));
            // the superset when the client is older than the history: every known UID not in the mailbox
            var older = c.expectOk("SELECT INBOX (QRESYNC (" + uidValidity(first) + " 1 1:9))");
            assertEquals(List.of("* VANISHED (EARLIER) 2"), older.untagged("VANISHED"));
        }
    }

    static long uidValidity(RawImapClient.Response r) {
        return r.untagged().stream().filter(l -> l.startsWith("* OK [UIDVALIDITY ")).findFirst()
                .map(l -> Long.parseLong(l.substring(18, l.indexOf(']')))).orElseThrow();
    }
}
