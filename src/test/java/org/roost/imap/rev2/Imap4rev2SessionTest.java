package org.roost.imap.rev2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * An IMAP4rev2 session (RFC 9051) walked along Appendix E, "Changes from RFC 3501": each test names the
 * item it covers, byte-exact where the wire form is the change. docs/imap4rev2.md maps every item to
 * its test. Each also shows that a session that did not ENABLE IMAP4rev2 keeps RFC 3501's answers.
 */
class Imap4rev2SessionTest {
    private TestServer server;
    private String user;
    private final List<RawImapClient> clients = new ArrayList<>();

    @BeforeEach
    void freshUser() throws IOException {
        server = TestServer.shared("maildir");
        user = server.newUser();
    }

    @AfterEach
    void closeClients() throws IOException {
        for (var c : clients) {
            c.close();
        }
    }

    private RawImapClient rev1() throws IOException {
        var c = server.login(user);
        clients.add(c);
        return c;
    }

    private RawImapClient rev2() throws IOException {
        var c = rev1();
        assertEquals(List.of("* ENABLED IMAP4rev2"), c.expectOk("ENABLE IMAP4rev2").untagged());
        return c;
    }

    private static String message(String subject) {
        return "From: a@example.com\r\nSubject: " + subject + "\r\nDate: Mon, 7 Feb 1994 21:52:25 -0800\r\n\r\nbody\r\n";
    }

    private static void append(RawImapClient c, String mailbox, String flags, String subject) throws IOException {
        var r = c.append(mailbox, flags, message(subject).getBytes(StandardCharsets.US_ASCII));
        assertTrue(r.ok(), r.toString());
    }

    private static String uidValidity(RawImapClient.Response r) {
        var line = r.untagged("OK [UIDVALIDITY").getFirst();
        return line.substring("* OK [UIDVALIDITY ".length(), line.indexOf(']'));
    }

    @Test
    void enableAnswersWithTheNameAsRfc9051SpellsItOnceOnly() throws IOException {
        var c = rev1();
        assertEquals(List.of("* ENABLED IMAP4rev2"), c.expectOk("ENABLE imap4REV2").untagged());
        assertEquals(List.of("* ENABLED"), c.expectOk("ENABLE IMAP4rev2").untagged()); // RFC 9051 §6.3.1: additive
    }

    @Test
    void enableAfterSelectLeavesTheSessionRev1() throws IOException {
        var c = rev1();
        c.expectOk("SELECT INBOX");
        assertEquals(List.of("* ENABLED"), c.expectOk("ENABLE IMAP4rev2").untagged()); // §6.3.1: before SELECT
        append(c, "INBOX", "", "m1");
        assertEquals(List.of("* SEARCH 1", "t1 OK SEARCH completed."), c.command("t1", "SEARCH ALL"));
    }

    /** Items 10-12: SELECT sends LIST, neither RECENT nor UNSEEN; no message is \Recent. */
    @Test
    void item10to12_selectListsTheMailboxWithoutRecentOrUnseen() throws IOException {
        var setup = rev1();
        append(setup, "INBOX", "", "m1");
        append(setup, "INBOX", "(\\Seen)", "m2");
        var c = rev2();
        var r = c.expectOk("SELECT INBOX");
        assertEquals(List.of(
                "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
                "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted.",
                "* 2 EXISTS",
                "* LIST (\\HasNoChildren) \".\" INBOX",
                "* OK [UIDVALIDITY " + uidValidity(r) + "] UIDs valid.",
                "* OK [UIDNEXT 3] Predicted next UID."),
                r.untagged().stream().filter(l -> !l.startsWith("* OK [MAILBOXID ")).toList()); // OBJECTID's
        assertEquals("a3 OK [READ-WRITE] SELECT completed.", r.tagged());
        assertEquals(List.of("* 1 FETCH (FLAGS ())", "* 2 FETCH (FLAGS (\\Seen))"),
                c.expectOk("FETCH 1:2 FLAGS").untagged());
        // IMAP4rev1's keys still parse; nothing being \Recent, NEW and RECENT find nothing, OLD everything
        assertEquals(List.of("* ESEARCH (TAG \"t1\")", "t1 OK SEARCH completed."), c.command("t1", "SEARCH OR NEW RECENT"));
        assertEquals(List.of("* ESEARCH (TAG \"t2\") ALL 1:2", "t2 OK SEARCH completed."), c.command("t2", "SEARCH OLD"));
        // the messages stay \Recent for the next IMAP4rev1 session: a rev2 session claims none
        var old = rev1();
        assertEquals(List.of("* 2 RECENT"), old.expectOk("EXAMINE INBOX").untagged("2 RECENT"));
    }

