package org.roost.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.roost.testing.RawImapClient;

/**
 * Private {@code \Seen} per user on another user's mailbox (#19 item 3, Dovecot's INDEXPVT): each of two other users
 * reads and sets their own {@code \Seen}, the owner keeps theirs, every other flag is the mailbox's. Every command
 * that reads {@code \Seen} reads the user's own: FETCH, STORE, SEARCH, SELECT's UNSEEN, STATUS, CONDSTORE's MODSEQs
 * (RFC 7162 §3.1: a private change gets a MODSEQ above every one the user was shown), IDLE and NOTIFY (another user's
 * {@code \Seen} is not a change for them).
 */
@Timeout(60)
class PrivateSeenTest extends SharingUsers {
    private static final String MESSAGE = "Subject: pvt\r\n\r\nbody\r\n";
    private static final Pattern MODSEQ = Pattern.compile("MODSEQ \\((\\d+)\\)|HIGHESTMODSEQ (\\d+)");
    private final String third;

    PrivateSeenTest() throws IOException {
        super(MESSAGE);
        third = server.newUser();
        try (var owning = server.login(owner)) {
            owning.expectOk("SETACL INBOX " + other + " lrsw");
            owning.expectOk("SETACL INBOX " + third + " lrsw");
        }
    }

    private static String flags(RawImapClient client, String fetch) throws IOException {
        var lines = client.expectOk(fetch).untagged();
        assertEquals(1, lines.size(), lines.toString());
        return lines.getFirst();
    }

    @Test
    void eachUserReadsAndSetsTheirOwnSeenWhileTheOtherFlagsAreShared() throws IOException {
        try (var owning = server.login(owner); var reading = server.login(other); var later = server.login(third)) {
            var selected = reading.expectOk("SELECT " + shared("INBOX")).untagged();
            assertTrue(selected.contains("* OK [UNSEEN 1] First unseen."), selected.toString());
            reading.expectOk("STORE 1 +FLAGS.SILENT (\\Seen \\Flagged)");
            assertEquals("* 1 FETCH (FLAGS (\\Seen \\Flagged \\Recent))", flags(reading, "FETCH 1 (FLAGS)"));

            owning.expectOk("EXAMINE INBOX");
            assertEquals("* 1 FETCH (FLAGS (\\Flagged))", flags(owning, "FETCH 1 (FLAGS)"), "not the other's \\Seen");
            later.expectOk("EXAMINE " + shared("INBOX"));
            assertEquals("* 1 FETCH (FLAGS (\\Flagged))", flags(later, "FETCH 1 (FLAGS)"));
            assertEquals("* SEARCH 1", flags(later, "SEARCH UNSEEN"));
            assertEquals("* SEARCH 1", flags(reading, "UID SEARCH SEEN"));
            assertEquals("* SEARCH", flags(reading, "SEARCH UNSEEN"));

            owning.expectOk("CLOSE");
            owning.expectOk("SELECT INBOX");
            owning.expectOk("STORE 1 +FLAGS.SILENT (\\Seen)");
            owning.expectOk("STORE 1 -FLAGS.SILENT (\\Flagged)");
            reading.expectOk("STORE 1 -FLAGS.SILENT (\\Seen)");
            later.expectOk("NOOP");
            assertEquals("* 1 FETCH (FLAGS ())", flags(later, "FETCH 1 (FLAGS)"), "neither the owner's nor the other's");
            assertEquals("* 1 FETCH (FLAGS (\\Seen))", flags(owning, "FETCH 1 (FLAGS)"));
        }
    }

    @Test
    void readingAMessageSetsOnlyTheReadersSeen() throws IOException {
        try (var owning = server.login(owner); var reading = server.login(other)) {
            reading.expectOk("SELECT " + shared("INBOX"));
            var fetched = reading.expectOk("FETCH 1 (BODY[])").untagged();
            assertTrue(fetched.getFirst().contains("FLAGS (\\Seen"), fetched.toString()); // RFC 3501 §6.4.5
            owning.expectOk("EXAMINE INBOX");
            assertEquals("* 1 FETCH (FLAGS ())", flagsOf(owning, "1"));
            assertEquals("* 1 FETCH (FLAGS (\\Seen))", flagsOf(reading, "1"));
        }
    }

