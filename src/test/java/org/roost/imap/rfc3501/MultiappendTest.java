package org.roost.imap.rfc3501;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** MULTIAPPEND (RFC 3502) with APPENDUID (RFC 4315), byte for byte, on every storage. */
class MultiappendTest extends EveryStorageTestBase {
    static final String FRED = "Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)\r\n"
            + "From: Fred Foobar <foobar@Blurdybloop.example.COM>\r\nSubject: afternoon meeting\r\n"
            + "To: mooch@owatagu.example.net\r\nMessage-Id: <B27397-0100000@Blurdybloop.example.COM>\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n\r\n"
            + "Hello Joe, do you think we can meet at 3:30 tomorrow?\r\n";
    static final String JOE = "Date: Mon, 7 Feb 1994 22:43:04 -0800 (PST)\r\n"
            + "From: Joe Mooch <mooch@OWaTaGu.example.net>\r\nSubject: Re: afternoon meeting\r\n"
            + "To: foobar@blurdybloop.example.com\r\nMessage-Id: <a0434793874930@OWaTaGu.example.net>\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n\r\n3:30 is fine with me.\r\n";

    /** RFC 3502 §6.3.11's example A003, with APPENDUID naming both UIDs (RFC 3502 "Interaction with UIDPLUS"). */
    @Test
    void rfc3502ExampleAppendsBothMessages() throws Exception {
        var c = login();
        c.expectOk("CREATE saved-messages");
        assertEquals(329, FRED.length());
        c.write("A003 APPEND saved-messages (\\Seen) {329}\r\n");
        assertEquals("+ Ready for literal data", c.readResponse());
        c.write(FRED + " (\\Seen) \" 7-Feb-1994 22:43:04 -0800\" {295}\r\n");
        assertEquals("+ Ready for literal data", c.readResponse());
        c.write(JOE + "\r\n");
        var r = c.readUntilTagged("A003");
        var validity = c.run("STATUS saved-messages (UIDVALIDITY)").untagged().getFirst().replaceAll("\\D", "");
        assertEquals("A003 OK [APPENDUID " + validity + " 1:2] APPEND completed.", r.tagged());
        var s = selected("saved-messages");
        assertEquals(List.of(
                "* 1 FETCH (UID 1 FLAGS (\\Seen \\Recent) RFC822.SIZE 329)",
                "* 2 FETCH (UID 2 FLAGS (\\Seen \\Recent) INTERNALDATE \"08-Feb-1994 06:43:04 +0000\" RFC822.SIZE 295)"),
                List.of(s.run("FETCH 1 (UID FLAGS RFC822.SIZE)").untagged().getFirst(),
                        s.run("FETCH 2 (UID FLAGS INTERNALDATE RFC822.SIZE)").untagged().getFirst()));
        assertEquals("* 2 FETCH (BODY[] {295}\r\n" + JOE + ")", s.run("FETCH 2 BODY.PEEK[]").untagged().getFirst());
    }

    /** RFC 3502 §6.3.11 example A004: no such mailbox, TRYCREATE before any literal is stored. */
    @Test
    void rfc3502ExampleTryCreate() throws Exception {
        var c = login();
        c.write("A004 APPEND bogusname (\\Flagged) {5+}\r\nhello (\\Seen) {5+}\r\nworld\r\n");
        assertEquals("A004 NO [TRYCREATE] Mailbox does not exist.", c.readUntilTagged("A004").tagged());
    }

    /** A zero-length literal cancels the whole command (RFC 3502 §6.3.11): the messages before it are not kept. */
    @Test
    void emptyLiteralCancelsEveryMessage() throws Exception {
        var c = login();
        c.write("a1 APPEND INBOX {" + FRED.length() + "+}\r\n" + FRED + " {" + JOE.length() + "+}\r\n" + JOE
                + " {0+}\r\n\r\n");
        assertEquals("a1 NO Cannot append an empty message.", c.readUntilTagged("a1").tagged());
        assertEquals(List.of("* STATUS INBOX (MESSAGES 0 UIDNEXT 1)"),
                c.run("STATUS INBOX (MESSAGES UIDNEXT)").untagged());
    }

    /** A session with the mailbox selected is told of every new message at once (RFC 3502 §6.3.11 "EXISTS"). */
    @Test
    void selectedSessionSeesEveryNewMessage() throws Exception {
        var s = selected("INBOX");
        var r = s.run("APPEND INBOX {" + FRED.length() + "+}\r\n" + FRED + " (\\Flagged) {" + JOE.length() + "+}\r\n"
                + JOE + " {" + FRED.length() + "+}\r\n" + FRED);
        assertTrue(r.tagged().matches("a\\d+ OK \\[APPENDUID \\d+ 1:3\\] APPEND completed\\."), r.tagged());
        assertTrue(r.untagged().contains("* 3 EXISTS"), r.toString());
        assertEquals(List.of("* 2 FETCH (FLAGS (\\Flagged \\Recent))"), s.run("FETCH 2 FLAGS").untagged());
    }

    /**
     * {@code limits.maxAppendMessages} (1000 by default) bounds one command: 10,000 tiny messages sent at once
     * (non-synchronizing literals) are answered BAD and none is stored; the connection stays usable.
     */
    @Test
    void tenThousandTinyMessagesAreRefusedWhole() throws Exception {
        var c = login();
        var command = new StringBuilder("a1 APPEND INBOX");
        for (int i = 0; i < 10_000; i++) {
            command.append(" {3+}\r\nx\r\n");
        }
        c.write(command.append("\r\n").toString());
        assertEquals("a1 BAD Too many messages in one APPEND (at most 1000)", c.readUntilTagged("a1").tagged());
        assertEquals(List.of("* STATUS INBOX (MESSAGES 0)"), c.run("STATUS INBOX (MESSAGES)").untagged());
    }

    /** Within the bound, a thousand messages are one commit, with consecutive UIDs. */
    @Test
    void aThousandMessagesInOneCommand() throws Exception {
        var c = login();
        c.timeout(120_000); // the database store uploads each body on its own: slower, only a hang is an error
        var command = new StringBuilder("a1 APPEND INBOX");
        for (int i = 0; i < 1000; i++) {
            var m = "Subject: " + i + "\r\n\r\nx\r\n";
            command.append(" {").append(m.length()).append("+}\r\n").append(m);
        }
        c.write(command.append("\r\n").toString());
        var r = c.readUntilTagged("a1");
        assertTrue(r.tagged().matches("a1 OK \\[APPENDUID \\d+ 1:1000\\] APPEND completed\\."), r.tagged());
        var s = selected("INBOX");
        assertEquals(List.of("* 1000 FETCH (BODY[HEADER.FIELDS (SUBJECT)] {16}\r\nSubject: 999\r\n\r\n)"),
                s.run("FETCH 1000 BODY.PEEK[HEADER.FIELDS (SUBJECT)]").untagged());
    }
}
