package org.roost.imap.rfc3501;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.roost.testing.RawImapClient;

/** CATENATE (RFC 4469), with MULTIAPPEND and REPLACE, byte for byte, on every storage. */
class CatenateTest extends EveryStorageTestBase {
    static final String BOUNDARY = "--------------030308070208000400050907";
    /** Appendix A's message 20: multipart/mixed, text/plain then application/x-zip-compressed. */
    static final String DRAFT = "From: Bob Ar <bar@example.org>\r\nSubject: About our holiday trip\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed;\r\n boundary=\"" + BOUNDARY.substring(2) + "\"\r\n\r\n"
            + BOUNDARY + "\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nSee the attachment.\r\n"
            + BOUNDARY + "\r\nContent-Type: application/x-zip-compressed; name=\"a.zip\"\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\nUEsDBAoAAAAAAA==\r\n" + BOUNDARY + "--\r\n";
    static final String NOTE = "From: Bob Ar <bar@example.org>\r\nSubject: forwarded\r\n\r\nA note.\r\n";

    /** The bytes of {@code section} of message {@code seq}, as FETCH (not CATENATE) reads them. */
    private static String fetched(RawImapClient c, int seq, String section) throws Exception {
        var line = c.run("FETCH " + seq + " BODY.PEEK[" + section + "]").untagged().getFirst();
        return line.substring(line.indexOf("}\r\n") + 3, line.length() - 1);
    }

    private RawImapClient draftsWithMessages() throws Exception {
        var c = login();
        c.expectOk("CREATE Drafts");
        assertTrue(c.append("Drafts", DRAFT).ok());
        assertTrue(c.append("Drafts", NOTE).ok());
        return c;
    }

    private static String validity(RawImapClient c) throws Exception {
        return c.run("STATUS Drafts (UIDVALIDITY)").untagged().getFirst().replaceAll(".*UIDVALIDITY (\\d+).*", "$1");
    }

    /** RFC 4469 Appendix A example 1: an attachment replaced in a draft without downloading it. */
    @Test
    void rfc4469Example1() throws Exception {
        var c = draftsWithMessages();
        var v = validity(c);
        var url = "/Drafts;UIDVALIDITY=" + v + "/;UID=1";
        c.write("A003 APPEND Drafts (\\Seen \\Draft $MDNSent) CATENATE (URL \"" + url + "/;section=HEADER\" TEXT {42}\r\n");
        assertEquals("+ Ready for literal data", c.readResponse());
        c.write("\r\n" + BOUNDARY + "\r\n URL \"" + url + "/;section=1.MIME\" URL \"" + url + "/;section=1\" TEXT {42}\r\n");
        assertEquals("+ Ready for literal data", c.readResponse());
        c.write("\r\n" + BOUNDARY + "\r\n URL \"/Drafts;UIDVALIDITY=" + v + "/;UID=2\" TEXT {44}\r\n");
        assertEquals("+ Ready for literal data", c.readResponse());
        c.write("\r\n" + BOUNDARY + "--\r\n)\r\n");
        assertEquals("A003 OK [APPENDUID " + v + " 3] APPEND completed.", c.readUntilTagged("A003").tagged());

        c.expectOk("EXAMINE Drafts");
        var expected = fetched(c, 1, "HEADER") + "\r\n" + BOUNDARY + "\r\n" + fetched(c, 1, "1.MIME")
                + fetched(c, 1, "1") + "\r\n" + BOUNDARY + "\r\n" + fetched(c, 2, "") + "\r\n" + BOUNDARY + "--\r\n";
        assertEquals(expected, fetched(c, 3, ""));
        assertEquals(List.of("* 1 FETCH (FLAGS (\\Recent))", "* 3 FETCH (FLAGS (\\Seen \\Draft \\Recent $MDNSent))"),
                List.of(c.run("FETCH 1 FLAGS").untagged().getFirst(), c.run("FETCH 3 FLAGS").untagged().getFirst()),
                "RFC 4469 §3: catenating sets no \\Seen on the source");
    }

