package org.roost.imap.urlauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.roost.imap.urlauth.UrlAuthServer.authorize;
import static org.roost.imap.urlauth.UrlAuthServer.fetch;
import static org.roost.imap.urlauth.UrlAuthServer.login;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.TestServer;

/** URLAUTH (RFC 4467) byte for byte: GENURLAUTH, URLFETCH, RESETKEY, who may fetch, and CATENATE of another's URL. */
@Timeout(60)
class UrlAuthTest {
    /** Section 1.2 of this message is RFC 4467's example text, 28 octets with its CRLF. */
    static final String PLAN = "From: joe@example.com\r\nSubject: plan\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n--outer\r\n"
            + "Content-Type: multipart/alternative; boundary=\"inner\"\r\n\r\n--inner\r\nContent-Type: text/plain\r\n\r\n"
            + "Peace.\r\n--inner\r\nContent-Type: text/plain\r\n\r\nSi vis pacem, para bellum.\r\n\r\n--inner--\r\n"
            + "--outer--\r\n";
    static final String RUMP = "imap://joe@example.com/INBOX/;uid=20/;section=1.2;urlauth=submit+fred";

    @TempDir
    static Path dir;
    static TestServer server;

    /** joe's INBOX holds 20 messages, the 20th the plan, as in RFC 4467's examples. */
    @BeforeAll
    static void start() throws Exception {
        server = UrlAuthServer.start(dir);
        try (var joe = login(server, "joe")) {
            for (int i = 1; i < 20; i++) {
                assertTrue(joe.appendAtOnce("INBOX", "", ("Subject: " + i + "\r\n\r\nfiller\r\n").getBytes()).ok());
            }
            assertTrue(joe.append("INBOX", PLAN).ok());
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String keyLine() throws Exception {
        var lines = Files.readAllLines(server.maildir("joe").resolve("roost-urlauth-keys"));
        assertEquals("roost-urlauth-keys 1", lines.getFirst());
        return lines.stream().filter(l -> l.endsWith(" 494e424f58")).findFirst().orElseThrow(); // "INBOX" in hex
    }

    /** RFC 4467 §7's GENURLAUTH and URLFETCH examples, with Roost's key and token. */
    @Test
    void rfc4467Examples() throws Exception {
        try (var joe = login(server, "joe"); var submit = login(server, UrlAuthServer.SUBMIT)) {
            joe.write("a775 GENURLAUTH \"imap://joe@example.com/INBOX/;uid=20/;section=1.2\" INTERNAL\r\n");
            assertEquals("a775 BAD missing access identifier in supplied URL", joe.readResponse());
            joe.write("a776 GENURLAUTH \"imap://example.com/Shared/;uid=20/;section=1.2;urlauth=submit+fred\""
                    + " INTERNAL\r\n");
            assertEquals("a776 BAD missing owner username in supplied URL", joe.readResponse());
            joe.write("a777 GENURLAUTH \"" + RUMP + "\" INTERNAL\r\n");
            var answer = joe.readUntilTagged("a777");
            var url = RUMP + ":internal:" + UrlAuthServer.token(keyLine().substring(0, 64), RUMP);
            assertEquals(List.of("* GENURLAUTH \"" + url + "\""), answer.untagged());
            assertEquals("a777 OK GENURLAUTH completed.", answer.tagged());
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(server.maildir("joe").resolve("roost-urlauth-keys"))));

            submit.write("a002 URLFETCH \"" + url + "\"\r\n");
            assertEquals("* URLFETCH \"" + url + "\" {28}", submit.readLine());
            assertEquals("Si vis pacem, para bellum.", submit.readLine());
            assertEquals("", submit.readLine());
            assertEquals("a002 OK URLFETCH completed.", submit.readLine());
        }
    }

