package org.roost.imap.urlauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.roost.imap.urlauth.UrlAuthServer.authorize;
import static org.roost.imap.urlauth.UrlAuthServer.login;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.ImapCapabilities;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * URLAUTH=BINARY (RFC 5524) byte for byte: URLFETCH with a URL enclosed with parameters (§3.1) is answered with one
 * parenthesized item per parameter after the URL (§3.2, §5 {@code urldata-ext}): BODYPARTSTRUCTURE, BODY, BINARY
 * (a literal8 when the decoded part holds NUL, NIL when its encoding cannot be undone), in that order.
 */
@Timeout(60)
class UrlFetchBinaryTest {
    /** Part 1: RFC 4467's text (26 octets: the CRLF before a boundary is the boundary's); 2: base64 octets 0..9 (NUL among them); 3: quoted-printable; 4: x-uuencode. */
    static final String PARTS = "From: joe@example.com\r\nSubject: parts\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
            + "Si vis pacem, para bellum.\r\n--b\r\nContent-Type: application/octet-stream\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\nAAECAwQFBgcICQ==\r\n--b\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            + "Caf=C3=A9 au l=\r\nait\r\nnoir\r\n--b\r\nContent-Type: text/plain\r\n"
            + "Content-Transfer-Encoding: x-uuencode\r\n\r\nbegin 644 x\r\nend\r\n--b--\r\n";
    static final String BASE = "imap://joe@example.com/INBOX/;UID=1";

    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = UrlAuthServer.startWith(dir, PARTS);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A URL of joe's message authorized for fred, quoted: {@code part} is what follows the UID. */
    private static String url(RawImapClient joe, String part) throws Exception {
        return "\"" + authorize(joe, BASE + part) + "\"";
    }

