package org.roost.imap.rfc3501;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.roost.testing.RawImapClient;

/** RFC 3501 §6.3.3 CREATE, §6.3.4 DELETE, §6.3.5 RENAME, §6.3.6-7 SUBSCRIBE/UNSUBSCRIBE. */
class MailboxManagementTest extends ImapTestBase {

    private static List<String> list(RawImapClient c) throws Exception {
        return c.run("LIST \"\" *").untagged();
    }

    @Test
    void sec6_3_3_createThenList() throws Exception {
        var c = login();
        // RFC 8474 §4.1: the MAILBOXID where the storage keeps mailbox GUIDs (Maildir)
        var created = storage().equals("maildir") ? "a2 OK \\[MAILBOXID \\(F[0-9a-f]{32}\\)\\] CREATE completed\\."
                : "a2 OK CREATE completed\\.";
        var tagged = c.run("CREATE Work").tagged();
        assertTrue(tagged.matches(created), tagged);
        assertEquals(List.of("* LIST (\\HasNoChildren) \".\" INBOX", "* LIST (\\HasNoChildren) \".\" Work"), list(c));
    }

    @Test
    void sec6_3_3_createExistingIsNoAlreadyExists() throws Exception {
        var c = login();
        c.expectOk("CREATE Work");
        assertEquals("a3 NO [ALREADYEXISTS] Mailbox already exists.", c.run("CREATE Work").tagged());
        assertEquals("a4 NO [ALREADYEXISTS] Mailbox already exists.", c.run("CREATE inbox").tagged());
    }

    @Test
    void sec6_3_3_createWithTrailingDelimiterCreatesTheName() throws Exception {
        var c = login();
        assertTrue(c.run("CREATE Projects.").ok());
        assertTrue(list(c).contains("* LIST (\\HasNoChildren) \".\" Projects"), list(c).toString());
    }

    @Test
    void sec6_3_3_createOfDeepNameShowsSuperiorsAsNoselect() throws Exception {
        // §6.3.3 says SHOULD create superiors; Maildir++ (and Dovecot on it) shows them as \Noselect
        var c = login();
        c.expectOk("CREATE a.b.c");
        assertEquals(List.of(
                "* LIST (\\HasNoChildren) \".\" INBOX",
                "* LIST (\\Noselect \\HasChildren) \".\" a",
                "* LIST (\\Noselect \\HasChildren) \".\" a.b",
                "* LIST (\\HasNoChildren) \".\" a.b.c"), list(c));
    }

    @Test
    void sec6_3_3_createWithInvalidCharactersIsNoNotServerBug() throws Exception {
        var c = login();
        for (var name : new String[] {"a/b", "x/", "foo..bar", ".leading", "\"tab\tname\""}) {
            var r = c.run("CREATE " + name);
            assertTrue(r.tagged().matches("a\\d+ NO \\[CANNOT\\] .*"), name + " -> " + r.tagged());
        }
        for (var cmd : new String[] {"SELECT a/b", "STATUS a/b (MESSAGES)", "DELETE a/b", "RENAME a/b c",
                "APPEND a/b {1+}\r\nx", "SUBSCRIBE a/b"}) {
            var r = c.run(cmd);
            assertTrue(r.tagged().matches("a\\d+ NO .*") && !r.tagged().contains("SERVERBUG"), cmd + " -> " + r.tagged());
        }
    }

    @Test
    void sec6_3_4_deleteRemovesMailboxAndMessages() throws Exception {
        var c = login();
        c.expectOk("CREATE Work");
        appendMessages(c, "Work", 2);
        assertEquals("a5 OK DELETE completed.", c.run("DELETE Work").tagged());
        assertEquals(List.of("* LIST (\\HasNoChildren) \".\" INBOX"), list(c));
        c.expectOk("CREATE Work");
        assertEquals(List.of("* STATUS Work (MESSAGES 0)"), c.run("STATUS Work (MESSAGES)").untagged());
    }

    @Test
    void sec6_3_4_deleteInboxOrMissingIsNo() throws Exception {
        var c = login();
        assertTrue(c.run("DELETE INBOX").tagged().startsWith("a2 NO"));
        assertTrue(c.run("DELETE Nothing").tagged().startsWith("a3 NO [NONEXISTENT]"));
    }

    @Test
    void sec6_3_4_deleteWithChildrenLeavesNoselectParent() throws Exception {
        var c = login();
        c.expectOk("CREATE Parent");
        c.expectOk("CREATE Parent.Kid");
        appendMessages(c, "Parent", 1);
        c.expectOk("DELETE Parent");
        assertTrue(list(c).contains("* LIST (\\Noselect \\HasChildren) \".\" Parent"), list(c).toString());
        assertTrue(list(c).contains("* LIST (\\HasNoChildren) \".\" Parent.Kid"));
        // §6.3.4: deleting a \Noselect name that has inferiors is an error
        var r = c.run("DELETE Parent");
        assertTrue(r.tagged().matches("a\\d+ NO .*") && !r.tagged().contains("SERVERBUG"), r.tagged());
    }

