package org.roost.imap.rfc3501;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.roost.testing.RawImapClient;

/**
 * RFC 3501 §6.4.6 STORE, §6.4.7 COPY, §6.4.3 EXPUNGE, §6.4.1 CHECK, §6.4.2 CLOSE, RFC 4315 UIDPLUS
 * (COPYUID, UID EXPUNGE), RFC 6851 MOVE, RFC 3691 UNSELECT.
 */
class StoreCopyExpungeTest extends EveryStorageTestBase {
    private RawImapClient c;

    @BeforeEach
    void mailbox() throws Exception {
        c = login();
        appendMessages(c, "INBOX", 4);
        c.expectOk("CREATE Target");
        c.expectOk("SELECT INBOX");
    }

    @Test
    void sec6_4_6_storeFlagsReplacesAndAnswersFetch() throws Exception {
        var r = c.run("STORE 1 FLAGS (\\Seen \\Flagged)");
        assertEquals(List.of("* 1 FETCH (FLAGS (\\Seen \\Flagged \\Recent))"), r.untagged());
        r = c.run("STORE 1 FLAGS (\\Answered)");
        assertEquals(List.of("* 1 FETCH (FLAGS (\\Answered \\Recent))"), r.untagged());
        assertTrue(r.tagged().endsWith("OK STORE completed."));
    }

    @Test
    void sec6_4_6_addAndRemoveFlagsOnRanges() throws Exception {
        var r = c.run("STORE 2:3 +FLAGS (\\Deleted $Label1)");
        assertEquals(List.of("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label1)",
                "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label1 \\*)] Flags permitted.",
                "* 2 FETCH (FLAGS (\\Deleted \\Recent $Label1))", "* 3 FETCH (FLAGS (\\Deleted \\Recent $Label1))"),
                r.untagged(), "a new keyword is announced first, as Dovecot does");
        r = c.run("STORE 1:* -FLAGS ($label1)");
        assertTrue(r.untagged().containsAll(List.of("* 2 FETCH (FLAGS (\\Deleted \\Recent))", "* 3 FETCH (FLAGS (\\Deleted \\Recent))")),
                "keywords are case-insensitive: " + r);
        assertTrue(r.untagged().stream().noneMatch(l -> l.contains("$")), r.toString());
    }

    @Test
    void sec6_4_6_silentSendsNoFetch() throws Exception {
        var r = c.run("STORE 1:4 +FLAGS.SILENT (\\Seen)");
        assertEquals(List.of(), r.untagged());
        assertEquals(4, c.run("SEARCH SEEN").untagged().getFirst().split(" ").length - 2);
        assertEquals(List.of(), c.run("STORE 1 -FLAGS.SILENT (\\Seen)").untagged());
        assertEquals(List.of(), c.run("STORE 1 FLAGS.SILENT ()").untagged());
    }

    @Test
    void sec6_4_6_unparenthesizedFlagList() throws Exception {
        var r = c.run("STORE 1 +FLAGS \\Seen \\Draft");
        assertEquals(List.of("* 1 FETCH (FLAGS (\\Seen \\Draft \\Recent))"), r.untagged());
    }

    @Test
    void sec6_4_6_keywordsBecomeMailboxFlags() throws Exception {
        c.expectOk("STORE 1 +FLAGS (Project-X $Forwarded)");
        var r = c.run("SELECT INBOX");
        assertTrue(r.untagged().contains("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded Project-X)"), r.toString());
    }

    @Test
    void sec6_4_8_uidStoreIncludesUid() throws Exception {
        var r = c.run("UID STORE 2,4 +FLAGS (\\Seen)");
        assertEquals(List.of("* 2 FETCH (UID 2 FLAGS (\\Seen \\Recent))", "* 4 FETCH (UID 4 FLAGS (\\Seen \\Recent))"), r.untagged());
    }

    @Test
    void sec6_4_6_storeErrors() throws Exception {
        assertTrue(c.run("STORE 1 +FLAGS (\\Bogus)").tagged().matches("a\\d+ BAD .*"));
        assertTrue(c.run("STORE 9 +FLAGS (\\Seen)").tagged().matches("a\\d+ BAD .*"));
        assertTrue(c.run("STORE 1 FLAGZ (\\Seen)").tagged().matches("a\\d+ BAD .*"));
        assertEquals(List.of("* 1 FETCH (FLAGS (\\Recent))"), c.run("STORE 1 +FLAGS (\\Recent)").untagged(),
                "\\Recent cannot be set by a client");
    }