    /** RFC 4467 §3: who may fetch a URL is its access identifier's to say, never the owner's mail rights. */
    @Test
    void accessIdentifiersDecideWhoFetches() throws Exception {
        var base = "imap://joe@example.com/INBOX/;UID=20/;SECTION=1.2;URLAUTH=";
        try (var joe = login(server, "joe"); var fred = login(server, "fred");
             var submit = login(server, UrlAuthServer.SUBMIT); var mallory = login(server, "mallory")) {
            var forSubmission = authorize(joe, base + "submit+fred");
            var forFred = authorize(joe, base + "user+fred");
            var forJoe = authorize(joe, base + "user+joe");
            var forUsers = authorize(joe, base + "authuser");
            var forAnyone = authorize(joe, base + "anonymous");
            var text = "Si vis pacem, para bellum.\r\n";
            // submit+: only a message submission entity, whoever the user after "+" is
            assertEquals(text, fetch(submit, forSubmission));
            assertNull(fetch(fred, forSubmission));
            assertNull(fetch(joe, forSubmission));
            // user+: only that user
            assertEquals(text, fetch(fred, forFred));
            assertNull(fetch(joe, forFred));
            assertNull(fetch(submit, forFred));
            assertEquals(text, fetch(joe, forJoe));
            assertNull(fetch(fred, forJoe));
            // authuser and anonymous: any logged-in session
            assertEquals(text, fetch(mallory, forUsers));
            assertEquals(text, fetch(mallory, forAnyone));
            var r = fred.expectOk("URLFETCH \"" + forFred + "\" \"" + forJoe + "\" \"" + forUsers + "\"");
            assertEquals(List.of("* URLFETCH \"" + forFred + "\" {28}\r\n" + text + " \"" + forJoe + "\" NIL \""
                    + forUsers + "\" {28}\r\n" + text), r.untagged(), "one response, the pairs in order");
            joe.expectOk("EXAMINE INBOX");
            assertFalse(joe.run("FETCH 20 FLAGS").untagged().getFirst().contains("\\Seen"), "no \\Seen set");
        }
    }

    /** ;EXPIRE= (RFC 4467 §3): honoured to the second; the time is part of what the token covers. */
    @Test
    void expiry() throws Exception {
        try (var joe = login(server, "joe"); var fred = login(server, "fred")) {
            var past = authorize(joe, "imap://joe@example.com/INBOX/;UID=20;EXPIRE=2006-05-01T12:00:00Z;URLAUTH=user+fred");
            var future = authorize(joe, "imap://joe@example.com/INBOX/;UID=20;EXPIRE=2999-05-01T12:00:00+02:00;URLAUTH=user+fred");
            assertNull(fetch(fred, past));
            assertEquals(PLAN, fetch(fred, future));
            assertNull(fetch(fred, future.replace("2999-05-01", "2999-05-02")), "a changed expiry breaks the token");
        }
    }

    /** RESETKEY (RFC 4467 §7) of one mailbox and of all: the URLs made before no longer validate. */
    @Test
    void resetKeyRevokes() throws Exception {
        try (var joe = login(server, "joe"); var fred = login(server, "fred")) {
            joe.expectOk("CREATE Reset");
            assertTrue(joe.append("Reset", PLAN).ok());
            var inInbox = authorize(joe, "imap://joe@example.com/INBOX/;UID=20;URLAUTH=user+fred");
            var rump = "imap://joe@example.com/Reset/;UID=1;URLAUTH=user+fred";
            var old = authorize(joe, rump);
            assertEquals("OK [URLMECH INTERNAL] Key reset.", joe.run("RESETKEY Reset").status());
            assertNull(fetch(fred, old));
            assertEquals(PLAN, fetch(fred, inInbox), "the other mailboxes' keys stay");
            var renewed = authorize(joe, rump);
            assertEquals(PLAN, fetch(fred, renewed));
            assertEquals("OK [URLMECH INTERNAL] Key reset.", joe.run("RESETKEY Reset INTERNAL").status());
            assertEquals("OK All keys removed.", joe.run("RESETKEY").status());
            assertNull(fetch(fred, inInbox));
            assertNull(fetch(fred, renewed));
            assertTrue(Files.notExists(server.maildir("joe").resolve("roost-urlauth-keys")));
            assertEquals("BAD Unsupported URLAUTH mechanism XSAMPLE.", joe.run("RESETKEY INBOX XSAMPLE").status());
            assertEquals("NO [NONEXISTENT] Mailbox does not exist.", joe.run("RESETKEY Nowhere").status());
        }
    }

    /** A mailbox deleted and made again is another mailbox: the URLs of the first do not open the second. */
    @Test
    void recreatedMailboxHasAnotherKey() throws Exception {
        try (var joe = login(server, "joe"); var fred = login(server, "fred")) {
            joe.expectOk("CREATE Again");
            assertTrue(joe.append("Again", PLAN).ok());
            var url = authorize(joe, "imap://joe@example.com/Again/;UID=1;URLAUTH=user+fred");
            joe.expectOk("DELETE Again");
            joe.expectOk("CREATE Again");
            assertTrue(joe.append("Again", "Subject: other\r\n\r\nsecret\r\n").ok());
            assertNull(fetch(fred, url));
        }
    }

