package org.roost.imap.rfc3501;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.roost.testing.RawImapClient;

/** RFC 3501 §6.4.5 FETCH, §6.4.8 UID FETCH, §7.4.2 FETCH response. */
class FetchTest extends EveryStorageTestBase {
    static final String SIMPLE = "From: Alice <alice@example.com>\r\n"
            + "To: bob@example.org\r\n"
            + "Subject: hello\r\n"
            + "Date: Mon, 7 Feb 1994 21:52:25 -0800\r\n"
            + "Message-ID: <1@example.com>\r\n"
            + "\r\n"
            + "Hello Bob,\r\nsee you.\r\n";
    static final String NESTED = "From: a@example.com\r\n"
            + "Subject: nested\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=\"XX\"\r\n"
            + "\r\n"
            + "--XX\r\n"
            + "Content-Type: text/plain\r\n"
            + "\r\n"
            + "first part\r\n"
            + "--XX\r\n"
            + "Content-Type: message/rfc822\r\n"
            + "\r\n"
            + "From: inner@example.com\r\n"
            + "Subject: inner\r\n"
            + "Content-Type: multipart/alternative; boundary=YY\r\n"
            + "\r\n"
            + "--YY\r\n"
            + "Content-Type: text/plain\r\n"
            + "\r\n"
            + "inner plain\r\n"
            + "--YY\r\n"
            + "Content-Type: text/html\r\n"
            + "\r\n"
            + "<p>inner</p>\r\n"
            + "--YY--\r\n"
            + "\r\n"
            + "--XX--\r\n";
    private RawImapClient c;

    @BeforeEach
    void mailbox() throws Exception {
        c = login();
        c.append("INBOX", "\"07-Feb-1994 21:52:25 -0800\"", bytes(SIMPLE));
        c.append("INBOX", "(\\Flagged)", bytes(NESTED));
        c.expectOk("SELECT INBOX");
    }

    private String fetch(String args) throws Exception {
        var r = c.run("FETCH " + args);
        assertTrue(r.ok(), r.toString());
        assertEquals(1, r.untagged().size(), r.toString());
        return r.untagged().getFirst();
    }

    private static String lit(String s) {
        return "{" + s.length() + "}\r\n" + s;
    }

    @Test
    void sec6_4_5_flagsInternalDateSizeUid() throws Exception {
        assertEquals("* 1 FETCH (FLAGS (\\Recent) INTERNALDATE \"08-Feb-1994 05:52:25 +0000\" RFC822.SIZE "
                + SIMPLE.length() + " UID 1)", fetch("1 (FLAGS INTERNALDATE RFC822.SIZE UID)"));
    }

    @Test
    void sec6_4_5_envelope() throws Exception {
        assertEquals("* 1 FETCH (ENVELOPE (\"Mon, 7 Feb 1994 21:52:25 -0800\" \"hello\" "
                + "((\"Alice\" NIL \"alice\" \"example.com\")) ((\"Alice\" NIL \"alice\" \"example.com\")) "
                + "((\"Alice\" NIL \"alice\" \"example.com\")) ((NIL NIL \"bob\" \"example.org\")) NIL NIL NIL "
                + "\"<1@example.com>\"))", fetch("1 ENVELOPE"));
    }

    @Test
    void sec6_4_5_bodyAndBodystructureOfNestedMessage() throws Exception {
        assertEquals("* 2 FETCH (BODY ((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 10 0)"
                + "(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 195 (NIL \"inner\" ((NIL NIL \"inner\" \"example.com\")) "
                + "((NIL NIL \"inner\" \"example.com\")) ((NIL NIL \"inner\" \"example.com\")) NIL NIL NIL NIL NIL) "
                + "((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 11 0)(\"text\" \"html\" "
                + "(\"charset\" \"us-ascii\") NIL NIL \"7bit\" 12 0) \"alternative\") 13) \"mixed\"))", fetch("2 BODY"));
        var bs = fetch("2 BODYSTRUCTURE");
        assertTrue(bs.startsWith("* 2 FETCH (BODYSTRUCTURE ((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 10 0 NIL NIL NIL NIL)"), bs);
        assertTrue(bs.endsWith(" \"mixed\" (\"boundary\" \"XX\") NIL NIL NIL))"), bs);
    }

    @Test
    void sec6_4_5_bodySectionsOfSimpleMessage() throws Exception {
        int split = SIMPLE.indexOf("\r\n\r\n") + 4;
        assertEquals("* 1 FETCH (BODY[] " + lit(SIMPLE) + ")", fetch("1 BODY.PEEK[]"));
        assertEquals("* 1 FETCH (BODY[HEADER] " + lit(SIMPLE.substring(0, split)) + ")", fetch("1 BODY.PEEK[HEADER]"));
        assertEquals("* 1 FETCH (BODY[TEXT] " + lit(SIMPLE.substring(split)) + ")", fetch("1 BODY.PEEK[TEXT]"));
        // §6.4.5: a non-multipart message has part 1 = its body
        assertEquals("* 1 FETCH (BODY[1] " + lit(SIMPLE.substring(split)) + ")", fetch("1 BODY.PEEK[1]"));
    }