    @Test
    void sec6_4_3_expungeReportsDescendingOrAdjustedSequenceNumbers() throws Exception {
        c.expectOk("STORE 2,3 +FLAGS.SILENT (\\Deleted)");
        var r = c.run("EXPUNGE");
        // each EXPUNGE renumbers: deleting 2 and 3 is "3, 2" or "2, 2"
        assertTrue(r.untagged().equals(List.of("* 3 EXPUNGE", "* 2 EXPUNGE"))
                || r.untagged().equals(List.of("* 2 EXPUNGE", "* 2 EXPUNGE")), r.toString());
        assertEquals(List.of("* 1 FETCH (UID 1)", "* 2 FETCH (UID 4)"), c.run("FETCH 1:* UID").untagged());
    }

    @Test
    void rfc4315_uidExpungeOnlyTheGivenUids() throws Exception {
        c.expectOk("STORE 1:3 +FLAGS.SILENT (\\Deleted)");
        var r = c.run("UID EXPUNGE 2:3");
        assertEquals(List.of("* 3 EXPUNGE", "* 2 EXPUNGE"), r.untagged());
        assertEquals("* SEARCH 1", c.run("UID SEARCH DELETED").untagged().getFirst());
    }

    @Test
    void sec6_4_7_copyPreservesFlagsAndDateWithCopyUid() throws Exception {
        c.expectOk("STORE 2 +FLAGS.SILENT (\\Flagged $Work)");
        var r = c.run("COPY 2:3 Target");
        assertTrue(r.tagged().matches("a\\d+ OK \\[COPYUID \\d+ 2:3 1:2\\] COPY completed\\.")
                || r.tagged().matches("a\\d+ OK \\[COPYUID \\d+ 2,3 1,2\\] COPY completed\\."), r.tagged());
        var date = c.run("FETCH 2 INTERNALDATE").untagged().getFirst().replace("* 2 FETCH ", "");
        var t = selected("Target");
        assertEquals(List.of("* 1 FETCH (FLAGS (\\Flagged \\Recent $Work) " + date.substring(1, date.length() - 1) + ")"),
                t.run("FETCH 1 (FLAGS INTERNALDATE)").untagged());
    }

    @Test
    void sec6_4_7_copyToMissingMailboxIsTryCreate() throws Exception {
        assertTrue(c.run("COPY 1 Nope").tagged().matches("a\\d+ NO \\[TRYCREATE\\] Mailbox does not exist\\."));
    }

    @Test
    void sec6_4_8_uidCopyWithUnknownUidsIsOk() throws Exception {
        var r = c.run("UID COPY 4,99 Target");
        assertTrue(r.tagged().matches("a\\d+ OK \\[COPYUID \\d+ 4 1\\] COPY completed\\."), r.tagged());
        r = c.run("UID COPY 98:99 Target");
        assertTrue(r.ok(), r.tagged());
    }

    @Test
    void rfc6851_moveExpungesAfterCopyUid() throws Exception {
        var r = c.run("MOVE 1:2 Target");
        assertTrue(r.untagged().getFirst().matches("\\* OK \\[COPYUID \\d+ 1(:|,)2 1(:|,)2\\] .*"), r.toString());
        assertEquals(List.of("* 2 EXPUNGE", "* 1 EXPUNGE"), r.untagged().subList(1, 3));
        assertTrue(r.tagged().matches("a\\d+ OK MOVE completed\\."), r.tagged());
        assertEquals(List.of("* STATUS Target (MESSAGES 2)"), c.run("STATUS Target (MESSAGES)").untagged());
        r = c.run("UID MOVE 4 Target");
        assertEquals("* 2 EXPUNGE", r.untagged().get(1));
    }

    @Test
    void sec6_4_2_closeExpungesSilentlyAndUnselectDoesNot() throws Exception {
        c.expectOk("STORE 1 +FLAGS.SILENT (\\Deleted)");
        var r = c.run("CLOSE");
        assertEquals(List.of(), r.untagged());
        assertEquals(List.of("* STATUS INBOX (MESSAGES 3)"), c.run("STATUS INBOX (MESSAGES)").untagged());
        c.expectOk("SELECT INBOX");
        c.expectOk("STORE 1 +FLAGS.SILENT (\\Deleted)");
        assertEquals(List.of(), c.run("UNSELECT").untagged());
        assertEquals(List.of("* STATUS INBOX (MESSAGES 3)"), c.run("STATUS INBOX (MESSAGES)").untagged());
    }

    @Test
    void sec6_4_2_closeOnExaminedMailboxDoesNotExpunge() throws Exception {
        c.expectOk("STORE 1 +FLAGS.SILENT (\\Deleted)");
        c.expectOk("EXAMINE INBOX");
        c.expectOk("CLOSE");
        assertEquals(List.of("* STATUS INBOX (MESSAGES 4)"), c.run("STATUS INBOX (MESSAGES)").untagged());
    }

    @Test
    void sec6_4_1_check() throws Exception {
        assertEquals("a8 OK CHECK completed.", c.run("CHECK").tagged());
    }
}
