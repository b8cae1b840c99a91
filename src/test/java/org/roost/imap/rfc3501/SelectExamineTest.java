package org.roost.imap.rfc3501;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 3501 §6.3.1 SELECT and §6.3.2 EXAMINE, with §7.1 response codes and §7.3.1-2 data. */
class SelectExamineTest extends ImapTestBase {

    private static String uidValidityOf(ImapClient.Response r) {
        var line = r.untagged("OK [UIDVALIDITY").getFirst();
        return line.substring("* OK [UIDVALIDITY ".length(), line.indexOf(']'));
    }

    @Test
    void sec6_3_1_selectEmptyInboxExactResponses() throws Exception {
        var c = login();
        var r = c.run("SELECT INBOX");
        var v = uidValidityOf(r);
        assertEquals(List.of(
                "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
                "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted.",
                "* 0 EXISTS",
                "* 0 RECENT",
                "* OK [UIDVALIDITY " + v + "] UIDs valid.",
                "* OK [UIDNEXT 1] Predicted next UID.",
                "a2 OK [READ-WRITE] SELECT completed."), lines(r));
    }

    @Test
    void sec6_3_1_selectReportsExistsRecentUnseenAndKeywords() throws Exception {
        var c = login();
        appendMessages(c, "INBOX", 3);
        var r = c.append("INBOX", "(\\Seen $Work)", bytes(message("flagged", "x")));
        assertTrue(r.ok());
        r = c.run("SELECT inbox");
        var v = uidValidityOf(r);
        assertEquals(List.of(
                "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Work)",
                "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Work \\*)] Flags permitted.",
                "* 4 EXISTS",
                "* 4 RECENT",
                "* OK [UNSEEN 1] First unseen.",
                "* OK [UIDVALIDITY " + v + "] UIDs valid.",
                "* OK [UIDNEXT 5] Predicted next UID."), r.untagged());
        assertTrue(r.tagged().endsWith("OK [READ-WRITE] SELECT completed."));
    }

    @Test
    void sec6_3_1_recentIsClaimedByTheFirstSessionOnly() throws Exception {
        var c = login();
        appendMessages(c, "INBOX", 2);
        var first = login();
        assertEquals(List.of("* 2 RECENT"), first.run("SELECT INBOX").untagged("2 RECENT"));
        var second = login();
        assertEquals(List.of("* 0 RECENT"), second.run("SELECT INBOX").untagged("0 RECENT"));
        var f = second.run("FETCH 1:2 FLAGS");
        assertEquals(List.of("* 1 FETCH (FLAGS ())", "* 2 FETCH (FLAGS ())"), f.untagged());
        f = first.run("FETCH 1 FLAGS");
        assertEquals(List.of("* 1 FETCH (FLAGS (\\Recent))"), f.untagged());
    }

    @Test
    void sec6_3_2_examineIsReadOnlyAndDoesNotClaimRecent() throws Exception {
        var c = login();
        appendMessages(c, "INBOX", 1);
        var r = c.run("EXAMINE INBOX");
        assertTrue(r.untagged().contains("* OK [PERMANENTFLAGS ()] Read-only mailbox."), r.toString());
        assertTrue(r.tagged().endsWith("OK [READ-ONLY] EXAMINE completed."), r.tagged());
        assertEquals("a4 NO [READ-ONLY] Mailbox is read-only.", c.run("STORE 1 +FLAGS (\\Seen)").tagged());
        assertEquals("a5 NO [READ-ONLY] Mailbox is read-only.", c.run("EXPUNGE").tagged());
        // BODY[] does not set \Seen in a read-only mailbox (§6.4.5)
        var f = c.run("FETCH 1 (BODY[] FLAGS)");
        assertTrue(f.untagged().getFirst().endsWith("FLAGS ())"), f.toString());
        var other = login();
        assertEquals(List.of("* 1 RECENT"), other.run("SELECT INBOX").untagged("1 RECENT"));
    }

    @Test
    void sec6_3_1_selectIsCaseInsensitiveForInboxOnly() throws Exception {
        var c = login();
        c.expectOk("CREATE Work");
        assertTrue(c.run("SELECT iNbOx").ok());
        assertTrue(c.run("SELECT Work").ok());
        assertEquals("a5 NO [NONEXISTENT] Mailbox does not exist.", c.run("SELECT work").tagged());
    }

    @Test
    void sec6_3_1_selectOfNoselectMailboxFails() throws Exception {
        var c = login();
        c.expectOk("CREATE Parent.Child");
        var r = c.run("SELECT Parent");
        assertTrue(r.tagged().startsWith("a3 NO"), r.tagged());
    }

    @Test
    void sec6_3_1_reselectSwitchesMailbox() throws Exception {
        var c = login();
        c.expectOk("CREATE Other");
        appendMessages(c, "Other", 2);
        c.expectOk("SELECT INBOX");
        var r = c.run("SELECT Other");
        assertEquals(List.of("* 2 EXISTS"), r.untagged("2 EXISTS"));
        assertEquals(2, c.run("FETCH 1:* UID").untagged().size());
    }

    @Test
    void sec2_3_1_1_uidValidityAndUidsStableAcrossSessions() throws Exception {
        var c = login();
        appendMessages(c, "INBOX", 2);
        var first = c.run("SELECT INBOX");
        var again = login().run("EXAMINE INBOX");
        assertEquals(uidValidityOf(first), uidValidityOf(again));
        assertEquals(List.of("* 1 FETCH (UID 1)", "* 2 FETCH (UID 2)"), c.run("FETCH 1:* UID").untagged());
    }
}
