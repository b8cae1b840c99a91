package org.roost.imap.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.roost.imap.sync.CondstoreTest.highestModseq;
import static org.roost.imap.sync.CondstoreTest.login;
import static org.roost.imap.sync.QresyncTest.uidValidity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * UIDONLY (RFC 9586) byte for byte: ENABLE before SELECT only (§3.1), {@code BAD [UIDREQUIRED]} for every
 * message number a client sends (§3), UIDFETCH instead of FETCH (§3.3), VANISHED instead of EXPUNGE with
 * and without QRESYNC (§3.4), the UID forms of SEARCH, SORT and THREAD, CONDSTORE and QRESYNC, IDLE and
 * NOTIFY in the mode, and no sequence number in any response.
 */
@Timeout(60)
class UidOnlyTest {
    /** RFC 9586 §3's example of the refusal, its text included. */
    private static final String REFUSAL = "BAD [UIDREQUIRED] Message numbers are not allowed once UIDONLY is enabled";

    @TempDir
    Path dir;

    /** Appends {@code messages} to INBOX in a session of its own, which also takes their \\Recent. */
    private static void fill(TestServer server, int messages) throws IOException {
        try (var c = login(server)) {
            for (int i = 1; i <= messages; i++) {
                c.append("INBOX", "", ("Subject: " + (char) ('a' + i) + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            c.expectOk("SELECT INBOX");
            c.expectOk("CLOSE");
        }
    }

    private static RawImapClient uidOnly(TestServer server) throws IOException {
        var c = login(server);
        assertEquals(List.of("* ENABLED UIDONLY"), c.expectOk("ENABLE UIDONLY").untagged());
        return c;
    }

    @Test
    void advertisedAfterLoginAndEnabledBeforeSelectOnly() throws IOException {
        try (var server = TestServer.start(dir); var c = server.imap()) {
            fill(server, 1);
            c.greeting();
            assertTrue(c.run("ENABLE UIDONLY").tagged().contains(" BAD "));
            c.expectOk("LOGIN alice \"wonder land\"");
            assertTrue(List.of(c.expectOk("CAPABILITY").untagged().getFirst().split(" ")).contains("UIDONLY"));
            c.expectOk("SELECT INBOX");
            // §3.1: the selected mailbox's messages are numbered already
            var selected = c.run("ENABLE UIDONLY");
            assertEquals("BAD UIDONLY can only be enabled before a mailbox is selected.", selected.status());
            assertEquals("FETCH completed.", c.run("FETCH 1:* (FLAGS)").status().substring(3), "still numbered");
            c.expectOk("UNSELECT");
            assertEquals(List.of("* ENABLED UIDONLY"), c.expectOk("ENABLE UIDONLY").untagged());
            assertEquals(List.of("* ENABLED"), c.expectOk("ENABLE UIDONLY").untagged(), "once");
            c.expectOk("SELECT INBOX");
            assertEquals(List.of("* ENABLED"), c.expectOk("ENABLE UIDONLY").untagged(), "enabled already");
        }
    }

    /**
     * RFC 9586 §3 and §3.3's examples: the refusal (tag and text as the RFC has them) and a UIDFETCH response
     * with the RFC's UID 25997; its flags in the fixed order Roost writes every FLAGS list in.
     */
    @Test
    void theRfcExamples(@TempDir Path dir) throws IOException {
        try (var server = TestServer.start(dir)) {
            var inbox = server.maildir(TestServer.ALICE);
            Files.createDirectories(inbox);
            // a dovecot-uidlist written by Dovecot: the next UID is 25996
            Files.writeString(inbox.resolve("dovecot-uidlist"), "3 V1700000000 N25996\n");
            fill(server, 2);
            try (var c = uidOnly(server)) {
                c.expectOk("SELECT INBOX");
                assertEquals(List.of("07 " + REFUSAL), c.command("07", "FETCH 1 (FLAGS)"));
                assertEquals(List.of("* 25997 UIDFETCH (FLAGS (\\Answered \\Flagged))", "08 OK UID STORE completed."),
                        c.command("08", "UID STORE 25997 +FLAGS (\\Flagged \\Answered)"));
                assertEquals(List.of("* 25997 UIDFETCH (FLAGS (\\Answered \\Flagged))", "09 OK UID FETCH completed."),
                        c.command("09", "UID FETCH 25997 (FLAGS)"));
            }
        }
    }

    @Test
    void messageNumbersAreRefusedAnywhereAndTheSessionGoesOn() throws IOException {
        try (var server = TestServer.start(dir); var c = uidOnly(server)) {
            fill(server, 3);
            c.expectOk("CREATE Archive");
            c.expectOk("SELECT INBOX");
            for (var command : List.of("FETCH 1 (FLAGS)", "FETCH * (FLAGS)", "FETCH $ (FLAGS)", "FETCH 1:* FAST",
                    "STORE 1 +FLAGS (\\Seen)", "STORE * FLAGS ()", "COPY 1 Archive", "MOVE 1:* Archive", "MOVE $ Archive",
                    "SEARCH ALL", "SEARCH RETURN (COUNT) ALL", "SORT (DATE) UTF-8 ALL", "THREAD REFERENCES UTF-8 ALL",
                    "UID SEARCH 1:*", "UID SEARCH 2", "UID SEARCH NOT 1", "UID SEARCH OR UID 1 2",
                    "UID SEARCH (SEEN *)", "UID SEARCH RETURN (ALL) UID 1 1:2", "UID SORT (SUBJECT) UTF-8 1",
                    "UID THREAD ORDEREDSUBJECT UTF-8 OR 1 UID 2", "SELECT INBOX (QRESYNC (1 1 1:3 (1 1)))",
                    "REPLACE 1 INBOX {14+}\r\nSubject: x\r\n\r\n")) {
                var tag = "t" + command.length();
                assertEquals(List.of(tag + " " + REFUSAL), c.command(tag, command), command);
            }
            // nothing changed: still selected, nothing copied, moved or flagged
            assertEquals(List.of("* SEARCH 1 2 3"), c.expectOk("UID SEARCH ALL").untagged());
            assertEquals(List.of("* SEARCH"), c.expectOk("UID SEARCH SEEN").untagged());
            assertTrue(c.expectOk("STATUS Archive (MESSAGES)").untagged().contains("* STATUS Archive (MESSAGES 0)"));
            // * and $ are UIDs in the UID forms (RFC 3501 §6.4.8, RFC 5182)
            assertEquals(List.of("* 3 UIDFETCH (FLAGS ())"), c.expectOk("UID FETCH * (FLAGS)").untagged());
            c.expectOk("UID SEARCH RETURN (SAVE) UID 2:3");
            assertEquals(List.of("* SEARCH 2 3"), c.expectOk("UID SEARCH $").untagged());
            assertEquals(List.of("* 2 UIDFETCH (UID 2)", "* 3 UIDFETCH (UID 3)"), c.expectOk("UID FETCH $ (UID)").untagged());
            // a command that does not parse stays a plain BAD
            assertTrue(c.run("FETCH 1:x (FLAGS)").tagged().matches("a\\d+ BAD (?!\\[UIDREQUIRED]).*"));
        }
    }

    /** Random sequence sets in every command that takes one: refused unless it is the UID form, never a crash. */
    @Test
    void randomSetsInNumberedCommandsAreAllRefused() throws IOException {
        var random = new Random(9586);
        try (var server = TestServer.start(dir); var c = uidOnly(server)) {
            fill(server, 2);
            c.expectOk("SELECT INBOX");
            var commands = List.of("FETCH %s (UID)", "STORE %s +FLAGS (x)", "COPY %s INBOX", "MOVE %s INBOX",
                    "SEARCH %s", "UID SEARCH %s", "UID SEARCH NOT %s", "UID SORT (ARRIVAL) UTF-8 %s",
                    "UID THREAD REFERENCES UTF-8 %s");
            for (int i = 0; i < 300; i++) {
                var set = randomSet(random);
                var command = String.format(commands.get(random.nextInt(commands.size())), set);
                var answer = c.run(command);
                assertTrue(answer.tagged().endsWith(" " + REFUSAL), command + "\n" + answer);
                assertEquals(List.of(), answer.untagged(), command);
            }
            assertEquals(List.of("* SEARCH 1 2"), c.expectOk("UID SEARCH ALL").untagged());
        }
    }

    private static String randomSet(Random random) {
        var set = new StringBuilder();
        int parts = 1 + random.nextInt(4);
        for (int p = 0; p < parts; p++) {
            if (p > 0) {
                set.append(',');
            }
            set.append(number(random));
            if (random.nextBoolean()) {
                set.append(':').append(number(random));
            }
        }
        return set.toString();
    }

    private static String number(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> "*";
            case 1 -> String.valueOf(4294967295L - random.nextInt(3));
            default -> String.valueOf(1 + random.nextInt(5));
        };
    }

    /**
     * Hostile and borderline arguments in the mode: a set of 10,000 ranges near the line limit (refused in the
     * numbered forms and as a search key, answered as UIDs), the largest UID, reversed ranges, {@code *} and
     * {@code $} in each place they can stand, a CHARSET before a sequence-set key, and the result forms
     * that carry positions rather than message numbers (ESEARCH, PARTIAL, ESORT): all UIDs.
     */
    @Test
    void hostileSetsStarAndSavedResultsInTheMode() throws IOException {
        try (var server = TestServer.start(dir); var c = uidOnly(server)) {
            fill(server, 5);
            c.expectOk("SELECT INBOX");
            var ranges = new StringBuilder("1");
            for (int i = 3; ranges.length() < 60_000; i += 2) {
                ranges.append(',').append(i).append(':').append(i);
            }
            for (var refused : List.of("FETCH " + ranges + " (FLAGS)", "UID SEARCH " + ranges, "UID SEARCH *",
                    "UID SEARCH CHARSET UTF-8 1", "UID SEARCH RETURN (SAVE) 1:*", "UID SORT RETURN (COUNT) (DATE) UTF-8 *",
                    "UID THREAD REFS UTF-8 NOT 4294967295")) {
                assertEquals(List.of("h1 " + REFUSAL), c.command("h1", refused), refused.substring(0, Math.min(40, refused.length())));
            }
            assertEquals(List.of("* 1 UIDFETCH (UID 1)", "* 3 UIDFETCH (UID 3)", "* 5 UIDFETCH (UID 5)"),
                    c.expectOk("UID FETCH " + ranges + " (UID)").untagged());
            assertEquals(List.of("* SEARCH 1 3 5"), c.expectOk("UID SEARCH UID " + ranges).untagged());
            assertEquals(5, c.expectOk("UID FETCH 4294967295:1 (UID)").untagged().size());
            assertEquals(List.of("* 5 UIDFETCH (FLAGS ())"), c.expectOk("UID FETCH * (FLAGS)").untagged());
            assertEquals(List.of("* SEARCH 5"), c.expectOk("UID SEARCH UID *").untagged());
            c.expectOk("UID SEARCH RETURN (SAVE) UID 2:4");
            assertEquals(List.of("* SORT 4 3 2"), c.expectOk("UID SORT (REVERSE SUBJECT) UTF-8 $").untagged());
            assertEquals(List.of("* THREAD (2)(3)(4)"), c.expectOk("UID THREAD ORDEREDSUBJECT UTF-8 $").untagged());
            assertEquals(List.of("* 2 UIDFETCH (FLAGS (\\Seen))", "* 3 UIDFETCH (FLAGS (\\Seen))", "* 4 UIDFETCH (FLAGS (\\Seen))"),
                    c.expectOk("UID STORE $ +FLAGS (\\Seen)").untagged());
            assertEquals(List.of("* ESEARCH (TAG \"h2\") UID ALL 2:4 COUNT 3"),
                    c.command("h2", "UID SORT RETURN (ALL COUNT) (ARRIVAL) UTF-8 SEEN").subList(0, 1));
            assertEquals(List.of("* ESEARCH (TAG \"h3\") UID PARTIAL (-1:-2 4:5)"),
                    c.command("h3", "UID SEARCH RETURN (PARTIAL -1:-2) ALL").subList(0, 1));
            assertEquals(List.of("* 4 UIDFETCH (FLAGS (\\Seen))", "* 5 UIDFETCH (FLAGS ())"),
                    c.expectOk("UID FETCH 1:* (FLAGS) (PARTIAL -1:-2)").untagged());
        }
    }

    /**
     * A search kept up to date (CONTEXT=SEARCH, RFC 5267 §4.3) in the mode: ADDTO and REMOVEFROM carry
     * positions and UIDs, REMOVEFROM comes before the VANISHED it follows from; IMAP4rev2's ESEARCH
     * answers the UID forms. UNAUTHENTICATE ends the mode (RFC 8437 §3: what was enabled is reset).
     */
    @Test
    void updatedSearchesRev2AndUnauthenticate() throws IOException {
        try (var server = TestServer.start(dir); var c = login(server); var other = login(server)) {
            fill(server, 3);
            assertEquals(List.of("* ENABLED IMAP4rev2 UIDONLY"), c.expectOk("ENABLE IMAP4rev2 UIDONLY").untagged());
            c.expectOk("SELECT INBOX");
            other.expectOk("SELECT INBOX");
            assertEquals(List.of("* ESEARCH (TAG \"u1\") UID ALL 1:3", "u1 OK UID SEARCH completed."),
                    c.command("u1", "UID SEARCH RETURN (UPDATE ALL) UNSEEN"));
            other.expectOk("UID STORE 2 +FLAGS.SILENT (\\Seen \\Deleted)");
            other.append("INBOX", "", "Subject: n\r\n\r\nnew\r\n".getBytes(StandardCharsets.US_ASCII));
            other.expectOk("UID EXPUNGE 2");
            assertEquals(List.of("* ESEARCH (TAG \"u1\") UID REMOVEFROM (0 2)", "* VANISHED 2", "* 3 EXISTS",
                    "* ESEARCH (TAG \"u1\") UID ADDTO (0 4)"), c.expectOk("NOOP").untagged());
            assertEquals(List.of("* ESEARCH (TAG \"u2\") UID ALL 1,3:4"), c.command("u2", "UID SEARCH ALL").subList(0, 1));
            c.expectOk("UNAUTHENTICATE");
            c.expectOk("LOGIN alice \"wonder land\"");
            c.expectOk("SELECT INBOX");
            assertEquals("* 1 FETCH (FLAGS ())", c.expectOk("FETCH 1 (FLAGS)").untagged().getFirst(), "numbered again");
        }
    }

    /** Each command a client in the mode sends, and what it is told: UIDs only. */
    @Test
    void aSessionWalksEveryCommandInUidOnlyMode() throws IOException {
        try (var server = TestServer.start(dir); var c = uidOnly(server); var other = login(server)) {
            fill(server, 5);
            other.expectOk("SELECT INBOX");
            other.expectOk("STORE 1 +FLAGS.SILENT (\\Seen)");
            var select = c.expectOk("SELECT INBOX");
            // §3: the UNSEEN response code holds a message number
            assertTrue(select.untagged().stream().noneMatch(l -> l.contains("[UNSEEN ")), select.toString());
            assertTrue(select.untagged().contains("* 5 EXISTS"), select.toString());
            assertEquals(List.of("* 1 UIDFETCH (FLAGS (\\Seen))", "* 2 UIDFETCH (FLAGS ())"),
                    c.expectOk("UID FETCH 1:2 (FLAGS)").untagged());
            assertEquals(List.of("* 2 UIDFETCH (UID 2 RFC822.SIZE 20)"), c.expectOk("UID FETCH 2 (UID RFC822.SIZE)").untagged());
            assertEquals(List.of("* 3 UIDFETCH (BODY[HEADER.FIELDS (SUBJECT)] {14}\r\nSubject: d\r\n\r\n)"),
                    c.expectOk("UID FETCH 3 (BODY.PEEK[HEADER.FIELDS (SUBJECT)])").untagged());
            assertEquals(List.of("* 2 UIDFETCH (FLAGS (\\Flagged))", "* 4 UIDFETCH (FLAGS (\\Flagged))"),
                    c.expectOk("UID STORE 2,4 +FLAGS (\\Flagged)").untagged());
            assertEquals(List.of(), c.expectOk("UID STORE 2 -FLAGS.SILENT (\\Flagged)").untagged());
            assertEquals(List.of("* SEARCH 4"), c.expectOk("UID SEARCH FLAGGED").untagged());
            assertEquals(List.of("* ESEARCH (TAG \"a99\") UID MIN 2 MAX 5 COUNT 4"),
                    c.command("a99", "UID SEARCH RETURN (MIN MAX COUNT) UNSEEN").subList(0, 1));
            assertEquals(List.of("* SORT 5 4 3 2 1"), c.expectOk("UID SORT (REVERSE SUBJECT) UTF-8 ALL").untagged());
            assertEquals(List.of("* THREAD (1)(2)(3)(4)(5)"), c.expectOk("UID THREAD ORDEREDSUBJECT UTF-8 ALL").untagged());
            c.expectOk("CREATE Archive");
            assertEquals("OK [COPYUID " + uidValidity(c.expectOk("EXAMINE Archive")) + " 1 1] COPY completed.",
                    selectAgain(c).run("UID COPY 1 Archive").status());
            // MOVE and the expunges: VANISHED, without QRESYNC too (§3.4)
            var move = c.expectOk("UID MOVE 2 Archive");
            assertEquals("* VANISHED 2", move.untagged().getLast());
            c.expectOk("UID STORE 3,5 +FLAGS.SILENT (\\Deleted)");
            assertEquals(List.of("* VANISHED 3"), c.expectOk("UID EXPUNGE 3").untagged());
            assertEquals(List.of("* VANISHED 5"), c.expectOk("EXPUNGE").untagged());
            assertTrue(c.expectOk("STATUS Archive (MESSAGES UIDNEXT UNSEEN)").untagged()
                    .contains("* STATUS Archive (MESSAGES 2 UIDNEXT 3 UNSEEN 1)"));
            // what another session does: flag changes as UIDFETCH with the flags alone, expunges as VANISHED
            other.expectOk("UID STORE 4 +FLAGS.SILENT (\\Answered)");
            other.expectOk("UID STORE 1 +FLAGS.SILENT (\\Deleted)");
            other.expectOk("EXPUNGE");
            assertEquals(List.of("* VANISHED 1", "* 4 UIDFETCH (FLAGS (\\Answered \\Flagged))"),
                    c.expectOk("NOOP").untagged());
            // REPLACE (RFC 8508 §3.3): the replaced message goes as VANISHED
            var replace = c.expectOk("UID REPLACE 4 INBOX {14+}\r\nSubject: r\r\n\r\n");
            assertTrue(replace.untagged().contains("* VANISHED 4"), replace.toString());
            assertTrue(replace.untagged().stream().noneMatch(l -> l.matches("\\* \\d+ (EXPUNGE|FETCH).*")), replace.toString());
            c.expectOk("CLOSE");
            var examine = c.expectOk("EXAMINE INBOX");
            assertTrue(examine.untagged().contains("* 1 EXISTS"), examine.toString());
        }
    }

    private static RawImapClient selectAgain(RawImapClient c) throws IOException {
        c.expectOk("SELECT INBOX");
        return c;
    }

    /** CONDSTORE and QRESYNC in the mode: MODSEQ in UIDFETCH, VANISHED (EARLIER) at SELECT and UID FETCH. */
    @Test
    void condstoreAndQresyncSpeakUidsOnly() throws IOException {
        try (var server = TestServer.start(dir); var c = login(server); var other = login(server)) {
            fill(server, 4);
            c.expectOk("ENABLE QRESYNC UIDONLY");
            var first = c.expectOk("SELECT INBOX");
            long known = highestModseq(first);
            long validity = uidValidity(first);
            assertEquals(List.of("* 2 UIDFETCH (FLAGS (\\Seen) MODSEQ (" + (known + 1) + "))"),
                    c.expectOk("UID STORE 2 +FLAGS (\\Seen)").untagged());
            assertEquals(List.of("* 1 UIDFETCH (MODSEQ (" + (known + 2) + "))"),
                    c.expectOk("UID STORE 1 +FLAGS.SILENT (\\Deleted)").untagged());
            var expunge = c.expectOk("EXPUNGE");
            assertEquals(List.of("* VANISHED 1"), expunge.untagged());
            assertTrue(expunge.tagged().endsWith(" OK [HIGHESTMODSEQ " + (known + 3) + "] EXPUNGE completed."));
            assertEquals(List.of("* VANISHED (EARLIER) 1", "* 2 UIDFETCH (FLAGS (\\Seen) MODSEQ (" + (known + 1) + "))"),
                    c.expectOk("UID FETCH 1:* (FLAGS) (CHANGEDSINCE " + known + " VANISHED)").untagged());
            other.expectOk("SELECT INBOX");
            other.expectOk("UID STORE 3 +FLAGS.SILENT (\\Flagged)");
            assertEquals(List.of("* 3 UIDFETCH (FLAGS (\\Flagged) MODSEQ (" + (known + 4) + "))"),
                    c.expectOk("NOOP").untagged());
            var resync = c.expectOk("SELECT INBOX (QRESYNC (" + validity + " " + known + " 1:4))");
            assertEquals(List.of("* VANISHED (EARLIER) 1", "* 2 UIDFETCH (FLAGS (\\Seen) MODSEQ (" + (known + 1) + "))",
                    "* 3 UIDFETCH (FLAGS (\\Flagged) MODSEQ (" + (known + 4) + "))"),
                    resync.untagged().subList(resync.untagged().size() - 3, resync.untagged().size()));
            assertEquals(List.of("* 4 UIDFETCH (UID 4 MODSEQ (" + known + "))"),
                    c.expectOk("UID FETCH 4 (UID MODSEQ)").untagged());
        }
    }

    /** IDLE's pushes in the mode (RFC 2177): UIDFETCH and VANISHED as another session works. */
    @Test
    void idlePushesUidsOnly() throws IOException {
        try (var server = TestServer.start(dir); var c = uidOnly(server); var other = login(server)) {
            fill(server, 3);
            c.expectOk("SELECT INBOX");
            other.expectOk("SELECT INBOX");
            c.send("i IDLE");
            assertEquals("+ idling", c.readLine());
            other.expectOk("UID STORE 2 +FLAGS.SILENT (\\Seen)");
            assertEquals("* 2 UIDFETCH (FLAGS (\\Seen))", c.readLine());
            other.expectOk("UID STORE 3 +FLAGS.SILENT (\\Deleted)");
            assertEquals("* 3 UIDFETCH (FLAGS (\\Deleted))", c.readLine());
            other.expectOk("EXPUNGE");
            assertEquals("* VANISHED 3", c.readLine());
            c.send("DONE");
            assertEquals("i OK IDLE terminated.", c.readLine());
        }
    }

    /** NOTIFY's MessageNew, FlagChange and MessageExpunge of the selected mailbox (RFC 5465 §5) in the mode. */
    @Test
    void notifyPushesUidsOnly() throws IOException {
        try (var server = TestServer.start(dir); var c = uidOnly(server); var other = login(server)) {
            fill(server, 1);
            c.expectOk("SELECT INBOX");
            c.expectOk("NOTIFY SET (SELECTED (MessageNew (UID FLAGS) MessageExpunge FlagChange))");
            server.deliver(TestServer.ALICE, "Subject: new\r\n\r\nhi\r\n");
            var pushed = List.of(c.readLine(), c.readLine(), c.readLine());
            assertEquals(List.of("* 2 EXISTS", "* 1 RECENT", "* 2 UIDFETCH (UID 2 FLAGS (\\Recent))"), pushed);
            other.expectOk("SELECT INBOX");
            other.expectOk("UID STORE 1 +FLAGS.SILENT (\\Deleted)");
            assertEquals("* 1 UIDFETCH (FLAGS (\\Deleted))", c.readLine());
            other.expectOk("EXPUNGE");
            assertEquals("* VANISHED 1", c.readLine());
        }
    }
}