    /** RFC 5092 ;PARTIAL= (RFC 5550): a byte range of a section; past the end, what is there. */
    @Test
    void partialRanges() throws Exception {
        var c = draftsWithMessages();
        var r = c.run("APPEND Drafts CATENATE (URL \"/Drafts/;UID=2/;PARTIAL=6.3\" URL \"/Drafts/;UID=2/;SECTION=TEXT/;PARTIAL=2\""
                + " URL \"/Drafts/;UID=2/;PARTIAL=99999\")");
        assertTrue(r.ok(), r.toString());
        c.expectOk("EXAMINE Drafts");
        assertEquals("Bob" + "note.\r\n", fetched(c, 3, ""));
    }

    /** RFC 4469 §4.1: the first URL that names nothing readable, echoed; nothing of the command is stored. */
    @Test
    void badUrlsStoreNothing() throws Exception {
        var c = draftsWithMessages();
        c.expectOk("CREATE Other");
        var text = " TEXT {3+}\r\nhi\n";
        for (var url : List.of("/Drafts/;UID=99", "/Drafts;UIDVALIDITY=1/;UID=1", "/Nowhere/;UID=1",
                "imap://bob@localhost/INBOX/;UID=1", "/Drafts/;UID=1/;URLAUTH=anonymous:internal:00",
                "/Drafts/;UID=9]9")) {
            var r = c.run("APPEND Other CATENATE (URL \"" + url + "\"" + text + ")");
            assertEquals("NO [BADURL " + url.replace("]", "") + "] The URL names no message part you can read.",
                    r.tagged().substring(r.tagged().indexOf(' ') + 1));
        }
        var r = c.run("APPEND Other CATENATE (URL \"/Drafts/;UID=1\") CATENATE (URL \"/Drafts/;UID=7\")");
        assertEquals("NO [BADURL /Drafts/;UID=7]", r.tagged().substring(r.tagged().indexOf(' ') + 1, r.tagged().indexOf(']') + 1));
        assertEquals(List.of("* STATUS Other (MESSAGES 0)"), c.run("STATUS Other (MESSAGES)").untagged());
    }

    /** Several catenated messages in one MULTIAPPEND, and REPLACE with CATENATE (RFC 8508 §4.2's example). */
    @Test
    void insideMultiappendAndReplace() throws Exception {
        var c = draftsWithMessages();
        var r = c.run("APPEND Drafts CATENATE (TEXT {9+}\r\nX-Copy: 1 URL \"/Drafts/;UID=2\") (\\Flagged) CATENATE"
                + " (TEXT {9+}\r\nX-Copy: 2 URL \"/Drafts/;UID=2\")");
        assertTrue(r.tagged().matches("a\\d+ OK \\[APPENDUID \\d+ 3:4\\] APPEND completed\\."), r.tagged());
        c.expectOk("SELECT Drafts");
        var header = "To: Mitzy <miss.mitzy@example.org>\r\nSubject: My view of the fireworks\r\n";
        var replaced = c.run("UID REPLACE 1 Drafts CATENATE (TEXT {" + header.length() + "+}\r\n" + header
                + " URL \"/Drafts/;UID=1\")");
        assertEquals("OK Replace completed", replaced.tagged().substring(replaced.tagged().indexOf(' ') + 1));
        assertEquals(header + DRAFT, fetched(c, 4, ""));
        assertEquals("X-Copy: 2" + NOTE, fetched(c, 3, ""));
    }

    /** RFC 4469 §4.2: a message CATENATE would make larger than APPENDLIMIT is TOOBIG, read from no file. */
    @Test
    void tooBigFromUrls() throws Exception {
        var c = login();
        var big = "Subject: big\r\n\r\n" + "x".repeat(1_000_000) + "\r\n";
        assertTrue(c.run("APPEND INBOX {" + big.length() + "+}\r\n" + big).ok());
        var parts = new StringBuilder();
        for (int i = 0; i < 70; i++) {
            parts.append(i == 0 ? "" : " ").append("URL \"/INBOX/;UID=1\"");
        }
        var r = c.run("APPEND INBOX CATENATE (" + parts + ")");
        assertEquals("NO [TOOBIG] The message is larger than APPENDLIMIT 67108864.",
                r.tagged().substring(r.tagged().indexOf(' ') + 1));
        assertTrue(c.run("APPEND INBOX CATENATE (TEXT {0+}\r\n)").tagged().endsWith(" NO Cannot append an empty message."));
    }
}
