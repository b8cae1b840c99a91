package org.roost.imap.rfc3501;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 3501 §6.3.10 STATUS and §6.3.11 APPEND (with RFC 4315 APPENDUID and RFC 7888 LITERAL+). */
class StatusAppendTest extends EveryStorageTestBase {

    @Test
    void sec6_3_10_statusItems() throws Exception {
        var c = login();
        c.expectOk("CREATE Work");
        appendMessages(c, "Work", 3);
        c.append("Work", "(\\Seen)", bytes(message("seen", "x")));
        var r = c.run("STATUS Work (MESSAGES RECENT UIDNEXT UNSEEN)");
        assertEquals(List.of("* STATUS Work (MESSAGES 4 RECENT 4 UIDNEXT 5 UNSEEN 3)"), r.untagged());
        assertEquals("a7 OK STATUS completed.", r.tagged());
        var v = c.run("STATUS Work (UIDVALIDITY)").untagged().getFirst();
        assertTrue(v.matches("\\* STATUS Work \\(UIDVALIDITY [1-9]\\d*\\)"), v);
    }

    @Test
    void sec6_3_10_statusRecentDropsOnceASessionSelected() throws Exception {
        var c = login();
        appendMessages(c, "INBOX", 2);
        login().expectOk("SELECT INBOX");
        assertEquals(List.of("* STATUS INBOX (RECENT 0 MESSAGES 2)"), c.run("STATUS INBOX (RECENT MESSAGES)").untagged());
    }

    @Test
    void sec6_3_10_statusErrors() throws Exception {
        var c = login();
        assertEquals("a2 NO [NONEXISTENT] Mailbox does not exist.", c.run("STATUS Nope (MESSAGES)").tagged());
        assertTrue(c.run("STATUS INBOX (BOGUS)").tagged().startsWith("a3 BAD"));
        assertTrue(c.run("STATUS INBOX MESSAGES").tagged().startsWith("a4 BAD"));
    }

    @Test
    void sec6_3_11_appendWithFlagsAndDate() throws Exception {
        var c = login();
        var msg = bytes(message("dated", "hello"));
        var r = c.append("INBOX", "(\\Seen \\Flagged $Label1) \" 7-Feb-1994 21:52:25 -0800\"", msg);
        assertTrue(r.tagged().matches("a2 OK \\[APPENDUID \\d+ 1\\] APPEND completed\\."), r.tagged());
        var s = selected("INBOX");
        var f = s.run("FETCH 1 (FLAGS INTERNALDATE RFC822.SIZE)");
        assertEquals(List.of("* 1 FETCH (FLAGS (\\Seen \\Flagged \\Recent $Label1) INTERNALDATE \"08-Feb-1994 05:52:25 +0000\" RFC822.SIZE "
                + msg.length + ")"), f.untagged());
    }

    @Test
    void sec6_3_11_appendedBytesComeBackExactly() throws Exception {
        var c = login();
        var msg = bytes(message("exact", "line1\r\nline2 \u00e9\u00ff"));
        c.append("INBOX", "", msg);
        var s = selected("INBOX");
        var line = s.run("FETCH 1 BODY.PEEK[]").untagged().getFirst();
        assertEquals("* 1 FETCH (BODY[] {" + msg.length + "}\r\n" + new String(msg, java.nio.charset.StandardCharsets.ISO_8859_1) + ")", line);
    }

    @Test
    void sec6_3_11_synchronizingLiteralWaitsForContinuation() throws Exception {
        var c = login();
        c.write("a1 APPEND INBOX {12}\r\n");
        assertEquals("+ Ready for literal data", c.readResponse());
        c.write("Subject: x\r\n\r\n");
        var r = c.readUntilTagged("a1");
        assertTrue(r.ok(), r.toString());
    }

    @Test
    void rfc7888_nonSynchronizingLiteralNeedsNoContinuation() throws Exception {
        var c = login();
        c.write("a1 APPEND INBOX (\\Draft) {12+}\r\nSubject: x\r\n\r\na2 NOOP\r\n");
        var r = c.readUntilTagged("a1");
        assertTrue(r.ok(), r.toString());
        assertTrue(r.untagged().stream().noneMatch(l -> l.startsWith("+")), r.toString());
        assertTrue(c.readUntilTagged("a2").ok());
    }

    @Test
    void sec6_3_11_appendToMissingMailboxIsTryCreate() throws Exception {
        var c = login();
        var r = c.append("Nope", "", bytes(message("x", "y")));
        assertEquals("a2 NO [TRYCREATE] Mailbox does not exist.", r.tagged());
    }

    @Test
    void sec6_3_11_appendToSelectedMailboxAnnouncesExists() throws Exception {
        var c = selected("INBOX");
        var r = c.append("INBOX", message("x", "y"));
        assertEquals(List.of("* 1 EXISTS", "* 1 RECENT"), r.untagged());
        assertTrue(r.ok());
    }

    @Test
    void sec6_3_11_appendWithBadFlagOrDateIsBad() throws Exception {
        var c = login();
        assertTrue(c.run("APPEND INBOX (\\Bogus) {1+}\r\nx").tagged().startsWith("a2 BAD"));
        assertTrue(c.run("APPEND INBOX \"garbage\" {1+}\r\nx").tagged().startsWith("a3 BAD"));
        assertTrue(c.run("APPEND INBOX \"7-Feb-1994 21:52:25\" {1+}\r\nx").tagged().startsWith("a4 BAD"));
        assertEquals(List.of("* STATUS INBOX (MESSAGES 0)"), c.run("STATUS INBOX (MESSAGES)").untagged());
    }

    @Test
    void sec6_3_11_appendOfEmptyMessageIsRefused() throws Exception {
        var c = login();
        var r = c.run("APPEND INBOX {0+}\r\n");
        assertTrue(r.tagged().startsWith("a2 NO"), r.tagged());
    }

    @Test
    void sec6_3_11_binaryBytesSurviveAppend() throws Exception {
        var c = login();
        var msg = new byte[256 + 20];
        var head = bytes("Subject: bin\r\n\r\n");
        System.arraycopy(head, 0, msg, 0, head.length);
        for (int i = head.length; i < msg.length - 2; i++) {
            msg[i] = (byte) (i % 256 == 0 || i % 256 == '\r' || i % 256 == '\n' ? 'x' : i % 256);
        }
        msg[msg.length - 2] = '\r';
        msg[msg.length - 1] = '\n';
        assertTrue(c.append("INBOX", "", msg).ok());
        var s = selected("INBOX");
        var line = s.run("FETCH 1 BODY.PEEK[]").untagged().getFirst();
        var body = line.substring(line.indexOf("}\r\n") + 3, line.length() - 1);
        assertArrayEquals(msg, bytes(body));
    }
}
