package org.roost.imap.rfc3501;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.roost.testing.RawImapClient;

/**
 * Two sessions on one mailbox: RFC 3501 §5.2 (mailbox size and flag updates), §7.4.1 (no EXPUNGE
 * while answering FETCH, STORE or SEARCH: sequence numbers stay put until an allowed point).
 */
class TwoSessionsTest extends EveryStorageTestBase {
    private RawImapClient a;
    private RawImapClient b;

    @BeforeEach
    void twoSessions() throws Exception {
        a = login();
        appendMessages(a, "INBOX", 3);
        a.expectOk("SELECT INBOX");
        b = login();
        b.expectOk("SELECT INBOX");
    }

    @Test
    void sec5_2_newMessageAnnouncedAtNoop() throws Exception {
        b.append("INBOX", message("new", "x"));
        // b, selected on INBOX too, saw message 4 first and holds its \Recent (§2.3.2: one session only)
        var r = a.run("NOOP");
        assertEquals(List.of("* 4 EXISTS", "* 3 RECENT"), r.untagged());
        assertEquals(List.of(), a.run("NOOP").untagged(), "reported once");
    }

    @Test
    void sec5_2_flagChangeAnnouncedAsFetch() throws Exception {
        b.expectOk("STORE 2 +FLAGS.SILENT (\\Flagged)");
        var r = a.run("NOOP");
        assertEquals(List.of("* 2 FETCH (UID 2 FLAGS (\\Flagged \\Recent))"), r.untagged());
    }

    @Test
    void sec7_2_6_aNewKeywordIsAnnouncedWithFlagsBeforeTheFetchThatShowsIt() throws Exception {
        b.expectOk("STORE 2 +FLAGS.SILENT ($Work)");
        assertEquals(List.of(
                "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Work)",
                "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Work \\*)] Flags permitted.",
                "* 2 FETCH (UID 2 FLAGS (\\Recent $Work))"), a.run("NOOP").untagged());
        b.expectOk("STORE 3 +FLAGS.SILENT ($Work)");
        assertEquals(List.of("* 3 FETCH (UID 3 FLAGS (\\Recent $Work))"), a.run("NOOP").untagged(),
                "a keyword already announced is not announced again");
    }

    @Test
    void sec7_2_6_ownStoreOfANewKeywordAnnouncesItFirst() throws Exception {
        var r = a.run("STORE 1 +FLAGS (Later)");
        assertEquals(List.of(
                "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft Later)",
                "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft Later \\*)] Flags permitted.",
                "* 1 FETCH (FLAGS (\\Recent Later))"), r.untagged());
        assertTrue(a.run("STORE 3 +FLAGS.SILENT (Later)").untagged().isEmpty(), "known keyword, silent: nothing");
    }

    @Test
    void sec7_4_1_noExpungeDuringFetchStoreOrSearch() throws Exception {
        b.expectOk("STORE 2 +FLAGS.SILENT (\\Deleted)");
        b.expectOk("EXPUNGE");
        // FETCH: message 3 is still number 3 for session a, no EXPUNGE sent
        var f = a.run("FETCH 3 (UID BODY.PEEK[HEADER.FIELDS (Subject)])");
        assertTrue(f.untagged().stream().noneMatch(l -> l.endsWith("EXPUNGE")), f.toString());
        assertTrue(f.untagged().stream().anyMatch(l -> l.startsWith("* 3 FETCH (UID 3 BODY[HEADER.FIELDS (SUBJECT)] {15}\r\nSubject: m3\r\n")),
                f.toString());
        var s = a.run("SEARCH ALL");
        assertTrue(s.untagged().stream().noneMatch(l -> l.endsWith("EXPUNGE")), s.toString());
        assertTrue(s.untagged().contains("* SEARCH 1 3") || s.untagged().contains("* SEARCH 1 2 3"), s.toString());
        var st = a.run("STORE 3 +FLAGS (\\Seen)");
        assertTrue(st.untagged().stream().noneMatch(l -> l.endsWith("EXPUNGE")), st.toString());
        assertTrue(st.untagged().contains("* 3 FETCH (FLAGS (\\Seen \\Recent))"), st.toString());
        // NOOP is an allowed point
        var n = a.run("NOOP");
        assertEquals(List.of("* 2 EXPUNGE"), n.untagged());
        assertEquals(List.of("* 1 FETCH (UID 1)", "* 2 FETCH (UID 3)"), a.run("FETCH 1:* UID").untagged());
    }

    @Test
    void sec7_4_1_uidCommandsMaySendExpunge() throws Exception {
        b.expectOk("STORE 1 +FLAGS.SILENT (\\Deleted)");
        b.expectOk("EXPUNGE");
        var r = a.run("UID FETCH 1:* UID");
        assertTrue(r.untagged().contains("* 1 EXPUNGE"), r.toString());
    }

    @Test
    void sec7_4_1_fetchOfMessageExpungedByOtherSessionKeepsTheProtocolInStep() throws Exception {
        b.expectOk("STORE 2 +FLAGS.SILENT (\\Deleted)");
        b.expectOk("EXPUNGE");
        var r = a.run("FETCH 2 (BODY.PEEK[] BODY.PEEK[TEXT] ENVELOPE)");
        assertTrue(r.tagged().matches("a\\d+ (OK|NO) .*"), r.toString());
        assertTrue(a.run("NOOP").untagged().contains("* 2 EXPUNGE"));
        assertEquals(List.of("* 2 FETCH (UID 3)"), a.run("FETCH 2 UID").untagged());
    }

    @Test
    void sec7_4_1_bodyOfMessageExpungedByTheOtherSessionIsServedWhole() throws Exception {
        var size = a.run("FETCH 2 RFC822.SIZE").untagged().getFirst().replaceAll("^.*RFC822.SIZE (\\d+)\\)$", "$1");
        b.expectOk("STORE 2 +FLAGS.SILENT (\\Deleted)");
        b.expectOk("EXPUNGE");
        // RFC 2180 §4.1.1: held readable until this session is told (FetchOfExpungedMessageTest has the rest)
        var r = a.run("FETCH 2 (BODY.PEEK[])");
        assertTrue(r.tagged().matches("a\\d+ OK FETCH completed\\."), r.toString());
        assertEquals(1, r.untagged().size(), r.toString());
        assertTrue(r.untagged().getFirst().matches("(?s)\\* 2 FETCH \\(BODY\\[\\] \\{" + size + "\\}\r\n.{" + size + "}\\)"),
                r.toString());
        assertTrue(a.run("NOOP").untagged().contains("* 2 EXPUNGE"));
    }

    @Test
    void sec6_4_3_expungeSeenByOtherSessionAfterItsOwnExpunge() throws Exception {
        a.expectOk("STORE 1 +FLAGS.SILENT (\\Deleted)");
        var r = a.run("EXPUNGE");
        assertEquals(List.of("* 1 EXPUNGE"), r.untagged());
        var n = b.run("NOOP");
        assertTrue(n.untagged().contains("* 1 EXPUNGE"), n.toString());
        assertEquals(List.of("* 1 FETCH (UID 2)", "* 2 FETCH (UID 3)"), b.run("FETCH 1:* UID").untagged());
    }

    @Test
    void sec7_3_1_existsAfterCopyIntoSelectedMailbox() throws Exception {
        var r = b.run("COPY 1 INBOX");
        assertTrue(r.untagged().contains("* 4 EXISTS"), r.toString());
        r = a.run("CHECK");
        assertTrue(r.untagged().contains("* 4 EXISTS"), r.toString());
    }
}