    @Test
    void sec6_4_5_headerFieldsAndNot() throws Exception {
        assertEquals("* 1 FETCH (BODY[HEADER.FIELDS (SUBJECT FROM)] "
                + lit("From: Alice <alice@example.com>\r\nSubject: hello\r\n\r\n") + ")",
                fetch("1 BODY.PEEK[HEADER.FIELDS (Subject from)]"));
        assertEquals("* 1 FETCH (BODY[HEADER.FIELDS.NOT (FROM TO DATE MESSAGE-ID)] " + lit("Subject: hello\r\n\r\n") + ")",
                fetch("1 BODY.PEEK[HEADER.FIELDS.NOT (From To Date Message-ID)]"));
        assertEquals("* 1 FETCH (BODY[HEADER.FIELDS (X-NONE)] " + lit("\r\n") + ")", fetch("1 BODY.PEEK[HEADER.FIELDS (X-None)]"));
    }

    @Test
    void sec6_4_5_partialFetch() throws Exception {
        assertEquals("* 1 FETCH (BODY[]<6> {5}\r\nAlice)", fetch("1 BODY.PEEK[]<6.5>"));
        assertEquals("* 1 FETCH (BODY[TEXT]<0> {5}\r\nHello)", fetch("1 BODY.PEEK[TEXT]<0.5>"));
        int textLength = SIMPLE.length() - SIMPLE.indexOf("\r\n\r\n") - 4;
        assertEquals("* 1 FETCH (BODY[TEXT]<20> {" + (textLength - 20) + "}\r\n" + SIMPLE.substring(SIMPLE.length() - textLength + 20) + ")",
                fetch("1 BODY.PEEK[TEXT]<20.1000>"));
        assertEquals("* 1 FETCH (BODY[]<100000> \"\")", fetch("1 BODY.PEEK[]<100000.10>"));
    }

    @Test
    void sec6_4_5_nestedPartsAndMime() throws Exception {
        assertEquals("* 2 FETCH (BODY[1] {10}\r\nfirst part)", fetch("2 BODY.PEEK[1]"));
        assertEquals("* 2 FETCH (BODY[1.MIME] " + lit("Content-Type: text/plain\r\n\r\n") + ")", fetch("2 BODY.PEEK[1.MIME]"));
        assertEquals("* 2 FETCH (BODY[2.MIME] " + lit("Content-Type: message/rfc822\r\n\r\n") + ")", fetch("2 BODY.PEEK[2.MIME]"));
        assertEquals("* 2 FETCH (BODY[2.HEADER] " + lit("From: inner@example.com\r\nSubject: inner\r\n"
                + "Content-Type: multipart/alternative; boundary=YY\r\n\r\n") + ")", fetch("2 BODY.PEEK[2.HEADER]"));
        assertEquals("* 2 FETCH (BODY[2.HEADER.FIELDS (SUBJECT)] " + lit("Subject: inner\r\n\r\n") + ")",
                fetch("2 BODY.PEEK[2.HEADER.FIELDS (SUBJECT)]"));
        assertEquals("* 2 FETCH (BODY[2.1] {11}\r\ninner plain)", fetch("2 BODY.PEEK[2.1]"));
        assertEquals("* 2 FETCH (BODY[2.2] {12}\r\n<p>inner</p>)", fetch("2 BODY.PEEK[2.2]"));
        assertEquals("* 2 FETCH (BODY[2.2.MIME] " + lit("Content-Type: text/html\r\n\r\n") + ")", fetch("2 BODY.PEEK[2.2.MIME]"));
        var text = fetch("2 BODY.PEEK[2.TEXT]");
        assertTrue(text.startsWith("* 2 FETCH (BODY[2.TEXT] {") && text.contains("--YY\r\nContent-Type: text/plain"), text);
        assertEquals("* 2 FETCH (BODY[3] \"\")", fetch("2 BODY.PEEK[3]"));
        assertEquals("* 2 FETCH (BODY[2.1.5] \"\")", fetch("2 BODY.PEEK[2.1.5]"));
    }

