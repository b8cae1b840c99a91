package org.roost.imap.urlauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.roost.imap.urlauth.UrlAuthServer.authorize;
import static org.roost.imap.urlauth.UrlAuthServer.fetch;
import static org.roost.imap.urlauth.UrlAuthServer.login;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.ImapCapabilities;
import org.roost.testing.TestServer;

/**
 * URL-PARTIAL (RFC 5550 §5): RFC 5092's {@code ;PARTIAL=offset[.length]} ({@code ipartial}, §4: the octets a FETCH
 * {@code BODY[section]<offset.length>} returns) in the URLs of GENURLAUTH, URLFETCH and CATENATE. The range is
 * part of the rump, so the token covers it; numbers are RFC 3501's 32-bit {@code number} and {@code nz-number}.
 */
@Timeout(60)
class UrlPartialTest {
    /** Section 1.2 of {@link UrlAuthTest#PLAN}: 28 octets. */
    private static final String TEXT = "Si vis pacem, para bellum.\r\n";
    private static final String PART = "imap://joe@example.com/INBOX/;UID=1/;SECTION=1.2";

    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = UrlAuthServer.startWith(dir, UrlAuthTest.PLAN);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void rangesOfASection() throws Exception {
        try (var joe = login(server, "joe"); var fred = login(server, "fred")) {
            for (var range : List.of(List.of("3.3", "vis"), List.of("0.2", "Si"), List.of("20", "ellum.\r\n"),
                    List.of("27.100", "\n"), List.of("28", ""), List.of("4294967295.4294967295", ""),
                    List.of("0", TEXT), List.of("00007.5", "pacem"))) {
                var url = authorize(joe, PART + "/;PARTIAL=" + range.get(0) + ";URLAUTH=user+fred");
                assertEquals(range.get(1), fetch(fred, url), range.get(0));
            }
            var whole = authorize(joe, "imap://joe@example.com/INBOX/;UID=1/;PARTIAL=6.8;URLAUTH=user+fred");
            assertEquals("joe@exam", fetch(fred, whole), "of the whole message");
        }
    }

    /** RFC 4467 §9 example shape, byte for byte, with a range: the literal holds exactly the range's octets. */
    @Test
    void urlfetchAnswerIsTheRange() throws Exception {
        try (var joe = login(server, "joe"); var fred = login(server, "fred")) {
            var url = authorize(joe, PART + "/;PARTIAL=7.5;URLAUTH=user+fred");
            var empty = authorize(joe, PART + "/;PARTIAL=99;URLAUTH=user+fred");
            fred.write("u1 URLFETCH \"" + url + "\" \"" + empty + "\"\r\n");
            assertEquals("* URLFETCH \"" + url + "\" {5}", fred.readLine());
            assertEquals("pacem \"" + empty + "\" {0}", fred.readLine());
            assertEquals("", fred.readLine());
            assertEquals("u1 OK URLFETCH completed.", fred.readLine());
        }
    }

    /** The range is in the rump the token authorizes: another range, or none, is another URL. */
    @Test
    void theTokenCoversTheRange() throws Exception {
        try (var joe = login(server, "joe"); var fred = login(server, "fred")) {
            var url = authorize(joe, PART + "/;PARTIAL=3.3;URLAUTH=user+fred");
            assertNull(fetch(fred, url.replace("PARTIAL=3.3", "PARTIAL=3.4")));
            assertNull(fetch(fred, url.replace("PARTIAL=3.3", "PARTIAL=3")));
            assertNull(fetch(fred, url.replace("/;PARTIAL=3.3", "")));
            assertNull(fetch(fred, url.replace("PARTIAL", "partial")), "the token covers the rump as it was sent");
        }
    }

    /** Numbers out of RFC 3501's range, a zero length, empty or signed values, repeated or misplaced ranges. */
    @Test
    void hostileRanges() throws Exception {
        try (var joe = login(server, "joe"); var fred = login(server, "fred")) {
            for (var range : List.of("4294967296", "18446744073709551616", "1.18446744073709551616", "1.4294967296",
                    "1.0", "", "-1", "1.-1", "1.", ".5", "1.2.3", "1.2/;PARTIAL=3", "0x10", "1%2E2", "%31")) {
                var rump = PART + "/;PARTIAL=" + range + ";URLAUTH=user+fred";
                var r = joe.run("GENURLAUTH \"" + rump + "\" INTERNAL");
                assertEquals(List.of(), r.untagged(), range);
                assertTrue(r.status().startsWith("BAD "), range + ": " + r.status());
                var forged = rump + ":internal:01" + "0".repeat(40);
                assertNull(fetch(fred, forged), range);
                assertTrue(joe.run("APPEND INBOX CATENATE (URL \"/INBOX/;UID=1/;PARTIAL=" + range + "\")").status()
                        .startsWith("NO [BADURL "), range);
            }
            var misplaced = joe.run("GENURLAUTH \"imap://joe@example.com/INBOX/;UID=1;PARTIAL=1;URLAUTH=user+fred\""
                    + " INTERNAL");
            assertTrue(misplaced.status().startsWith("BAD "), "PARTIAL needs its own path segment");
            var nested = joe.run("GENURLAUTH \"imap://joe@example.com/" + "imap%3A%2F%2Fjoe%40example.com%2FINBOX%2F%3BUID%3D1"
                    + "/;UID=1/;PARTIAL=1;URLAUTH=user+fred\" INTERNAL");
            assertEquals(List.of(), nested.untagged());
            assertEquals("NO [CANNOT] Invalid mailbox name.", nested.status(), "a URL inside is a mailbox name");
            assertTrue(joe.run("NOOP").ok(), "the session goes on");
        }
    }

    /** CATENATE (RFC 4469 §3) with an authorized URL's range, and with a relative one's past the end. */
    @Test
    void catenateTakesRanges() throws Exception {
        try (var joe = login(server, "joe"); var fred = login(server, "fred")) {
            var url = authorize(joe, PART + "/;PARTIAL=7.5;URLAUTH=user+fred");
            fred.expectOk("CREATE Ranges");
            var first = fred.run("APPEND Ranges CATENATE (TEXT {16+}\r\nSubject: peace\r\n URL \"" + url + "\""
                    + " TEXT {2+}\r\n\r\n)");
            assertTrue(first.ok(), first.toString());
            var second = fred.run("APPEND Ranges CATENATE (URL \"/Ranges/;UID=1/;PARTIAL=0.16\""
                    + " URL \"/Ranges/;UID=1/;PARTIAL=4000000000\" TEXT {9+}\r\n\r\nwhole\r\n)");
            assertTrue(second.ok(), second.toString());
            fred.expectOk("EXAMINE Ranges");
            var r = fred.run("FETCH 1:2 BODY.PEEK[]").untagged();
            assertEquals("* 1 FETCH (BODY[] {23}\r\nSubject: peace\r\npacem\r\n)", r.get(0));
            assertEquals("* 2 FETCH (BODY[] {25}\r\nSubject: peace\r\n\r\nwhole\r\n)", r.get(1));
        }
    }

    @Test
    void advertised() throws Exception {
        try (var fred = login(server, "fred")) {
            assertEquals(List.of("* CAPABILITY " + ImapCapabilities.AFTER_LOGIN), fred.expectOk("CAPABILITY").untagged());
            assertTrue((" " + ImapCapabilities.AFTER_LOGIN + " ").contains(" URLAUTH URL-PARTIAL "));
        }
    }
}