    /** Tampered, forged and foreign URLs all come back NIL, alike whether the mailbox exists or not (§6). */
    @Test
    void tamperedAndForeignUrlsAreNil() throws Exception {
        try (var joe = login(server, "joe"); var fred = login(server, "fred"); var mallory = login(server, "mallory")) {
            joe.expectOk("CREATE Private");
            assertTrue(joe.append("Private", PLAN).ok());
            var url = authorize(joe, "imap://joe@example.com/Private/;UID=1;URLAUTH=authuser");
            assertEquals(PLAN, fetch(mallory, url));
            int at = url.length() - 5;
            var flipped = url.substring(0, at) + (url.charAt(at) == '0' ? '1' : '0') + url.substring(at + 1);
            var token = url.substring(url.lastIndexOf(':') + 1);
            for (var hostile : List.of(flipped, url.replace(":internal:", ":XSAMPLE:"),
                    url.replace("UID=1", "UID=2"), url.replace("/Private/", "/private/"),
                    url.replace("joe@", "fred@"), url.replace("joe@", "nobody@"),
                    url.replace("/Private/", "/Nowhere/"), url.replace("authuser", "anonymous"),
                    url.replace(token, "01" + "0".repeat(40)), url.replace(token, token.substring(2)),
                    url.replace(token, token.toUpperCase()).replace("INTERNAL", "internal"))) {
                var expected = hostile.endsWith(token.toUpperCase()) ? PLAN : null;
                assertEquals(expected, fetch(mallory, hostile), hostile);
            }
            var r = mallory.expectOk("URLFETCH \"/Private/;UID=1\" \"imap://joe@example.com/Private/;UID=1\" x");
            assertEquals(List.of("* URLFETCH \"/Private/;UID=1\" NIL \"imap://joe@example.com/Private/;UID=1\" NIL"
                    + " \"x\" NIL"), r.untagged(), "relative and unauthorized URLs are fetched by nobody");
        }
    }

    /** GENURLAUTH (RFC 4467 §7): every check that fails is BAD, and none tells of another user's mail. */
    @Test
    void genurlauthRefusals() throws Exception {
        try (var mallory = login(server, "mallory")) {
            for (var refusal : List.of(
                    List.of("\"imap://joe@example.com/INBOX/;UID=20;URLAUTH=user+mallory\" INTERNAL",
                            "BAD The URL's owner must be the logged-in user."),
                    List.of("\"imap://mallory@example.com/Nowhere/;UID=1;URLAUTH=user+mallory\" INTERNAL",
                            "BAD The URL's mailbox does not exist."),
                    List.of("\"imap://mallory@example.com/INBOX/;UID=1;URLAUTH=user+mallory\" XSAMPLE",
                            "BAD Unsupported URLAUTH mechanism XSAMPLE."),
                    List.of("\"imap://mallory@example.com/INBOX/;UID=1;URLAUTH=user+mallory:internal:"
                            + "0".repeat(42) + "\" INTERNAL", "BAD supplied URL already carries a mechanism and token"),
                    List.of("\"imap://mallory@example.com/INBOX;URLAUTH=user+mallory\" INTERNAL",
                            "BAD supplied URL is not an IMAP URL of a message or message part"),
                    List.of("\"imap://mallory@example.com/INBOX/;UID=1;URLAUTH=nobody\" INTERNAL",
                            "BAD supplied URL is not an IMAP URL of a message or message part"),
                    List.of("\"imap://mallory@example.com/IN%ZZBOX/;UID=1;URLAUTH=authuser\" INTERNAL",
                            "BAD supplied URL is not an IMAP URL of a message or message part"),
                    List.of("\"imap://mallory@example.com/INBOX/;UID=1;EXPIRE=2006-13-01T00:00:00Z;URLAUTH=authuser\""
                            + " INTERNAL", "BAD supplied URL is not an IMAP URL of a message or message part"),
                    List.of("\"imap://mallory@example.com/" + "x".repeat(300) + "/;UID=1;URLAUTH=authuser\" INTERNAL",
                            "BAD URL longer than 300 characters"),
                    List.of("\"imap://mallory@example.com/INBOX/;UID=1;URLAUTH=authuser\"", "BAD Expected a space"))) {
                var r = mallory.run("GENURLAUTH " + refusal.get(0));
                assertEquals(List.of(), r.untagged(), refusal.get(0));
                assertTrue(r.status().startsWith(refusal.get(1)), r.status());
            }
        }
    }

    /** imap.urlauth.maxUrls (3 here) and maxUrlLength (300) bound URLFETCH before anything is fetched. */
    @Test
    void urlfetchIsBounded() throws Exception {
        try (var mallory = login(server, "mallory")) {
            assertEquals("NO [LIMIT] At most 3 URLs in one command.", mallory.run("URLFETCH a b c d").status());
            var overlong = "imap://joe@example.com/" + "x".repeat(300) + "/;UID=1;URLAUTH=authuser:internal:" + "0".repeat(42);
            assertEquals(List.of("* URLFETCH \"" + overlong + "\" NIL"), mallory.expectOk("URLFETCH \"" + overlong + "\"").untagged());
            mallory.write("a9 URLFETCH {301}\r\n");
            assertEquals("a9 BAD [TOOBIG] Literal of 301 bytes is too big", mallory.readResponse());
            assertEquals("BAD Expected a space", mallory.run("URLFETCH").status());
            assertTrue(mallory.run("NOOP").ok(), "the session goes on");
        }
    }