    /** The raw answer to one URLFETCH, through its tagged line. */
    private static String urlfetch(RawImapClient client, String arguments) throws Exception {
        client.write("u URLFETCH " + arguments + "\r\n");
        var out = new ByteArrayOutputStream();
        while (true) {
            var line = client.readLine();
            out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            if (line.startsWith("u ")) {
                return out.toString(StandardCharsets.ISO_8859_1);
            }
            int brace = line.lastIndexOf('{');
            if (line.endsWith("}") && brace >= 0) {
                int n = Integer.parseInt(line.substring(brace + 1, line.length() - 1));
                out.write(client.readBytes(n));
                var rest = client.readLine();
                out.write((rest + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                if (rest.startsWith("u ")) {
                    return out.toString(StandardCharsets.ISO_8859_1);
                }
            }
        }
    }

    @Test
    void theThreeItemsOfATextPart() throws Exception {
        try (var joe = login(server, "joe"); var fred = login(server, "fred")) {
            var q = url(joe, "/;SECTION=1;URLAUTH=user+fred");
            var structure = "(BODYPARTSTRUCTURE (\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 26 0"
                    + " NIL NIL NIL NIL))";
            assertEquals("* URLFETCH " + q + " " + structure + "\r\nu OK URLFETCH completed.\r\n",
                    urlfetch(fred, "(" + q + " BODYPARTSTRUCTURE)"));
            assertEquals("* URLFETCH " + q + " (BINARY {26}\r\nSi vis pacem, para bellum.)\r\n"
                    + "u OK URLFETCH completed.\r\n", urlfetch(fred, "(" + q + " BINARY)"));
            assertEquals("* URLFETCH " + q + " " + structure + " (BODY {26}\r\nSi vis pacem, para bellum.)\r\n"
                    + "u OK URLFETCH completed.\r\n", urlfetch(fred, "(" + q + " body bodypartstructure)"),
                    "the items in §3.1's order, whatever the request's");
            assertEquals("* URLFETCH " + q + " {26}\r\nSi vis pacem, para bellum.\r\nu OK URLFETCH completed.\r\n",
                    urlfetch(fred, "(" + q + ")"), "enclosed without parameters: RFC 4467's answer (§3)");
        }
    }

    @Test
    void decodedParts() throws Exception {
        try (var joe = login(server, "joe"); var fred = login(server, "fred")) {
            var octets = url(joe, "/;SECTION=2;URLAUTH=user+fred");
            assertEquals("* URLFETCH " + octets + " (BODYPARTSTRUCTURE (\"application\" \"octet-stream\" NIL NIL NIL"
                    + " \"BINARY\" 10 NIL NIL NIL NIL)) (BINARY ~{10}\r\n\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007"
                    + "\u0008\t)\r\nu OK URLFETCH completed.\r\n", urlfetch(fred, "(" + octets + " BINARY BODYPARTSTRUCTURE)"),
                    "the decoded part's structure (RFC 5259 §5): encoding BINARY, its decoded size");
            assertEquals("* URLFETCH " + octets + " (BODYPARTSTRUCTURE (\"application\" \"octet-stream\" NIL NIL NIL"
                    + " \"base64\" 16 NIL NIL NIL NIL)) (BODY {16}\r\nAAECAwQFBgcICQ==)\r\nu OK URLFETCH completed.\r\n",
                    urlfetch(fred, "(" + octets + " BODYPARTSTRUCTURE BODY)"), "as stored with BODY");
            var text = url(joe, "/;SECTION=3;URLAUTH=user+fred");
            var decoded = "Caf\u00c3\u00a9 au lait\r\nnoir";
            assertEquals("* URLFETCH " + text + " (BODYPARTSTRUCTURE (\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL"
                    + " \"BINARY\" 19 1 NIL NIL NIL NIL)) (BINARY {19}\r\n" + decoded + ")\r\nu OK URLFETCH completed.\r\n",
                    urlfetch(fred, "(" + text + " BODYPARTSTRUCTURE BINARY)"), "lines counted in the decoded text");
            var range = url(joe, "/;SECTION=3/;PARTIAL=9.4;URLAUTH=user+fred");
            assertEquals("* URLFETCH " + range + " (BINARY {4}\r\nlait)\r\nu OK URLFETCH completed.\r\n",
                    urlfetch(fred, "(" + range + " BINARY)"), "the URL's range of the decoded octets");
        }
    }

    /** §5: "On decoding error, NIL should be used"; the untagged NO [UNKNOWN-CTE] (RFC 3516 §4.3) tells why. */
    @Test
    void anUnknownEncodingIsNil() throws Exception {
        try (var joe = login(server, "joe"); var fred = login(server, "fred")) {
            var uu = url(joe, "/;SECTION=4;URLAUTH=user+fred");
            var text = url(joe, "/;SECTION=1;URLAUTH=user+fred");
            assertEquals("* URLFETCH " + uu + " (BODYPARTSTRUCTURE (\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL"
                    + " \"x-uuencode\" 16 1 NIL NIL NIL NIL)) (BINARY NIL) " + text + " (BINARY {26}\r\n"
                    + "Si vis pacem, para bellum.)\r\n* NO [UNKNOWN-CTE] A part's Content-Transfer-Encoding cannot be"
                    + " undone: its BINARY is NIL.\r\nu OK URLFETCH completed.\r\n",
                    urlfetch(fred, "(" + uu + " BODYPARTSTRUCTURE BINARY) (" + text + " BINARY)"));
            var header = url(joe, "/;SECTION=HEADER;URLAUTH=user+fred");
            assertEquals("* URLFETCH " + header + " (BINARY NIL)\r\nu OK URLFETCH completed.\r\n",
                    urlfetch(fred, "(" + header + " BINARY)"), "a header is no part to decode, not an unknown encoding");
        }
    }

    /** URLs that do not validate are NIL, extended or not; a part that does not exist has no structure. */
    @Test
    void invalidUrlsAreNil() throws Exception {
        try (var joe = login(server, "joe"); var fred = login(server, "fred")) {
            var url = authorize(joe, BASE + "/;SECTION=2;URLAUTH=user+joe");
            var missing = url(joe, "/;SECTION=9;URLAUTH=user+fred");
            assertEquals("* URLFETCH \"" + url + "\" NIL " + missing + " NIL\r\nu OK URLFETCH completed.\r\n",
                    urlfetch(fred, "(\"" + url + "\" BINARY BODYPARTSTRUCTURE) (" + missing + " BODYPARTSTRUCTURE)"));
            assertEquals("* URLFETCH \"/INBOX/;UID=1\" NIL\r\nu OK URLFETCH completed.\r\n",
                    urlfetch(joe, "(\"/INBOX/;UID=1\" BINARY)"), "a relative URL is fetched by nobody");
        }
    }

    /** §3.1: clients MUST NOT ask BODY and BINARY together, nor an item twice; unknown parameters are unknown. */
    @Test
    void malformedRequestsAreBad() throws Exception {
        try (var fred = login(server, "fred")) {
            for (var bad : List.of("(x BINARY BODY)", "(x BINARY BINARY)", "(x FOO)", "(x \"BINARY\")", "(x BINARY",
                    "()", "((x) BINARY)", "(x (BINARY))", "(x BINARY) (", "(x " + "BINARY ".repeat(5000) + ")",
                    "(x BODYPARTSTRUCTURE\u0000)")) {
                var r = fred.run("URLFETCH " + bad);
                assertEquals(List.of(), r.untagged(), bad);
                assertTrue(r.status().startsWith("BAD "), bad + ": " + r.status());
            }
            assertEquals("NO [LIMIT] At most 3 URLs in one command.",
                    fred.run("URLFETCH (a BINARY) (b BODY) (c) (d BODYPARTSTRUCTURE)").status());
            assertTrue(fred.run("NOOP").ok(), "the session goes on");
        }
    }

    @Test
    void advertised() throws Exception {
        try (var fred = login(server, "fred")) {
            assertEquals(List.of("* CAPABILITY " + ImapCapabilities.AFTER_LOGIN), fred.expectOk("CAPABILITY").untagged());
            assertTrue((" " + ImapCapabilities.AFTER_LOGIN + " ").contains(" URLAUTH URL-PARTIAL URLAUTH=BINARY "));
        }
    }
}
