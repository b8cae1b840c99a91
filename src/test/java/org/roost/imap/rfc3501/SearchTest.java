package org.roost.imap.rfc3501;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.roost.testing.RawImapClient;

/** RFC 3501 §6.4.4 SEARCH (every search key), §6.4.8 UID SEARCH, §7.2.5 SEARCH response. */
class SearchTest extends EveryStorageTestBase {
    private RawImapClient c;

    private static String msg(String from, String to, String cc, String subject, String date, String extra, String body) {
        return "From: " + from + "\r\nTo: " + to + "\r\n" + (cc == null ? "" : "Cc: " + cc + "\r\n")
                + "Subject: " + subject + "\r\n" + (date == null ? "" : "Date: " + date + "\r\n") + extra
                + "\r\n" + body;
    }

    @BeforeEach
    void mailbox() throws Exception {
        c = login();
        // 1: seen+answered, old date
        c.append("INBOX", "(\\Seen \\Answered) \"01-Jan-2019 10:00:00 +0000\"",
                bytes(msg("Alice <alice@example.com>", "bob@example.org", null, "Quarterly report",
                        "Tue, 1 Jan 2019 10:00:00 +0000", "X-Priority: 1\r\n", "numbers attached\r\n")));
        // 2: flagged, keyword, encoded subject, qp body
        c.append("INBOX", "(\\Flagged $Work) \"15-Jun-2020 12:00:00 +0000\"",
                bytes(msg("=?UTF-8?Q?J=C3=BCrgen?= <juergen@example.de>", "carol@example.com", "dave@example.net",
                        "=?UTF-8?B?R3LDvMOfZQ==?=", "Mon, 15 Jun 2020 12:00:00 +0200",
                        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n",
                        "caf=C3=A9 au lait\r\n")));
        // 3: deleted draft, big, no Date header
        c.append("INBOX", "(\\Deleted \\Draft) \"20-Jun-2021 08:00:00 +0000\"",
                bytes(msg("bob@example.org", "alice@example.com", null, "Draft of the plan", null, "",
                        "x".repeat(3000) + "\r\n")));
        // 4: base64 body
        c.append("INBOX", "(\\Seen) \"21-Jun-2021 08:00:00 +0000\"",
                bytes(msg("Carol <carol@example.com>", "team: alice@example.com, bob@example.org;", null, "Re: plan",
                        "Mon, 21 Jun 2021 08:00:00 +0000",
                        "MIME-Version: 1.0\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n",
                        "c2VjcmV0IGhhbmRzaGFrZQ==\r\n")));
        c.expectOk("SELECT INBOX");
        // make 4 non-recent for this session's view: a second session cannot claim recent any more,
        // so flags stay as set; \Recent is tested separately
    }

    private String search(String criteria) throws Exception {
        var r = c.run("SEARCH " + criteria);
        assertTrue(r.ok(), criteria + " -> " + r);
        assertEquals(1, r.untagged().size(), r.toString());
        return r.untagged().getFirst();
    }

    @Test
    void sec6_4_4_flagKeys() throws Exception {
        assertEquals("* SEARCH 1 2 3 4", search("ALL"));
        assertEquals("* SEARCH 1", search("ANSWERED"));
        assertEquals("* SEARCH 2 3 4", search("UNANSWERED"));
        assertEquals("* SEARCH 3", search("DELETED"));
        assertEquals("* SEARCH 1 2 4", search("UNDELETED"));
        assertEquals("* SEARCH 3", search("DRAFT"));
        assertEquals("* SEARCH 1 2 4", search("UNDRAFT"));
        assertEquals("* SEARCH 2", search("FLAGGED"));
        assertEquals("* SEARCH 1 3 4", search("UNFLAGGED"));
        assertEquals("* SEARCH 1 4", search("SEEN"));
        assertEquals("* SEARCH 2 3", search("UNSEEN"));
        assertEquals("* SEARCH 2", search("KEYWORD $Work"));
        assertEquals("* SEARCH 1 3 4", search("UNKEYWORD $Work"));
        assertEquals("* SEARCH", search("KEYWORD $Other"));
    }

    @Test
    void sec6_4_4_recentNewOld() throws Exception {
        assertEquals("* SEARCH 1 2 3 4", search("RECENT"));
        assertEquals("* SEARCH 2 3", search("NEW"));
        assertEquals("* SEARCH", search("OLD"));
        var other = login();
        other.expectOk("SELECT INBOX");
        var r = other.run("SEARCH OLD");
        assertEquals("* SEARCH 1 2 3 4", r.untagged().getFirst());
        assertEquals("* SEARCH", other.run("SEARCH RECENT").untagged().getFirst());
    }

    @Test
    void sec6_4_4_headerKeys() throws Exception {
        assertEquals("* SEARCH 1 4", search("FROM example.com"));
        assertEquals("* SEARCH 1", search("FROM ALICE"));
        assertEquals("* SEARCH 1 4", search("TO bob"));
        assertEquals("* SEARCH 2", search("CC dave"));
        assertEquals("* SEARCH", search("BCC dave"));
        assertEquals("* SEARCH 3 4", search("SUBJECT plan"));
        assertEquals("* SEARCH 1", search("SUBJECT \"quarterly REPORT\""));
        assertEquals("* SEARCH 1", search("HEADER X-Priority 1"));
        assertEquals("* SEARCH 1", search("HEADER x-priority \"\""));
        assertEquals("* SEARCH 2 4", search("HEADER Content-Transfer-Encoding \"\""));
    }