    /** Item 12: new messages are told of with EXISTS alone. */
    @Test
    void item12_newMessagesComeWithoutRecent() throws IOException {
        var c = rev2();
        c.expectOk("SELECT INBOX");
        append(rev1(), "INBOX", "", "m1");
        var r = c.expectOk("NOOP");
        assertEquals(List.of("* 1 EXISTS"), r.untagged());
    }

    /** Item 16: mailbox names are UTF-8 on the wire; IMAP4rev1 sessions see the same mailbox in modified UTF-7. */
    @Test
    void item16_utf8MailboxNames() throws IOException {
        var c = rev2();
        c.write(utf8("a1 CREATE \"Entwürfe\"\r\n"));
        assertTrue(c.readUntilTagged("a1").tagged().matches("a1 OK .*CREATE completed\\."));
        c.write(utf8("a2 LIST \"\" \"Entw*\"\r\n"));
        assertEquals(List.of(utf8("* LIST (\\HasNoChildren) \".\" {9}\r\nEntwürfe")), c.readUntilTagged("a2").untagged());
        c.write(utf8("a3 STATUS {9+}\r\nEntwürfe (MESSAGES)\r\n"));
        assertEquals(List.of(utf8("* STATUS {9}\r\nEntwürfe (MESSAGES 0)")), c.readUntilTagged("a3").untagged());
        c.write(utf8("a4 SELECT \"Entwürfe\"\r\n"));
        assertTrue(c.readUntilTagged("a4").untagged().contains(utf8("* LIST (\\HasNoChildren) \".\" {9}\r\nEntwürfe")));
        // "&" is itself in UTF-8: no modified UTF-7 decoding once IMAP4rev2 is on
        assertTrue(c.run("CREATE \"R&D\"").ok());
        var old = rev1();
        assertEquals(List.of("* LIST (\\HasNoChildren) \".\" Entw&APw-rfe"), old.expectOk("LIST \"\" Entw*").untagged());
        assertEquals(List.of("* LIST (\\HasNoChildren) \".\" R&-D"), old.expectOk("LIST \"\" R*").untagged());
    }

    @Test
    void item16_namesThatAreNotNetUnicodeAreRefused() throws IOException {
        var c = rev2();
        // "u" + COMBINING DIAERESIS: not normalization form C
        c.write(utf8("a1 CREATE \"Entwu\u0308rfe\"\r\n"));
        assertEquals("a1 NO [CANNOT] Invalid mailbox name", c.readUntilTagged("a1").tagged());
        assertEquals("NO [CANNOT] Invalid mailbox name", c.run("CREATE {3+}\r\na\tb").status());
    }

    /** Item 4: SEARCH answers with ESEARCH, ALL assumed; nothing found is an ESEARCH with the tag alone. */
    @Test
    void item4_searchAnswersEsearch() throws IOException {
        var setup = rev1();
        for (int i = 1; i <= 4; i++) {
            append(setup, "INBOX", i == 3 ? "(\\Flagged)" : "", "m" + i);
        }
        var c = rev2();
        c.expectOk("SELECT INBOX");
        assertEquals(List.of("* ESEARCH (TAG \"t1\") ALL 1:4", "t1 OK SEARCH completed."), c.command("t1", "SEARCH ALL"));
        assertEquals(List.of("* ESEARCH (TAG \"t2\") UID ALL 3", "t2 OK UID SEARCH completed."),
                c.command("t2", "UID SEARCH FLAGGED"));
        assertEquals(List.of("* ESEARCH (TAG \"t3\")", "t3 OK SEARCH completed."), c.command("t3", "SEARCH SUBJECT \"not there\""));
        assertEquals(List.of("* ESEARCH (TAG \"t4\") COUNT 3", "t4 OK SEARCH completed."),
                c.command("t4", "SEARCH RETURN (COUNT) UNFLAGGED"));
    }

