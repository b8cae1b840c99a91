package org.roost.imap.utf8;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/** UTF8=ACCEPT (RFC 6855) byte for byte: ENABLE, UTF-8 mailbox names, APPEND's UTF8 data, and legacy sessions. */
@Timeout(60)
class Utf8AcceptTest {
    private TestServer server;
    private String user;
    private final List<RawImapClient> clients = new ArrayList<>();

    @BeforeEach
    void freshUser() throws Exception {
        server = TestServer.shared();
        user = server.newUser();
    }

    @AfterEach
    void close() throws Exception {
        for (var c : clients) {
            c.close();
        }
    }

    private RawImapClient login() throws Exception {
        var c = server.login(user);
        clients.add(c);
        return c;
    }

    private RawImapClient utf8() throws Exception {
        var c = login();
        assertEquals(List.of("* ENABLED UTF8=ACCEPT"), c.expectOk("ENABLE UTF8=ACCEPT").untagged());
        return c;
    }

    /** {@code s} as UTF-8 octets, one char per octet, for {@link RawImapClient#write(String)}. */
    private static String octets(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    private static String run(RawImapClient c, String command) throws Exception {
        var tag = c.nextTag();
        c.write(tag + " " + octets(command) + "\r\n");
        var r = c.readUntilTagged(tag);
        var lines = new ArrayList<>(r.untagged());
        lines.add(r.status());
        return String.join("\n", lines);
    }

    /** RFC 6855 §3: UTF-8 quoted mailbox names after ENABLE; a session without it sees modified UTF-7. */
    @Test
    void mailboxNamesInUtf8AndForLegacySessions() throws Exception {
        var modern = utf8();
        var legacy = login();
        assertTrue(run(modern, "CREATE \"Entwürfe\"").endsWith("] CREATE completed."));
        assertEquals(octets("* LIST (\\HasNoChildren) \".\" {9}\r\nEntwürfe") + "\nOK LIST completed.",
                run(modern, "LIST \"\" \"Entw*\""));
        assertEquals("* LIST (\\HasNoChildren) \".\" Entw&APw-rfe\nOK LIST completed.", run(legacy, "LIST \"\" Entw*"));
        assertEquals(octets("* STATUS {9}\r\nEntwürfe (MESSAGES 0)") + "\nOK STATUS completed.",
                run(modern, "STATUS \"Entwürfe\" (MESSAGES)"));
        assertTrue(run(modern, "SELECT \"Entwürfe\"").endsWith("OK [READ-WRITE] SELECT completed."));
        assertTrue(run(legacy, "CREATE Entw&APw-rfe.Alt").endsWith("] CREATE completed."));
        assertEquals(octets("* LIST (\\HasNoChildren) \".\" {13}\r\nEntwürfe.Alt") + "\nOK LIST completed.",
                run(modern, "LIST \"Entwürfe.\" \"%\""));
    }

    /** Malformed UTF-8 is BAD (§3); names outside Net-Unicode or not NFC are refused, as IMAP4rev2's are. */
    @Test
    void badNames() throws Exception {
        var modern = utf8();
        var tag = modern.nextTag();
        modern.write(tag + " CREATE \"A\u00c3(B\"\r\n");
        assertEquals(tag + " BAD Invalid UTF-8 in a string", modern.readUntilTagged(tag).tagged());
        assertTrue(run(modern, "CREATE \"A\u2028B\"").startsWith("NO "), "a line separator (§3)");
        assertTrue(run(modern, "CREATE \"Cafe\u0301\"").startsWith("NO "), "not NFC");
        var legacy = login();
        assertTrue(run(legacy, "CREATE \"Entwürfe\"").startsWith("NO "), "8-bit without ENABLE is not a name");
        assertEquals("OK LIST completed.", run(legacy, "LIST \"\" Cafe*"));
    }

    /** §3: ENABLE UTF8=ACCEPT is for the authenticated state: with a mailbox selected it is not enabled. */
    @Test
    void enableOnlyWhenAuthenticated() throws Exception {
        var c = login();
        c.expectOk("SELECT INBOX");
        assertEquals(List.of("* ENABLED"), c.expectOk("ENABLE UTF8=ACCEPT").untagged());
        assertEquals("* LIST (\\HasNoChildren) \".\" INBOX\nOK LIST completed.", run(c, "LIST \"\" INBOX"));
        var fresh = server.connect();
        clients.add(fresh);
        assertTrue(fresh.run("ENABLE UTF8=ACCEPT").status().startsWith("BAD "), "not before login");
    }

    /** §4: {@code UTF8 (literal8)} in APPEND and as a CATENATE part, with or without ENABLE; stored as sent. */
    @Test
    void appendUtf8Data() throws Exception {
        var message = octets("From: Jörg <jörg@example.org>\r\nSubject: Grüße\r\n\r\nHallo\r\n");
        var c = login();
        var r = c.run("APPEND INBOX UTF8 (~{" + message.length() + "+}\r\n" + message + ")");
        assertTrue(r.ok(), r.toString());
        var part = "Subject: Teil\r\n\r\n";
        r = c.run("APPEND INBOX CATENATE (UTF8 (~{" + message.length() + "+}\r\n" + message + ") TEXT {"
                + part.length() + "+}\r\n" + part + ")");
        assertTrue(r.ok(), r.toString());
        c.expectOk("EXAMINE INBOX");
        assertEquals("* 1 FETCH (BODY[] {" + message.length() + "}\r\n" + message + ")",
                c.run("FETCH 1 BODY.PEEK[]").untagged().getFirst());
        assertEquals("* 2 FETCH (RFC822.SIZE " + (message.length() + part.length()) + ")",
                c.run("FETCH 2 RFC822.SIZE").untagged().getFirst());
        assertEquals("BAD Expected a literal8 (~{n}) after UTF8 (", c.run("APPEND INBOX UTF8 ({3+}\r\nx\r\n)").status());
        assertTrue(c.run("APPEND INBOX UTF8 (~{3+}\r\nx\r\n").status().startsWith("BAD "), "no ')'");
        assertTrue(c.run("NOOP").ok());
    }

    /** §5: LOGIN is not extended; a UTF-8 user name fails like any unknown one, never BAD. */
    @Test
    void loginUnchanged() throws Exception {
        var c = server.connect();
        clients.add(c);
        assertTrue(run(c, "LOGIN \"jörg\" secret").startsWith("NO [AUTHENTICATIONFAILED]"));
    }
}
