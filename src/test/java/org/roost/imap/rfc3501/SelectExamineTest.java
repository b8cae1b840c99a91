package org.roost.imap.rfc3501;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.roost.testing.RawImapClient;

/** RFC 3501 §6.3.1 SELECT and §6.3.2 EXAMINE, with §7.1 response codes and §7.3.1-2 data. */
class SelectExamineTest extends EveryStorageTestBase {

    private static String uidValidityOf(RawImapClient.Response r) {
        var line = r.untagged("OK [UIDVALIDITY").getFirst();
        return line.substring("* OK [UIDVALIDITY ".length(), line.indexOf(']'));
    }

    /** RFC 8474 §4.2: Maildir keeps GUIDs, so SELECT and EXAMINE tell the MAILBOXID after UIDNEXT; mbox keeps none. */
    private List<String> mailboxIdLines(RawImapClient.Response r) {
        var lines = r.untagged("OK [MAILBOXID (F");
        assertEquals(storage().equals("maildir") ? 1 : 0, lines.size(), r.toString());
        return lines;
    }

    @SafeVarargs
    private static List<String> joined(List<String>... parts) {
        return Stream.of(parts).flatMap(List::stream).toList();
    }

    @Test
    void sec6_3_1_selectEmptyInboxExactResponses() throws Exception {
        var c = login();
        var r = c.run("SELECT INBOX");
        var v = uidValidityOf(r);
        assertEquals(joined(List.of(
                "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
                "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted.",
                "* 0 EXISTS",
                "* 0 RECENT",
                "* OK [UIDVALIDITY " + v + "] UIDs valid.",
                "* OK [UIDNEXT 1] Predicted next UID."), mailboxIdLines(r),
                List.of("a2 OK [READ-WRITE] SELECT completed.")), lines(r));
    }

    @Test
    void sec6_3_1_selectReportsExistsRecentUnseenAndKeywords() throws Exception {
        var c = login();
        appendMessages(c, "INBOX", 3);
        var r = c.append("INBOX", "(\\Seen $Work)", bytes(message("flagged", "x")));
        assertTrue(r.ok());
        r = c.run("SELECT inbox");
        var v = uidValidityOf(r);
        assertEquals(joined(List.of(
                "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Work)",
                "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Work \\*)] Flags permitted.",
                "* 4 EXISTS",
                "* 4 RECENT",
                "* OK [UNSEEN 1] First unseen.",
                "* OK [UIDVALIDITY " + v + "] UIDs valid.",
                "* OK [UIDNEXT 5] Predicted next UID."), mailboxIdLines(r)), r.untagged());
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
    void sec6_3_2_examineIsReadOnly() throws Exception {
        var c = login();
        appendMessages(c, "INBOX", 1);
        var r = c.run("EXAMINE INBOX");
        assertTrue(r.untagged().contains("* OK [PERMANENTFLAGS ()] Read-only mailbox."), r.toString());
        assertTrue(r.tagged().endsWith("OK [READ-ONLY] EXAMINE completed."), r.tagged());
        assertEquals("a4 NO [READ-ONLY] Mailbox is read-only.", c.run("STORE 1 +FLAGS (\\Seen)").tagged());
        assertEquals("a5 NO [READ-ONLY] Mailbox is read-only.", c.run("EXPUNGE").tagged());
        // BODY[] does not set \Seen in a read-only mailbox (§6.4.5)
        var f = c.run("FETCH 1 (BODY[] FLAGS)");
        assertTrue(f.untagged().getFirst().endsWith("FLAGS (\\Recent))"), f.toString());
    }

    /**
     * §6.3.2: EXAMINE answers with the same untagged data as SELECT, RECENT included; it only
     * leaves the messages recent for the next SELECT (§2.3.2). STATUS RECENT agrees with both. As
     * Dovecot 2.3 does, the examining session shows \Recent on the messages it counts, also on
     * those appended while it has the mailbox open.
     */
    @Test
    void sec6_3_2_examineReportsRecentAsSelectWouldWithoutClaimingIt() throws Exception {
        var appender = login();
        appendMessages(appender, "INBOX", 2);
        var status = appender.run("STATUS INBOX (MESSAGES RECENT)");
        assertEquals(List.of("* STATUS INBOX (MESSAGES 2 RECENT 2)"), status.untagged());

        var examiner = login();
        var r = examiner.run("EXAMINE INBOX");
        var v = uidValidityOf(r);
        assertEquals(joined(List.of(
                "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
                "* OK [PERMANENTFLAGS ()] Read-only mailbox.",
                "* 2 EXISTS",
                "* 2 RECENT",
                "* OK [UNSEEN 1] First unseen.",
                "* OK [UIDVALIDITY " + v + "] UIDs valid.",
                "* OK [UIDNEXT 3] Predicted next UID."), mailboxIdLines(r),
                List.of("a2 OK [READ-ONLY] EXAMINE completed.")), lines(r));
        assertEquals(List.of("* 1 FETCH (FLAGS (\\Recent))", "* 2 FETCH (FLAGS (\\Recent))"),
                examiner.run("FETCH 1:* (FLAGS)").untagged());
        assertEquals(List.of("* SEARCH 1 2"), examiner.run("SEARCH RECENT").untagged());
        assertEquals(List.of("* STATUS INBOX (MESSAGES 2 RECENT 2)"),
                appender.run("STATUS INBOX (MESSAGES RECENT)").untagged());

        appendMessages(appender, "INBOX", 1);
        assertEquals(List.of("* 3 EXISTS", "* 3 RECENT"), examiner.run("NOOP").untagged());
        assertEquals(List.of("* 3 FETCH (FLAGS (\\Recent))"), examiner.run("FETCH 3 (FLAGS)").untagged());

        var selecter = login();
        assertEquals(List.of("* 3 RECENT"), selecter.run("SELECT INBOX").untagged("3 RECENT"));
        assertEquals(List.of("* STATUS INBOX (MESSAGES 3 RECENT 0)"),
                appender.run("STATUS INBOX (MESSAGES RECENT)").untagged());
        assertEquals(List.of("* 0 RECENT"), login().run("EXAMINE INBOX").untagged("0 RECENT"));
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
