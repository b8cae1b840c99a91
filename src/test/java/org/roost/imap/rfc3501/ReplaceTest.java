package org.roost.imap.rfc3501;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.roost.testing.RawImapClient;

/** REPLACE and UID REPLACE (RFC 8508), byte for byte, on every storage. */
class ReplaceTest extends EveryStorageTestBase {
    static final String FRITZ = "Date: Thu, 1 Jan 2015 00:05:00 -0500 (EST)\r\n"
            + "From: Fritz Schmidt <fritz.ze@example.org>\r\nSubject: happy new year !!\r\n"
            + "To: miss.mitzy@example.org\r\nMessage-Id: <B238822388-0100000@example.org>\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n\r\n"
            + "Just saw the best fireworks show. Wish you were here.\r\n\r\n";

    private static String uidValidity(RawImapClient c, String mailbox) throws Exception {
        return c.run("STATUS " + mailbox + " (UIDVALIDITY)").untagged().getFirst().replaceAll(".*UIDVALIDITY (\\d+).*", "$1");
    }

    /**
     * RFC 8508 §3.2's example A003: APPENDUID untagged first (§4.3). The example then says EXISTS before EXPUNGE;
     * Roost reports the expunge first (the order changes happened in), then the count after both.
     */
    @Test
    void rfc8508ReplaceExample() throws Exception {
        var c = login();
        c.expectOk("CREATE Drafts");
        appendMessages(c, "Drafts", 4);
        var validity = uidValidity(c, "Drafts");
        c.expectOk("SELECT Drafts");
        assertEquals(312, FRITZ.length());
        c.write("A003 REPLACE 4 Drafts (\\Seen \\Draft) {312}\r\n");
        assertEquals("+ Ready for literal data", c.readResponse());
        c.write(FRITZ + "\r\n");
        assertEquals(List.of("* OK [APPENDUID " + validity + " 5] Replacement Message ready", "* 4 EXPUNGE",
                "* 4 EXISTS", "* 4 RECENT", "A003 OK Replace completed"), lines(c.readUntilTagged("A003")));
        assertEquals(List.of("* 4 FETCH (UID 5 FLAGS (\\Seen \\Draft \\Recent))"), c.run("FETCH 4 (UID FLAGS)").untagged());
    }

    /** RFC 8508 §3.3 (UID REPLACE), into another mailbox (§3.4: a draft replaced by its sent copy). */
    @Test
    void uidReplaceIntoAnotherMailbox() throws Exception {
        var c = login();
        c.expectOk("CREATE Drafts");
        c.expectOk("CREATE Sent");
        appendMessages(c, "Drafts", 2);
        var validity = uidValidity(c, "Sent");
        c.expectOk("SELECT Drafts");
        var r = c.run("UID REPLACE 1 Sent {" + FRITZ.length() + "+}\r\n" + FRITZ);
        assertEquals(List.of("* OK [APPENDUID " + validity + " 1] Replacement Message ready", "* 1 EXPUNGE"),
                r.untagged());
        assertEquals(List.of("* STATUS Sent (MESSAGES 1)"), c.run("STATUS Sent (MESSAGES)").untagged());
        assertEquals(List.of("* 1 FETCH (UID 2)"), c.run("FETCH 1 UID").untagged());
    }

    /** §3.4: an error leaves the selected mailbox as it was, and no EXPUNGE is sent. */
    @Test
    void refusalsKeepTheOldMessage() throws Exception {
        var c = login();
        appendMessages(c, "INBOX", 2);
        c.expectOk("SELECT INBOX");
        var literal = "{" + FRITZ.length() + "+}\r\n" + FRITZ;
        assertEquals(List.of(), c.run("REPLACE 1 Nowhere " + literal).untagged());
        assertTrue(c.run("REPLACE 1 Nowhere " + literal).tagged().endsWith(" NO [TRYCREATE] Mailbox does not exist."));
        assertTrue(c.run("UID REPLACE 99 INBOX " + literal).tagged().endsWith(" NO The message to replace does not exist."));
        assertTrue(c.run("REPLACE 3 INBOX " + literal).tagged().contains(" BAD "), "no message 3: a bad number");
        assertTrue(c.run("REPLACE 1 INBOX {0+}\r\n").tagged().endsWith(" NO Cannot append an empty message."));
        assertEquals(List.of("* STATUS INBOX (MESSAGES 2)"), c.run("STATUS INBOX (MESSAGES)").untagged());
        c.expectOk("EXAMINE INBOX");
        assertTrue(c.run("REPLACE 1 INBOX " + literal).tagged().endsWith(" NO [READ-ONLY] Mailbox is read-only."));
        var auth = login();
        assertTrue(auth.run("REPLACE 1 INBOX " + literal).tagged().contains(" BAD "), "§3.5: selected state only");
    }

    /** RFC 9586: once UIDONLY is on, REPLACE by sequence number is refused, UID REPLACE works. */
    @Test
    void uidOnlyRefusesReplaceByNumber() throws Exception {
        var c = login();
        appendMessages(c, "INBOX", 2);
        c.expectOk("ENABLE UIDONLY");
        c.expectOk("SELECT INBOX");
        var literal = "{" + FRITZ.length() + "+}\r\n" + FRITZ;
        assertTrue(c.run("REPLACE 1 INBOX " + literal).tagged().contains(" BAD [UIDREQUIRED] "));
        assertTrue(c.run("UID REPLACE 1 INBOX " + literal).ok());
    }

    /** §4.5: the replaced message is removed as by UID EXPUNGE: VANISHED and the new HIGHESTMODSEQ with QRESYNC. */
    @Test
    void qresyncSeesVanished() throws Exception {
        var c = login();
        appendMessages(c, "INBOX", 3);
        c.expectOk("ENABLE QRESYNC");
        c.expectOk("SELECT INBOX");
        var r = c.run("UID REPLACE 2 INBOX {" + FRITZ.length() + "+}\r\n" + FRITZ);
        assertTrue(r.untagged().contains("* VANISHED 2"), r.toString());
        assertTrue(r.untagged().contains("* 3 EXISTS"), r.toString());
        assertTrue(r.tagged().matches("a\\d+ OK \\[HIGHESTMODSEQ \\d+\\] Replace completed"), r.tagged());
    }
}
