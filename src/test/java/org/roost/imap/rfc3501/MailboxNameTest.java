package org.roost.imap.rfc3501;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 3501 §5.1.3 mailbox international naming (modified UTF-7) and safe storage names. */
class MailboxNameTest extends ImapTestBase {

    @Test
    void sec5_1_3_modifiedUtf7RoundTrip() throws Exception {
        var c = login();
        c.expectOk("CREATE Entw&APw-rfe");
        c.expectOk("CREATE &ZeVnLIqe-");
        c.expectOk("CREATE \"A &- B\"");
        assertEquals(List.of(
                "* LIST (\\HasNoChildren) \".\" INBOX",
                "* LIST (\\HasNoChildren) \".\" \"A &- B\"",
                "* LIST (\\HasNoChildren) \".\" Entw&APw-rfe",
                "* LIST (\\HasNoChildren) \".\" &ZeVnLIqe-"), c.run("LIST \"\" *").untagged());
        c.expectOk("SELECT Entw&APw-rfe");
        assertEquals(List.of("* STATUS &ZeVnLIqe- (MESSAGES 0)"), c.run("STATUS &ZeVnLIqe- (MESSAGES)").untagged());
        // on disk: Dovecot's Maildir++ names, so Dovecot serves the same folders
        assertTrue(Files.isDirectory(server.maildir(user).resolve(".Entw&APw-rfe")));
    }

    @Test
    void sec5_1_3_invalidModifiedUtf7IsRefused() throws Exception {
        var c = login();
        for (var name : new String[] {"&Jjo", "&AGE-", "&-&", "a&b-", "&AGEAYQ-", "&2D0-"}) {
            var r = c.run("CREATE \"" + name + "\"");
            assertTrue(r.tagged().matches("a\\d+ NO .*") && !r.tagged().contains("SERVERBUG"), name + " -> " + r.tagged());
        }
        assertEquals(List.of("* LIST (\\HasNoChildren) \".\" INBOX"), c.run("LIST \"\" *").untagged());
    }

    @Test
    void sec5_1_namesCannotEscapeTheMaildir() throws Exception {
        var c = login();
        for (var name : new String[] {"..", "../x", "a/../../b", "~root", "x\u0001y", "\"..\""}) {
            var r = c.run("CREATE " + (name.startsWith("\"") ? name : "\"" + name + "\""));
            assertTrue(r.tagged().matches("a\\d+ (NO|BAD) .*") && !r.tagged().contains("SERVERBUG"), name + " -> " + r.tagged());
        }
        var literal = c.run("CREATE {5+}\r\na\r\nb");
        assertTrue(literal.tagged().matches("a\\d+ NO .*"), literal.tagged());
        assertEquals(List.of("* LIST (\\HasNoChildren) \".\" INBOX"), c.run("LIST \"\" *").untagged());
    }
}