    /** Item 1: sizes are number64, in partial ranges and in LARGER and SMALLER. */
    @Test
    void item1_sizesBeyond32Bits() throws IOException {
        var c = rev2();
        append(c, "INBOX", "", "m1");
        c.expectOk("SELECT INBOX");
        assertEquals(List.of("* ESEARCH (TAG \"t1\")", "t1 OK SEARCH completed."), c.command("t1", "SEARCH LARGER 5000000000"));
        assertEquals(List.of("* ESEARCH (TAG \"t2\") ALL 1", "t2 OK SEARCH completed."),
                c.command("t2", "SEARCH SMALLER 999999999999999999"));
        assertEquals(List.of("* 1 FETCH (BODY[]<5000000000> \"\")", "t3 OK FETCH completed."),
                c.command("t3", "FETCH 1 BODY.PEEK[]<5000000000.4294967296>"));
    }

    /** Item 2: what rev2 folds in is there, in a rev2 session too: the FETCH side of BINARY, LIST-EXTENDED with STATUS. */
    @Test
    void item2_binaryAndExtendedListInARev2Session() throws IOException {
        var c = rev2();
        var encoded = "From: a@example.com\r\nSubject: b64\r\nMIME-Version: 1.0\r\nContent-Transfer-Encoding: base64\r\n\r\naGVsbG8=\r\n";
        assertTrue(c.append("INBOX", "", encoded.getBytes(StandardCharsets.US_ASCII)).ok());
        c.expectOk("SELECT INBOX");
        c.write("t1 FETCH 1 BINARY.PEEK[1]\r\n");
        assertEquals(List.of("* 1 FETCH (BINARY[1] {5}\r\nhello)"), c.readUntilTagged("t1").untagged());
        c.write(utf8("t2 CREATE \"Entwürfe\"\r\n"));
        assertTrue(c.readUntilTagged("t2").tagged().matches("t2 OK .*CREATE completed\\."));
        c.write(utf8("t3 LIST (SUBSCRIBED) \"\" \"Entw*\" RETURN (STATUS (MESSAGES SIZE))\r\n"));
        assertTrue(c.readUntilTagged("t3").untagged().isEmpty()); // not subscribed
        c.write(utf8("t4 LIST \"\" \"Entw*\" RETURN (STATUS (MESSAGES SIZE))\r\n"));
        assertEquals(List.of(utf8("* LIST () \".\" {9}\r\nEntwürfe"),
                utf8("* STATUS {9}\r\nEntwürfe (MESSAGES 0 SIZE 0)")), c.readUntilTagged("t4").untagged());
    }

    /** Item 3: STATUS SIZE and DELETED. */
    @Test
    void item3_statusSizeAndDeleted() throws IOException {
        var c = rev2();
        append(c, "INBOX", "(\\Deleted)", "m1");
        append(c, "INBOX", "", "m2");
        long size = message("m1").length() + message("m2").length();
        assertEquals(List.of("* STATUS INBOX (MESSAGES 2 DELETED 1 SIZE " + size + ")"),
                c.expectOk("STATUS INBOX (MESSAGES DELETED SIZE)").untagged());
    }