    @Test
    void sec6_3_4_deleteSelectedMailboxEndsSelection() throws Exception {
        var c = login();
        c.expectOk("CREATE Work");
        c.expectOk("SELECT Work");
        c.expectOk("DELETE Work");
        assertTrue(c.run("FETCH 1 FLAGS").tagged().matches("a\\d+ BAD .*"));
    }

    @Test
    void sec6_3_5_renameMovesMailboxAndChildren() throws Exception {
        var c = login();
        c.expectOk("CREATE Old");
        c.expectOk("CREATE Old.Kid");
        appendMessages(c, "Old", 2);
        assertEquals("a6 OK RENAME completed.", c.run("RENAME Old New").tagged());
        assertEquals(List.of(
                "* LIST (\\HasNoChildren) \".\" INBOX",
                "* LIST (\\HasChildren) \".\" New",
                "* LIST (\\HasNoChildren) \".\" New.Kid"), list(c));
        assertEquals(List.of("* STATUS New (MESSAGES 2)"), c.run("STATUS New (MESSAGES)").untagged());
    }

    @Test
    void sec6_3_5_renameOfTheSelectedMailboxOrItsParentKeepsTheSelectionUsable() throws Exception {
        var c = login();
        c.expectOk("CREATE Old");
        c.expectOk("CREATE Old.Kid");
        appendMessages(c, "Old", 2);
        appendMessages(c, "Old.Kid", 1);
        c.expectOk("SELECT Old");
        c.expectOk("RENAME Old New");
        var f = c.run("FETCH 2 (UID BODY.PEEK[HEADER.FIELDS (Subject)])");
        assertEquals(List.of("* 2 FETCH (UID 2 BODY[HEADER.FIELDS (SUBJECT)] {15}\r\nSubject: m2\r\n\r\n)"), f.untagged());
        assertTrue(f.ok(), f.toString());
        c.expectOk("STORE 1 +FLAGS.SILENT (\\Flagged)");
        // the session still sees its mailbox under the new name: the append shows up as EXISTS
        assertEquals("* 3 EXISTS", c.append("New", message("m3", "x")).untagged().getFirst());
        c.expectOk("SELECT New.Kid");
        c.expectOk("RENAME New Newer");
        assertEquals(List.of("* 1 FETCH (BODY[] {" + message("m1", "body 1").length() + "}\r\n" + message("m1", "body 1") + ")"),
                c.run("FETCH 1 BODY.PEEK[]").untagged());
        assertEquals(List.of("* STATUS Newer (MESSAGES 3)"), c.run("STATUS Newer (MESSAGES)").untagged());
    }

    @Test
    void sec6_3_5_renameErrors() throws Exception {
        var c = login();
        c.expectOk("CREATE A");
        c.expectOk("CREATE B");
        assertEquals("a4 NO [NONEXISTENT] Mailbox does not exist.", c.run("RENAME Missing C").tagged());
        assertEquals("a5 NO [ALREADYEXISTS] Target mailbox already exists.", c.run("RENAME A B").tagged());
        assertTrue(c.run("RENAME A INBOX").tagged().startsWith("a6 NO"));
    }

    @Test
    void sec6_3_5_renameInboxMovesMessagesAndLeavesInboxEmpty() throws Exception {
        var c = login();
        appendMessages(c, "INBOX", 3);
        c.expectOk("CREATE INBOX.Sub");
        assertTrue(c.run("RENAME INBOX Archive").ok());
        assertEquals(List.of("* STATUS Archive (MESSAGES 3)"), c.run("STATUS Archive (MESSAGES)").untagged());
        assertEquals(List.of("* STATUS INBOX (MESSAGES 0)"), c.run("STATUS INBOX (MESSAGES)").untagged());
        // §6.3.5: inferior names of INBOX are unaffected
        assertTrue(list(c).contains("* LIST (\\HasNoChildren) \".\" INBOX.Sub"), list(c).toString());
        var s = selected("Archive");
        var f = s.run("FETCH 1:* BODY.PEEK[HEADER.FIELDS (Subject)]");
        assertEquals(3, f.untagged().size());
        assertTrue(f.untagged().get(2).contains("Subject: m3"));
        appendMessages(c, "INBOX", 1);
        assertEquals(List.of("* STATUS INBOX (MESSAGES 1)"), c.run("STATUS INBOX (MESSAGES)").untagged());
    }

    @Test
    void sec6_3_6_subscribeAndUnsubscribe() throws Exception {
        var c = login();
        c.expectOk("CREATE Work");
        assertEquals("a3 OK SUBSCRIBE completed.", c.run("SUBSCRIBE Work").tagged());
        assertEquals(List.of("* LSUB () \".\" Work"), c.run("LSUB \"\" *").untagged());
        // §6.3.6: a subscription survives the mailbox
        c.expectOk("DELETE Work");
        assertEquals(List.of("* LSUB () \".\" Work"), c.run("LSUB \"\" *").untagged());
        assertEquals("a7 OK UNSUBSCRIBE completed.", c.run("UNSUBSCRIBE Work").tagged());
        assertEquals(List.of(), c.run("LSUB \"\" *").untagged());
    }
}