    @Test
    void statusAndSelectCountTheUsersOwnUnseen() throws IOException {
        try (var owning = server.login(owner); var reading = server.login(other); var later = server.login(third)) {
            owning.append("INBOX", MESSAGE);
            owning.expectOk("SELECT INBOX");
            owning.expectOk("STORE 1:2 +FLAGS.SILENT (\\Seen)");
            reading.expectOk("SELECT " + shared("INBOX"));
            reading.expectOk("STORE 2 +FLAGS.SILENT (\\Seen)");
            reading.expectOk("UNSELECT");
            assertEquals("* STATUS INBOX (MESSAGES 2 UNSEEN 0)", flags(owning, "STATUS INBOX (MESSAGES UNSEEN)"));
            assertEquals("* STATUS " + shared("INBOX") + " (UNSEEN 1)",
                    flags(reading, "STATUS " + shared("INBOX") + " (UNSEEN)"));
            assertEquals("* STATUS " + shared("INBOX") + " (UNSEEN 2)",
                    flags(later, "STATUS " + shared("INBOX") + " (UNSEEN)"));
            var list = reading.expectOk("LIST \"\" " + shared("INBOX") + " RETURN (STATUS (UNSEEN))").untagged();
            assertEquals("* STATUS " + shared("INBOX") + " (UNSEEN 1)", list.getLast()); // RFC 5819
            var selected = reading.expectOk("EXAMINE " + shared("INBOX")).untagged();
            assertTrue(selected.contains("* OK [UNSEEN 1] First unseen."), selected.toString());
        }
    }

    @Test
    void anotherUsersSeenIsNoChangeButTheOwnersOtherFlagsAndTheUsersOwnSessionsAre() throws IOException {
        try (var owning = server.login(owner); var reading = server.login(other); var again = server.login(other)) {
            owning.expectOk("SELECT INBOX");
            reading.expectOk("SELECT " + shared("INBOX"));
            again.expectOk("SELECT " + shared("INBOX"));
            reading.send("i IDLE");
            assertEquals("+ idling", reading.readLine());
            owning.expectOk("STORE 1 +FLAGS.SILENT (\\Seen)");
            owning.expectOk("STORE 1 +FLAGS.SILENT (\\Answered)");
            // the owner's \Seen told nothing: the first line is the \Answered
            assertEquals("* 1 FETCH (UID 1 FLAGS (\\Answered))", reading.readLine());
            again.expectOk("STORE 1 +FLAGS.SILENT (\\Seen)");
            assertEquals("* 1 FETCH (UID 1 FLAGS (\\Seen \\Answered))", reading.readLine(), "the user's own session");
            reading.send("DONE");
            assertEquals("i OK IDLE terminated.", reading.readLine());
            owning.expectOk("STORE 1 -FLAGS.SILENT (\\Seen)");
            assertEquals(List.of(), reading.expectOk("NOOP").untagged(), "the owner's \\Seen, again not a change");
        }
    }

    @Test
    void notifyTellsTheOwnersFlagsButNotTheirSeen() throws IOException {
        try (var owning = server.login(owner); var reading = server.login(other)) {
            owning.expectOk("SELECT INBOX");
            reading.expectOk("NOTIFY SET (SUBTREE " + "Shared" + " (MessageNew MessageExpunge FlagChange))");
            owning.expectOk("STORE 1 +FLAGS.SILENT (\\Seen)");
            owning.expectOk("STORE 1 +FLAGS.SILENT (\\Flagged)");
            // RFC 5465 §5.2: FlagChange in another mailbox is a STATUS; its UNSEEN is the user's own
            assertEquals("* STATUS " + shared("INBOX") + " (UNSEEN 1)", reading.readLine());
            assertEquals(List.of(), reading.expectOk("NOOP").untagged());
        }
    }

    @Test
    void notifyTellsTheUsersOwnSeenFromAnotherOfTheirSessions() throws IOException {
        try (var watching = server.login(other); var reading = server.login(other); var later = server.login(third)) {
            watching.expectOk("NOTIFY SET (SUBTREE Shared (MessageNew MessageExpunge FlagChange))");
            later.expectOk("NOTIFY SET (SUBTREE Shared (MessageNew MessageExpunge FlagChange))");
            reading.expectOk("SELECT " + shared("INBOX"));
            reading.expectOk("STORE 1 +FLAGS.SILENT (\\Seen)");
            assertEquals("* STATUS " + shared("INBOX") + " (UNSEEN 0)", watching.readLine()); // RFC 5465 §5.2
            assertEquals(List.of(), later.expectOk("NOOP").untagged(), "another user's \\Seen");
        }
    }

