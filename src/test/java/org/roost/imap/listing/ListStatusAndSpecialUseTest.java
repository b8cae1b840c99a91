package org.roost.imap.listing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The examples of RFC 5819 §3 (LIST-STATUS) and RFC 6154 §5 (SPECIAL-USE, CREATE-SPECIAL-USE) line for line,
 * STATUS=SIZE (RFC 8438) and STATUS DELETED (RFC 9051 §6.3.11) in STATUS and LIST-STATUS. Roost marks no
 * mailbox {@code \Marked} (the RFCs' servers mark INBOX and MyDrafts), and sends "CHILDINFO" quoted, which
 * RFC 5258 §6 allows and its own examples do.
 */
class ListStatusAndSpecialUseTest extends ListingTestBase {

    private void append(String mailbox, int messages, int seen) throws Exception {
        for (int i = 0; i < messages; i++) {
            var message = ("Subject: m" + i + "\r\n\r\nbody " + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
            var r = c.append(mailbox, i < seen ? "(\\Seen)" : "", message);
            assertEquals(true, r.ok(), r.toString());
        }
    }

    @Test
    void rfc5819_statusForEverySelectableMailboxThatMeetsTheCriteria() throws Exception {
        create("foo", "bar.x");
        append("INBOX", 17, 1);
        append("foo", 30, 1);
        // the RFC's "bar" is an unselectable mailbox; here it is a parent that does not exist (\NonExistent
        // implies \NoSelect, RFC 5258 §3.4), shown with \HasChildren as RFC 5258 §3.5 asks
        assertAnswer("LIST \"\" % RETURN (STATUS (MESSAGES UNSEEN))", rfc(
                "S: * LIST () \".\"  \"INBOX\"",
                "S: * STATUS \"INBOX\" (MESSAGES 17 UNSEEN 16)",
                "S: * LIST (\\NonExistent \\HasChildren) \".\" \"bar\"",
                "S: * LIST () \".\" \"foo\"",
                "S: * STATUS \"foo\" (MESSAGES 30 UNSEEN 29)"));
        subscribe("INBOX", "foo.x");
        assertAnswer("LIST (SUBSCRIBED RECURSIVEMATCH) \"\" % RETURN (STATUS (MESSAGES))", rfc(
                "S: * LIST (\\Subscribed) \".\"  \"INBOX\"",
                "S: * STATUS \"INBOX\" (MESSAGES 17)",
                "S: * LIST () \".\" \"foo\" (\"CHILDINFO\" (\"SUBSCRIBED\"))"));
    }

    @Test
    void statusSizeAndDeletedInStatusAndListStatus() throws Exception {
        create("foo");
        append("foo", 3, 0);
        var select = login();
        select.expectOk("SELECT foo");
        select.expectOk("STORE 1:2 +FLAGS (\\Deleted)");
        long size = 3 * ("Subject: m0\r\n\r\nbody 0\r\n".length());
        var expected = "* STATUS foo (MESSAGES 3 SIZE " + size + " DELETED 2)";
        assertAnswer("STATUS foo (MESSAGES SIZE DELETED)", List.of(expected));
        assertAnswer("LIST \"\" foo RETURN (STATUS (MESSAGES SIZE DELETED))", List.of("* LIST () \".\" foo", expected));
        select.expectOk("EXPUNGE");
        assertAnswer("LIST \"\" foo RETURN (STATUS (DELETED SIZE))",
                List.of("* LIST () \".\" foo", "* STATUS foo (DELETED 0 SIZE " + size / 3 + ")"));
    }

    @Test
    void listStatusComesWithOtherReturnOptions() throws Exception {
        create("Sent", "Sent.2024");
        append("Sent", 2, 2);
        assertAnswer("LIST \"\" \"S*\" RETURN (SPECIAL-USE CHILDREN STATUS (UNSEEN))", List.of(
                "* LIST (\\HasChildren \\Sent) \".\" Sent", "* STATUS Sent (UNSEEN 0)",
                "* LIST (\\HasNoChildren) \".\" Sent.2024", "* STATUS Sent.2024 (UNSEEN 0)"));
    }

    private void rfc6154Hierarchy() throws Exception {
        create("ToDo", "Projects", "Projects.Roost", "SentMail (USE (\\Sent))", "MyDrafts (USE (\\Drafts))",
                "Trash");
    }

    @Test
    void rfc6154_5_1_aPlainListShowsSpecialUses() throws Exception {
        rfc6154Hierarchy();
        assertAnswer("LIST \"\" \"%\"", rfc(
                "S: * LIST (\\HasNoChildren) \"/\" INBOX",
                "S: * LIST (\\Drafts \\HasNoChildren) \"/\" MyDrafts",
                "S: * LIST (\\HasChildren) \"/\" Projects",
                "S: * LIST (\\Sent \\HasNoChildren) \"/\" SentMail",
                "S: * LIST (\\HasNoChildren) \"/\" ToDo",
                "S: * LIST (\\Trash \\HasNoChildren) \"/\" Trash"));
    }

    @Test
    void rfc6154_5_2_theReturnAndSelectionOptions() throws Exception {
        rfc6154Hierarchy();
        assertAnswer("LIST \"\" \"%\" RETURN (SPECIAL-USE)", rfc(
                "S: * LIST () \"/\" INBOX",
                "S: * LIST (\\Drafts) \"/\" MyDrafts",
                "S: * LIST () \"/\" Projects",
                "S: * LIST (\\Sent) \"/\" SentMail",
                "S: * LIST () \"/\" ToDo",
                "S: * LIST (\\Trash) \"/\" Trash"));
        assertAnswer("LIST (SPECIAL-USE) \"\" \"*\"", rfc(
                "S: * LIST (\\Drafts) \"/\" MyDrafts",
                "S: * LIST (\\Sent) \"/\" SentMail",
                "S: * LIST (\\Trash) \"/\" Trash"));
        // an extended LIST that does not ask says nothing of uses (RFC 6154 §2 leaves it to the server)
        assertAnswer("LIST () \"\" \"Trash\"", List.of("* LIST () \".\" Trash"));
    }

    @Test
    void rfc6154_5_3_createWithUses() throws Exception {
        var created = c.run("CREATE MySpecial (USE (\\Drafts \\Sent))").status();
        assertTrue(created.matches("OK \\[MAILBOXID \\(F[0-9a-f]{32}\\)\\] CREATE completed\\."), created); // RFC 8474 §4.1
        assertEquals("NO [USEATTR] \\All not supported", c.run("CREATE Everything (USE (\\All))").status());
        assertEquals("NO [USEATTR] \\Flagged not supported", c.run("CREATE Stars (USE (\\Flagged))").status());
        assertEquals("NO [USEATTR] \\Important not supported", c.run("CREATE Imp (USE (\\Important))").status());
        assertAnswer("LIST \"\" (Everything Stars Imp)", List.of());
        assertAnswer("LIST (SPECIAL-USE) \"\" \"*\"", List.of("* LIST (\\Drafts \\Sent) \".\" MySpecial"));
        assertEquals("NO [ALREADYEXISTS] Mailbox already exists.", c.run("CREATE MySpecial (USE (\\Junk))").status());
    }

    @Test
    void usesFollowRenameAndLeaveWithDelete() throws Exception {
        create("Work", "Work.Sent (USE (\\Sent))", "Old (USE (\\Junk \\Archive))");
        c.expectOk("RENAME Work Job");
        c.expectOk("DELETE Old");
        create("Old");
        assertAnswer("LIST (SPECIAL-USE) \"\" \"*\"", List.of("* LIST (\\Sent) \".\" Job.Sent"));
        // what another session sees: the file, not this session's memory
        var other = login();
        var r = other.run("LIST \"\" \"*\" RETURN (SPECIAL-USE)");
        assertEquals(List.of("* LIST () \".\" INBOX", "* LIST () \".\" Job", "* LIST (\\Sent) \".\" Job.Sent",
                "* LIST () \".\" Old"), r.untagged());
    }
}
