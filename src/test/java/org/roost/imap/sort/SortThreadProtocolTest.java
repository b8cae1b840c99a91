package org.roost.imap.sort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * SORT, UID SORT, THREAD and UID THREAD byte for byte over a connection, on five messages made to
 * exercise RFC 5256: base subjects with "Re:", list blobs, "[fwd: ...]" and "(fwd)" (§2.1), an
 * encoded-word subject (§7, i;unicode-casemap), dates in other zones, a missing and an unparseable
 * Date (§2.2: the internal date stands in), a quoted Message-ID, In-Reply-To without References.
 * Every expected answer is worked out in the comments from the RFC's text.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SortThreadProtocolTest {
    /** Internal dates (ARRIVAL): 5, 4, 2, 1, 3 in ascending order. */
    private static final List<String[]> MESSAGES = List.of(
            new String[] {"10-Mar-2000 00:00:00 +0000", """
                    From: zed@b.org
                    To: Bob <bob@b.org>
                    Subject: Re: [list] Hello
                    Date: Mon, 7 Feb 1994 21:52:25 -0800
                    Message-ID: <1@x>
                    """},
            new String[] {"09-Mar-2000 00:00:00 +0000", """
                    From: Alice <ALICE@a.org>
                    To: carol@c.org
                    Cc: dave@d.org
                    Subject: hello
                    Date: Tue, 8 Feb 1994 05:00:00 +0000
                    Message-ID: <2@x>
                    """},
            new String[] {"11-Mar-2000 00:00:00 +0000", """
                    From: bob@b.org
                    Subject: [fwd: Other thing]
                    Date: 8 Feb 1994 04:00:00 GMT
                    Message-ID: <"3"@x>
                    References: <2@x>
                    """},
            new String[] {"09-Feb-1994 00:00:00 +0000", """
                    Subject: Other thing (fwd)
                    In-Reply-To: <3@x> (the forward)
                    Cc: aaron@a.org
                    """},
            new String[] {"01-Jan-1990 00:00:00 +0000", """
                    From: =?UTF-8?Q?=C3=89mile?= <aaa@x.org>
                    To: =?UTF-8?Q?=C3=89mile?= <zzz@x.org>
                    Subject: =?UTF-8?Q?=C3=A9t=C3=A9?=
                    Date: yesterday
                    Message-ID: <5@x>
                    """});

    RawImapClient client;

    @BeforeAll
    void fill() throws IOException {
        var server = TestServer.shared();
        client = server.login(server.newUser());
        for (var m : MESSAGES) {
            var text = m[1].replace("\n", "\r\n") + "\r\nbody\r\n";
            var response = client.append("INBOX", "\"" + m[0] + "\"", text.getBytes(StandardCharsets.UTF_8));
            assertTrue(response.ok(), response.toString());
        }
        client.expectOk("SELECT INBOX");
    }

    @AfterAll
    void close() throws IOException {
        client.close();
    }

    private List<String> run(String command) throws IOException {
        var lines = client.command("t", command);
        var words = command.split(" ");
        var name = words[0].equals("UID") ? "UID " + words[1] : words[0];
        assertEquals("t OK " + name + " completed.", lines.getLast(), command);
        return lines.subList(0, lines.size() - 1);
    }

    @Test
    void advertisesSortAndThread() throws IOException {
        var capability = run("CAPABILITY").getFirst();
        assertTrue(capability.contains(" SORT SORT=DISPLAY ESORT CONTEXT=SORT THREAD=ORDEREDSUBJECT THREAD=REFERENCES"), capability);
    }

    @Test
    void sortsBySubject() throws IOException {
        // base subjects: 1 HELLO, 2 HELLO, 3 OTHER THING, 4 OTHER THING, 5 E\u0301TE\u0301; "E" < "H" < "O",
        // ties in mailbox order
        assertEquals(List.of("* SORT 5 1 2 3 4"), run("SORT (SUBJECT) UTF-8 ALL"));
    }

    @Test
    void sortsBySentDateWithTheInternalDateForMissingOrBadOnes() throws IOException {
        // 5: 1990 (bad Date: internal date), 3: 8 Feb 04:00Z, 2: 05:00Z, 1: 05:52:25Z (-0800), 4: 9 Feb (no Date)
        assertEquals(List.of("* SORT 5 3 2 1 4"), run("SORT (DATE) UTF-8 ALL"));
        assertEquals(List.of("* SORT 4 1 2 3 5"), run("SORT (REVERSE DATE) UTF-8 ALL"));
    }

    @Test
    void reverseReversesOnlyItsCriterion() throws IOException {
        // RFC 5256 §3's own example: (SUBJECT REVERSE DATE)
        assertEquals(List.of("* SORT 5 1 2 4 3"), run("SORT (SUBJECT REVERSE DATE) UTF-8 ALL"));
        // equal subjects stay in mailbox order under REVERSE SUBJECT (the implicit sequence criterion)
        assertEquals(List.of("* SORT 3 4 1 2 5"), run("SORT (REVERSE SUBJECT) UTF-8 ALL"));
    }

    @Test
    void sortsByArrival() throws IOException {
        assertEquals(List.of("* SORT 5 4 2 1 3"), run("SORT (ARRIVAL) US-ASCII ALL"));
        assertEquals(List.of("* SORT 3 1 2 4 5"), run("SORT (REVERSE ARRIVAL) US-ASCII ALL"));
    }

    @Test
    void sortsByAddresses() throws IOException {
        // FROM addr-mailbox: 4 none (""), 5 aaa, 2 ALICE, 3 bob, 1 zed
        assertEquals(List.of("* SORT 4 5 2 3 1"), run("SORT (FROM) UTF-8 ALL"));
        // TO: 3 and 4 none, 1 bob, 2 carol, 5 zzz
        assertEquals(List.of("* SORT 3 4 1 2 5"), run("SORT (TO) UTF-8 ALL"));
        // CC: 1, 3, 5 none, 4 aaron, 2 dave
        assertEquals(List.of("* SORT 1 3 5 4 2"), run("SORT (CC) UTF-8 ALL"));
    }

    @Test
    void sortsByDisplayNames() throws IOException {
        // RFC 5957: 4 "", 2 "Alice", 3 "bob@b.org", 5 "Émile", 1 "zed@b.org"
        assertEquals(List.of("* SORT 4 2 3 5 1"), run("SORT (DISPLAYFROM) UTF-8 ALL"));
        // 3, 4 "", 1 "Bob", 2 "carol@c.org", 5 "Émile"
        assertEquals(List.of("* SORT 3 4 1 2 5"), run("SORT (DISPLAYTO) UTF-8 ALL"));
    }

    @Test
    void sortsOnlyWhatTheSearchFinds() throws IOException {
        assertEquals(List.of("* SORT 1 2"), run("SORT (SUBJECT) UTF-8 SUBJECT hello"));
        assertEquals(List.of("* SORT"), run("SORT (SUBJECT) US-ASCII TEXT \"not in mailbox\""));
        assertEquals(List.of("* SORT 3 2"), run("SORT (DATE) UTF-8 2:3"));
    }

    @Test
    void uidSortAnswersUids() throws IOException {
        var uids = run("FETCH 1:5 UID").stream().map(l -> l.replaceAll(".*UID (\\d+).*", "$1")).toList();
        assertEquals(List.of("* SORT " + String.join(" ", uids.get(4), uids.get(3), uids.get(1), uids.get(0), uids.get(2))),
                run("UID SORT (ARRIVAL) UTF-8 ALL"));
    }

    @Test
    void sortsBySize() throws IOException {
        var sizes = run("FETCH 1:5 RFC822.SIZE").stream()
                .map(l -> Long.parseLong(l.replaceAll(".*RFC822.SIZE (\\d+).*", "$1"))).toList();
        var expected = new StringBuilder("* SORT");
        java.util.stream.IntStream.rangeClosed(1, 5).boxed()
                .sorted((a, b) -> Long.compare(sizes.get(a - 1), sizes.get(b - 1)))
                .forEach(seq -> expected.append(' ').append(seq));
        assertEquals(List.of(expected.toString()), run("SORT (SIZE) UTF-8 ALL"));
    }

    @Test
    void extendedSortAnswersInAnEsearchResponse() throws IOException {
        // RFC 5267 §3.1: MIN and MAX are the first and last in sort order (SUBJECT: 5 1 2 3 4); §3.3: an
        // empty RETURN () means ALL; §3.2: ranges only upward, so 5 then the run 1:4
        assertEquals(List.of("* ESEARCH (TAG \"t\") MIN 5 MAX 4 COUNT 5"),
                run("SORT RETURN (MIN MAX COUNT) (SUBJECT) UTF-8 ALL"));
        assertEquals(List.of("* ESEARCH (TAG \"t\") ALL 5,1:4"), run("SORT RETURN () (SUBJECT) UTF-8 ALL"));
        // REVERSE ARRIVAL: 3 1 2 4 5
        assertEquals(List.of("* ESEARCH (TAG \"t\") MIN 3 MAX 5 ALL 3,1:2,4:5 COUNT 5"),
                run("SORT RETURN (count all max min) (REVERSE ARRIVAL) US-ASCII ALL"));
        // DATE: 5 3 2 1 4, no run going up
        assertEquals(List.of("* ESEARCH (TAG \"t\") ALL 5,3,2,1,4"), run("SORT RETURN (ALL) (DATE) UTF-8 ALL"));
        // nothing found: COUNT 0 alone (RFC 4731 §3.1)
        assertEquals(List.of("* ESEARCH (TAG \"t\") COUNT 0"),
                run("SORT RETURN (MIN MAX ALL COUNT) (DATE) UTF-8 SUBJECT \"not in mailbox\""));
    }

    @Test
    void extendedUidSortAnswersUids() throws IOException {
        var uids = run("FETCH 1:5 UID").stream().map(l -> l.replaceAll(".*UID (\\d+).*", "$1")).toList();
        assertEquals(List.of("* ESEARCH (TAG \"t\") UID MIN " + uids.get(4) + " COUNT 5"),
                run("UID SORT RETURN (MIN COUNT) (SUBJECT) UTF-8 ALL"));
    }

    @Test
    void extendedSortSavesItsResult() throws IOException {
        // RFC 5182 §2.4: SAVE with MIN keeps only the first sorted; SAVE alone answers no ESEARCH
        assertEquals(List.of("* ESEARCH (TAG \"t\") MIN 5"), run("SORT RETURN (SAVE MIN) (SUBJECT) UTF-8 ALL"));
        assertEquals(List.of("* SEARCH 5"), run("SEARCH $"));
        assertEquals(List.of(), run("SORT RETURN (SAVE) (DATE) UTF-8 2:3"));
        assertEquals(List.of("* SEARCH 2 3"), run("SEARCH $"));
        // $ in the keys is the previous result, then the new one is kept
        assertEquals(List.of("* ESEARCH (TAG \"t\") ALL 3,2"), run("SORT RETURN (SAVE ALL) (DATE) UTF-8 $"));
        // a SAVE answered NO leaves $ empty (§2.1)
        assertEquals(List.of("t NO [BADCHARSET (US-ASCII UTF-8)] Unsupported charset."),
                client.command("t", "SORT RETURN (SAVE) (DATE) KOI8-R ALL"));
        assertEquals(List.of("* SEARCH"), run("SEARCH $"));
    }

    @Test
    void refusesBadReturnOptions() throws IOException {
        for (var command : List.of("SORT RETURN (FIRST) (DATE) UTF-8 ALL", "SORT RETURNS (MIN) (DATE) UTF-8 ALL",
                "SORT RETURN MIN (DATE) UTF-8 ALL", "SORT RETURN (MIN) UTF-8 ALL", "SORT RETURN (MIN (DATE) UTF-8 ALL")) {
            var lines = client.command("t", command);
            assertEquals(1, lines.size(), command);
            assertTrue(lines.getFirst().startsWith("t BAD "), command + ": " + lines);
        }
    }

    @Test
    void refusesOtherCharsets() throws IOException {
        assertEquals(List.of("t NO [BADCHARSET (US-ASCII UTF-8)] Unsupported charset."),
                client.command("t", "SORT (DATE) KOI8-R ALL"));
        assertEquals(List.of("t NO [BADCHARSET (US-ASCII UTF-8)] Unsupported charset."),
                client.command("t", "THREAD REFERENCES ISO-8859-1 ALL"));
    }

    @Test
    void threadsByOrderedSubject() throws IOException {
        // by base subject then date: ETE 5 | HELLO 2, 1 | OTHER THING 3, 4; threads by their first
        // message's date: 5 (1990), 3 (8 Feb 04:00), 2 (8 Feb 05:00)
        assertEquals(List.of("* THREAD (5)(3 4)(2 1)"), run("THREAD ORDEREDSUBJECT UTF-8 ALL"));
    }

    @Test
    void threadsByReferences() throws IOException {
        // 3 refers to 2, 4 replies to 3 (its quoted ID normalized); 1 has no references but replies
        // ("Re:") to the subject of 2, which is no reply: 1 goes under 2 (step 5.C). Siblings by date.
        assertEquals(List.of("* THREAD (5)(2 (3 4)(1))"), run("THREAD REFERENCES UTF-8 ALL"));
        // only the messages found: 3's parent 2 is not among them, so 3 starts a thread, after 5 (1990)
        assertEquals(List.of("* THREAD (5)(3 4)"), run("THREAD REFERENCES UTF-8 3:5"));
        assertEquals(List.of("* THREAD"), run("THREAD REFERENCES UTF-8 TEXT \"not in mailbox\""));
    }

    @Test
    void uidThreadAnswersUids() throws IOException {
        var uids = run("FETCH 1:5 UID").stream().map(l -> l.replaceAll(".*UID (\\d+).*", "$1")).toList();
        assertEquals(List.of("* THREAD (" + uids.get(4) + ")(" + uids.get(2) + " " + uids.get(3) + ")("
                + uids.get(1) + " " + uids.get(0) + ")"), run("UID THREAD ORDEREDSUBJECT UTF-8 ALL"));
    }
}