    @Test
    void aPrivateChangeHasAModseqAboveWhatTheUserWasShownAndIsNoChangeForTheOthers() throws IOException {
        try (var owning = server.login(owner); var reading = server.login(other); var later = server.login(third)) {
            long before = modseq(reading.expectOk("SELECT " + shared("INBOX") + " (CONDSTORE)").untagged());
            later.expectOk("SELECT " + shared("INBOX") + " (CONDSTORE)");
            long seen = modseq(reading.expectOk("STORE 1 +FLAGS.SILENT (\\Seen)").untagged());
            assertTrue(seen > before, seen + " > " + before);
            assertEquals("* 1 FETCH (UID 1 FLAGS (\\Seen \\Recent) MODSEQ (" + seen + "))",
                    flags(reading, "FETCH 1 (UID FLAGS) (CHANGEDSINCE " + before + ")"));
            assertEquals(List.of(), later.expectOk("FETCH 1:* (FLAGS) (CHANGEDSINCE " + before + ")").untagged(),
                    "RFC 7162 §3.1.4.1: another user's \\Seen changed nothing of theirs");
            assertEquals(before, modseq(later.expectOk("STATUS " + shared("INBOX") + " (HIGHESTMODSEQ)").untagged()));
            reading.expectOk("UNSELECT");
            assertEquals(seen, modseq(reading.expectOk("STATUS " + shared("INBOX") + " (HIGHESTMODSEQ)").untagged()));
            reading.expectOk("SELECT " + shared("INBOX") + " (CONDSTORE)");

            owning.expectOk("SELECT INBOX");
            owning.expectOk("STORE 1 +FLAGS.SILENT (\\Flagged)");
            var changed = reading.expectOk("FETCH 1:* (FLAGS) (CHANGEDSINCE " + seen + ")").untagged();
            assertEquals(1, changed.size(), "the owner's later change is above the user's private one");
            assertTrue(modseq(changed) > seen);
        }
    }

    @Test
    void appendAndCopyKeepTheUsersSeenTheirOwnAsDovecotSavesIt() throws IOException {
        try (var owning = server.login(owner); var reading = server.login(other); var later = server.login(third)) {
            owning.expectOk("SETACL INBOX " + other + " lrswi");
            reading.append(shared("INBOX"), "(\\Seen \\Flagged)", MESSAGE.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            reading.expectOk("SELECT " + shared("INBOX"));
            reading.expectOk("STORE 1 +FLAGS.SILENT (\\Seen)");
            reading.expectOk("COPY 1 " + shared("INBOX"));
            assertEquals("* 2 FETCH (FLAGS (\\Seen \\Flagged))|* 3 FETCH (FLAGS (\\Seen))", flagsOf(reading, "2:3"));
            owning.expectOk("EXAMINE INBOX");
            assertEquals("* 2 FETCH (FLAGS (\\Flagged))|* 3 FETCH (FLAGS ())", flagsOf(owning, "2:3"),
                    "the mail has none of the other user's \\Seen");
            later.expectOk("EXAMINE " + shared("INBOX"));
            assertEquals("* 2 FETCH (FLAGS (\\Flagged))|* 3 FETCH (FLAGS ())", flagsOf(later, "2:3"));
        }
    }

    /** FETCH FLAGS of {@code set}, one line per message joined by {@code |}, without {@code \\Recent}. */
    private static String flagsOf(RawImapClient client, String set) throws IOException {
        return String.join("|", client.expectOk("FETCH " + set + " (FLAGS)").untagged()).replace(" \\Recent", "")
                .replace("\\Recent", "");
    }

    /** The MODSEQ or HIGHESTMODSEQ in the last line that has one. */
    private static long modseq(List<String> lines) {
        long found = -1;
        for (var line : lines) {
            var m = MODSEQ.matcher(line);
            if (m.find()) {
                found = Long.parseLong(m.group(1) != null ? m.group(1) : m.group(2));
            }
        }
        assertTrue(found >= 0, lines.toString());
        return found;
    }
}