    /** CATENATE (RFC 4469 §3) takes another user's URLAUTH URL, within the same rules as URLFETCH. */
    @Test
    void catenateWithAnotherUsersUrl() throws Exception {
        try (var joe = login(server, "joe"); var fred = login(server, "fred")) {
            var forFred = authorize(joe, "imap://joe@example.com/INBOX/;UID=20/;SECTION=1.2;URLAUTH=user+fred");
            var forSubmission = authorize(joe, "imap://joe@example.com/INBOX/;UID=20;URLAUTH=submit+fred");
            fred.expectOk("CREATE Forward");
            var r = fred.run("APPEND Forward CATENATE (TEXT {18+}\r\nSubject: quote\r\n\r\n URL \"" + forFred + "\")");
            assertTrue(r.ok(), r.toString());
            fred.expectOk("EXAMINE Forward");
            var line = fred.run("FETCH 1 BODY.PEEK[]").untagged().getFirst();
            assertEquals("Subject: quote\r\n\r\nSi vis pacem, para bellum.\r\n", line.substring(line.indexOf("}\r\n") + 3, line.length() - 1));
            var refused = fred.run("APPEND Forward CATENATE (URL \"" + forSubmission + "\")");
            assertEquals("NO [BADURL " + forSubmission + "] The URL names no message part you can read.", refused.status());
        }
    }

    /** RFC 5092: a URL carries a mailbox name as percent-encoded UTF-8, in CATENATE and in URLFETCH alike. */
    @Test
    void nonAsciiMailboxNames() throws Exception {
        try (var joe = login(server, "joe"); var fred = login(server, "fred")) {
            joe.expectOk("CREATE Entw&APw-rfe"); // "Entwürfe" in modified UTF-7
            assertTrue(joe.append("Entw&APw-rfe", PLAN).ok());
            var r = joe.run("APPEND INBOX CATENATE (URL \"/Entw%C3%BCrfe/;UID=1/;SECTION=1.2\")");
            assertTrue(r.ok(), r.toString());
            assertEquals("NO [BADURL /Entw&APw-rfe/;UID=1] The URL names no message part you can read.",
                    joe.run("APPEND INBOX CATENATE (URL \"/Entw&APw-rfe/;UID=1\")").status(),
                    "modified UTF-7 is not how a URL names a mailbox");
            var url = authorize(joe, "imap://joe@example.com/Entw%C3%BCrfe/;UID=1/;SECTION=1.2;URLAUTH=user+fred");
            assertEquals("Si vis pacem, para bellum.\r\n", fetch(fred, url));
        }
    }

    /** The access keys are the user's, on disk: they survive a restart of the server, and keep URLs valid. */
    @Test
    void keysSurviveRestart(@TempDir Path other) throws Exception {
        String url;
        try (var first = UrlAuthServer.start(other); var joe = login(first, "joe")) {
            assertTrue(joe.append("INBOX", PLAN).ok());
            url = authorize(joe, "imap://joe@example.com/INBOX/;UID=1;URLAUTH=authuser");
        }
        try (var second = UrlAuthServer.start(other); var mallory = login(second, "mallory")) {
            assertEquals(PLAN, fetch(mallory, url));
        }
    }

    /** Damaged key file lines are dropped, not trusted: their URLs stop validating, new keys are made. */
    @Test
    void damagedKeyFile(@TempDir Path other) throws Exception {
        try (var third = UrlAuthServer.start(other); var joe = login(third, "joe"); var fred = login(third, "fred")) {
            assertTrue(joe.append("INBOX", PLAN).ok());
            var url = authorize(joe, "imap://joe@example.com/INBOX/;UID=1;URLAUTH=user+fred");
            var file = third.maildir("joe").resolve("roost-urlauth-keys");
            var text = Files.readString(file);
            Files.writeString(file, text.replace(text.substring(21, 25), "zzzz") + "garbage line\n\u0000");
            assertNull(fetch(fred, url));
            var renewed = authorize(joe, "imap://joe@example.com/INBOX/;UID=1;URLAUTH=user+fred");
            assertEquals(PLAN, fetch(fred, renewed));
            assertTrue(Files.readString(file).startsWith("roost-urlauth-keys 1\n"));
        }
    }
}