    @Test
    void sec6_4_4_encodedWordsAreDecodedBeforeMatching() throws Exception {
        var word = utf8("Gr\u00fc\u00dfe");
        assertEquals("* SEARCH 2", search("CHARSET UTF-8 SUBJECT {" + word.length() + "+}\r\n" + word));
        assertEquals("* SEARCH 2", search("CHARSET UTF-8 SUBJECT \"" + utf8("gr\u00fc\u00df") + "\""), "case-insensitive");
        assertEquals("* SEARCH 2", search("CHARSET UTF-8 FROM \"J\u00c3\u00bcrgen\"")); // UTF-8 bytes in a quoted string
    }

    @Test
    void sec6_4_4_bodyAndTextAfterTransferDecoding() throws Exception {
        assertEquals("* SEARCH 2", search("CHARSET UTF-8 BODY {5+}\r\ncaf\u00c3\u00a9"));
        assertEquals("* SEARCH 4", search("BODY \"SECRET handshake\""));
        assertEquals("* SEARCH 1", search("BODY numbers"));
        assertEquals("* SEARCH", search("BODY Quarterly"), "BODY does not look at headers");
        assertEquals("* SEARCH 1", search("TEXT Quarterly"));
        assertEquals("* SEARCH 1 2 3 4", search("TEXT example"));
    }

    @Test
    void sec6_4_4_dateKeys() throws Exception {
        assertEquals("* SEARCH 1 2", search("BEFORE 20-Jun-2021"));
        assertEquals("* SEARCH 3", search("ON 20-Jun-2021"));
        assertEquals("* SEARCH 3 4", search("SINCE 20-Jun-2021"));
        assertEquals("* SEARCH 1", search("SENTBEFORE 15-Jun-2020"));
        assertEquals("* SEARCH 2", search("SENTON 15-Jun-2020"));
        assertEquals("* SEARCH 2 4", search("SENTSINCE 15-Jun-2020"));
        assertEquals("* SEARCH 4", search("SENTSINCE \"21-Jun-2021\""));
    }

    @Test
    void sec6_4_4_sizeKeys() throws Exception {
        assertEquals("* SEARCH 3", search("LARGER 2000"));
        assertEquals("* SEARCH 1 2 4", search("SMALLER 2000"));
        assertEquals("* SEARCH", search("LARGER 4294967295"));
    }

    @Test
    void sec6_4_4_sequenceAndUidSets() throws Exception {
        assertEquals("* SEARCH 2 3", search("2:3"));
        assertEquals("* SEARCH 1 2 4", search("1,2,*"));
        assertEquals("* SEARCH 3 4", search("*:3"));
        assertEquals("* SEARCH 2 3 4", search("4:2"));
        assertEquals("* SEARCH 2", search("UID 2"));
        assertEquals("* SEARCH 4", search("UID 100:*"), "n:* matches the last message even when n is larger");
        assertEquals("* SEARCH 1 2", search("UID 2:1"));
    }

    @Test
    void sec6_4_4_andOrNotAndNesting() throws Exception {
        assertEquals("* SEARCH 1", search("SEEN ANSWERED"));
        assertEquals("* SEARCH 1 2", search("OR ANSWERED FLAGGED"));
        assertEquals("* SEARCH 2 3", search("NOT SEEN"));
        assertEquals("* SEARCH 2 3 4", search("NOT (SEEN ANSWERED)"), "NOT of a conjunction");
        assertEquals("* SEARCH 1 3", search("OR (SEEN ANSWERED) (DELETED DRAFT)"));
        assertEquals("* SEARCH 2", search("NOT OR SEEN DELETED"));
        assertEquals("* SEARCH 1 2 3", search("OR OR ANSWERED FLAGGED DRAFT"));
        assertEquals("* SEARCH 4", search("((SEEN) (NOT (ANSWERED)))"));
        assertEquals("* SEARCH 3", search("NOT NOT DELETED"));
    }

    @Test
    void sec6_4_8_uidSearchAnswersUids() throws Exception {
        c.expectOk("STORE 1 +FLAGS.SILENT (\\Deleted)");
        c.expectOk("EXPUNGE");
        var r = c.run("UID SEARCH ALL");
        assertEquals("* SEARCH 2 4", r.untagged().getFirst(), "1 and 3 were \\Deleted");
        assertEquals("* SEARCH 1 2", c.run("SEARCH ALL").untagged().getFirst());
        assertEquals("* SEARCH 4", c.run("UID SEARCH UID 4").untagged().getFirst());
        assertEquals("* SEARCH 2", c.run("SEARCH UID 4").untagged().getFirst());
        assertEquals("* SEARCH 4", c.run("UID SEARCH 2").untagged().getFirst());
    }

    @Test
    void sec6_4_4_charsets() throws Exception {
        assertEquals("* SEARCH 1", search("CHARSET US-ASCII FROM alice"));
        assertEquals("* SEARCH 1", search("CHARSET utf-8 FROM alice"));
        var r = c.run("SEARCH CHARSET KOI8-R FROM alice");
        assertTrue(r.tagged().matches("a\\d+ NO \\[BADCHARSET \\(US-ASCII UTF-8\\)\\] Unsupported charset\\."), r.tagged());
    }

    @Test
    void sec6_4_4_syntaxErrorsAreBad() throws Exception {
        for (var bad : new String[] {"", "BOGUS", "FROM", "OR SEEN", "(SEEN", "BEFORE 32-Jan-2020", "LARGER x",
                "UID", "NOT"}) {
            var r = c.run("SEARCH " + bad);
            assertTrue(r.tagged().matches("a\\d+ BAD .*"), bad + " -> " + r);
        }
        assertEquals("* SEARCH 1 2 3 4", search("ALL"), "session still usable");
    }
}