    @Test
    void sec6_4_5_bodyWithoutPeekSetsSeenAndReportsFlags() throws Exception {
        assertEquals("* 1 FETCH (BODY[TEXT]<0> {5}\r\nHello FLAGS (\\Seen \\Recent))", fetch("1 BODY[TEXT]<0.5>"));
        // already seen: no FLAGS added any more
        assertEquals("* 1 FETCH (BODY[TEXT]<0> {5}\r\nHello)", fetch("1 BODY[TEXT]<0.5>"));
        assertEquals("* 2 FETCH (BODY[1] {10}\r\nfirst part)", fetch("2 BODY.PEEK[1]"));
        assertEquals("* 2 FETCH (FLAGS (\\Flagged \\Recent))", fetch("2 FLAGS"));
    }

    @Test
    void sec6_4_5_rfc822Items() throws Exception {
        int split = SIMPLE.indexOf("\r\n\r\n") + 4;
        assertEquals("* 1 FETCH (RFC822.HEADER " + lit(SIMPLE.substring(0, split)) + ")", fetch("1 RFC822.HEADER"));
        assertEquals("* 1 FETCH (FLAGS (\\Recent))", fetch("1 FLAGS"), "RFC822.HEADER is a peek");
        assertEquals("* 1 FETCH (RFC822.TEXT " + lit(SIMPLE.substring(split)) + " FLAGS (\\Seen \\Recent))", fetch("1 RFC822.TEXT"));
        assertEquals("* 2 FETCH (RFC822 " + lit(NESTED) + " FLAGS (\\Seen \\Flagged \\Recent))", fetch("2 RFC822"));
        assertEquals("* 1 FETCH (RFC822.SIZE " + SIMPLE.length() + ")", fetch("1 RFC822.SIZE"));
    }

    @Test
    void sec6_4_5_macros() throws Exception {
        var fast = fetch("1 FAST");
        assertEquals("* 1 FETCH (FLAGS (\\Recent) INTERNALDATE \"08-Feb-1994 05:52:25 +0000\" RFC822.SIZE " + SIMPLE.length() + ")", fast);
        var all = fetch("1 ALL");
        assertTrue(all.startsWith(fast.substring(0, fast.length() - 1) + " ENVELOPE (\"Mon, 7 Feb 1994"), all);
        var full = fetch("1 FULL");
        assertTrue(full.startsWith(all.substring(0, all.length() - 1) + " BODY (\"text\" \"plain\""), full);
    }

    @Test
    void sec6_4_8_uidFetchAlwaysReportsUid() throws Exception {
        var r = c.run("UID FETCH 1:* FLAGS");
        assertEquals(List.of("* 1 FETCH (UID 1 FLAGS (\\Recent))", "* 2 FETCH (UID 2 FLAGS (\\Flagged \\Recent))"), r.untagged());
        assertEquals(List.of("* 2 FETCH (UID 2)"), c.run("UID FETCH 2 UID").untagged());
        assertEquals(List.of(), c.run("UID FETCH 7:9 FLAGS").untagged(), "no such UIDs: empty, still OK");
    }

    @Test
    void sec6_4_8_uidRangeWithStarAndReversedRanges() throws Exception {
        assertEquals(List.of("* 2 FETCH (UID 2)"), c.run("UID FETCH 5:* UID").untagged(), "n:* includes the last UID");
        assertEquals(List.of("* 1 FETCH (UID 1)", "* 2 FETCH (UID 2)"), c.run("FETCH 2:1 UID").untagged());
        assertEquals(List.of("* 1 FETCH (UID 1)", "* 2 FETCH (UID 2)"), c.run("FETCH *:1 UID").untagged());
        assertEquals(List.of("* 2 FETCH (UID 2)"), c.run("FETCH * UID").untagged());
        assertEquals(List.of("* 1 FETCH (UID 1)", "* 2 FETCH (UID 2)"), c.run("FETCH 2,1,2 UID").untagged());
    }

    @Test
    void sec6_4_5_errors() throws Exception {
        assertTrue(c.run("FETCH 3 FLAGS").tagged().matches("a\\d+ BAD .*"), "beyond EXISTS");
        assertTrue(c.run("FETCH 0 FLAGS").tagged().matches("a\\d+ BAD .*"));
        assertTrue(c.run("FETCH 1 (FLAGS BOGUS)").tagged().matches("a\\d+ BAD .*"));
        assertTrue(c.run("FETCH 1 BODY[1.MIME.X]").tagged().matches("a\\d+ BAD .*"));
        assertTrue(c.run("FETCH 1 BODY[MIME]").tagged().matches("a\\d+ BAD .*"));
        assertTrue(c.run("FETCH 1 BODY[]<1.0>").tagged().matches("a\\d+ BAD .*"));
        assertTrue(c.run("FETCH 1").tagged().matches("a\\d+ BAD .*"));
        assertTrue(c.run("FETCH 1 FLAGS").ok(), "session still usable");
    }
}