    /** Items 7-8: COPYUID for MOVE and UID MOVE; TRYCREATE when the target does not exist, which is not created. */
    @Test
    void item7and8_moveSaysCopyuidAndTrycreate() throws IOException {
        var c = rev2();
        append(c, "INBOX", "", "m1");
        append(c, "INBOX", "", "m2");
        c.expectOk("CREATE Archive");
        c.expectOk("SELECT INBOX");
        assertEquals("NO [TRYCREATE] Mailbox does not exist.", c.run("MOVE 1 Nowhere").status());
        assertEquals("NO [TRYCREATE] Mailbox does not exist.", c.run("COPY 1 Nowhere").status());
        assertTrue(c.run("LIST \"\" Nowhere").untagged().isEmpty());
        var archive = c.expectOk("STATUS Archive (UIDVALIDITY)").untagged().getFirst();
        var archiveValidity = archive.substring(archive.indexOf("UIDVALIDITY ") + 12, archive.length() - 1);
        var move = c.expectOk("MOVE 1 Archive");
        assertEquals(List.of("* OK [COPYUID " + archiveValidity + " 1 1] Moved UIDs.", "* 1 EXPUNGE"), move.untagged());
        var uidMove = c.expectOk("UID MOVE 2 Archive");
        assertEquals(List.of("* OK [COPYUID " + archiveValidity + " 2 2] Moved UIDs.", "* 1 EXPUNGE"), uidMove.untagged());
    }

    /** Item 9: SELECT with a mailbox selected says CLOSED first. */
    @Test
    void item9_closedBeforeTheNextSelect() throws IOException {
        var c = rev2();
        c.expectOk("SELECT INBOX");
        var r = c.expectOk("EXAMINE INBOX");
        assertEquals("* OK [CLOSED] Previous mailbox closed.", r.untagged().getFirst());
    }

    /** Item 15: $MDNSent, $Forwarded, $Junk, $NonJunk and $Phishing can be set (PERMANENTFLAGS has \*). */
    @Test
    void item15_registeredKeywords() throws IOException {
        var c = rev2();
        append(c, "INBOX", "", "m1");
        c.expectOk("SELECT INBOX");
        var r = c.expectOk("STORE 1 +FLAGS.SILENT ($MDNSent $Forwarded $Junk $NonJunk $Phishing)");
        assertFalse(r.untagged("1 FETCH").stream().anyMatch(l -> l.contains("\\Recent")));
        assertEquals(List.of("* 1 FETCH (FLAGS ($Forwarded $Junk $MDNSent $NonJunk $Phishing))"),
                c.expectOk("FETCH 1 FLAGS").untagged("1 FETCH"));
    }

    /** Item 21: unsolicited FETCH carries UID, and no \Recent. */
    @Test
    void item21_unsolicitedFetchHasUid() throws IOException {
        var other = rev1();
        append(other, "INBOX", "", "m1");
        var c = rev2();
        c.expectOk("SELECT INBOX");
        other.expectOk("SELECT INBOX");
        other.expectOk("STORE 1 +FLAGS.SILENT (\\Flagged)");
        assertEquals(List.of("* 1 FETCH (UID 1 FLAGS (\\Flagged))"), c.expectOk("NOOP").untagged());
    }

    /** Items 17-19: what rev2 removed is still served, for IMAP4rev1 clients on the same server (Appendix A). */
    @Test
    void item17to19_removedCommandsAndItemsStillAnswer() throws IOException {
        var c = rev2();
        append(c, "INBOX", "", "m1");
        c.expectOk("SELECT INBOX");
        c.expectOk("CHECK");
        var size = message("m1").length();
        assertEquals(List.of("* 1 FETCH (RFC822.SIZE " + size + ")"), c.expectOk("FETCH 1 RFC822.SIZE").untagged());
        assertTrue(c.expectOk("FETCH 1 RFC822.HEADER").untagged().getFirst().startsWith("* 1 FETCH (RFC822.HEADER {"));
        c.expectOk("LSUB \"\" *");
    }

    @Test
    void rev1SessionsKeepRfc3501Answers() throws IOException {
        var setup = rev1();
        append(setup, "INBOX", "", "m1");
        var c = rev1();
        var r = c.expectOk("SELECT INBOX");
        assertEquals(List.of("* 1 RECENT"), r.untagged("1 RECENT"));
        assertEquals(List.of("* OK [UNSEEN 1] First unseen."), r.untagged("OK [UNSEEN"));
        assertTrue(r.untagged("LIST").isEmpty());
        assertEquals(List.of("* SEARCH 1"), c.expectOk("SEARCH ALL").untagged());
        assertEquals(List.of("* 1 FETCH (FLAGS (\\Recent))"), c.expectOk("FETCH 1 FLAGS").untagged());
    }

    private static String utf8(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }
}
