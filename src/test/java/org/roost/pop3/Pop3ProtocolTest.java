package org.roost.pop3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.TestServer;

/** Byte-exact POP3 conversations with a real server (RFC 1939 unless noted). */
class Pop3ProtocolTest {
    static final String DOTS = "From: a@example.org\nTo: alice@example.org\nSubject: dots\n\n"
            + ".leading dot\n..two dots\n.\nmiddle\nlast line without newline";
    static final String TOP = "Subject: top\r\nX: y\r\n\r\nline1\r\nline2\r\nline3\r\n";
    static final String HEADER_ONLY = "Subject: nobody\r\n";

    @TempDir
    Path dir;
    TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = Pop3Users.server(dir);
        server.deliver("alice", DOTS);
        server.deliver("alice", TOP);
        server.deliver("alice", HEADER_ONLY);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static long crlfSize(String message) {
        return crlf(message).length();
    }

    static String crlf(String message) {
        return message.replace("\r\n", "\n").replace("\n", "\r\n");
    }

    Pop3TestClient alice() throws Exception {
        var c = new Pop3TestClient(server.pop3Port());
        c.login("alice", "secret");
        return c;
    }

    @Test
    void greetingCarriesAnApopTimestamp() throws Exception {
        try (var c = new Pop3TestClient(server.pop3Port())) {
            assertTrue(Pattern.matches("\\+OK Roost POP3 ready\\. <[0-9a-f]{16}\\.\\d+@localhost>", c.greeting), c.greeting);
        }
    }

    @Test
    void capaBeforeAndAfterLogin_rfc2449() throws Exception {
        try (var c = new Pop3TestClient(server.pop3Port())) {
            assertEquals("+OK Capability list follows", c.command("CAPA"));
            assertEquals("TOP\r\nUIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nPIPELINING\r\nUSER\r\nSASL PLAIN LOGIN\r\nSTLS\r\n"
                    + "IMPLEMENTATION Roost\r\n.\r\n", c.multilineText());
            c.login("alice", "secret");
            assertEquals("+OK Capability list follows", c.command("CAPA"));
            assertEquals("TOP\r\nUIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nPIPELINING\r\nIMPLEMENTATION Roost\r\n.\r\n",
                    c.multilineText());
        }
    }

    @Test
    void statAndMultiLineListCountCrlfSizes() throws Exception {
        long a = crlfSize(DOTS);
        long b = crlfSize(TOP);
        long h = crlfSize(HEADER_ONLY);
        try (var c = alice()) {
            assertEquals("+OK 3 " + (a + b + h), c.command("STAT"));
            assertEquals("+OK 3 messages (" + (a + b + h) + " octets)", c.command("LIST"));
            assertEquals("1 " + a + "\r\n2 " + b + "\r\n3 " + h + "\r\n.\r\n", c.multilineText());
            assertEquals("+OK 2 " + b, c.command("LIST 2"));
        }
    }

    @Test
    void uidlIsDovecotsDefaultFormat() throws Exception {
        try (var c = alice()) {
            assertEquals("+OK", c.command("UIDL"));
            var listing = c.multilineText();
            var m = Pattern.compile("1 00000001([0-9a-f]{8})\r\n2 00000002\\1\r\n3 00000003\\1\r\n\\.\r\n").matcher(listing);
            assertTrue(m.matches(), listing);
            assertEquals("+OK 2 00000002" + m.group(1), c.command("UIDL 2"));
        }
    }

    @Test
    void retrDotStuffsAndTerminatesByteExactly() throws Exception {
        try (var c = alice()) {
            assertEquals("+OK " + crlfSize(DOTS) + " octets", c.command("RETR 1"));
            var expected = "From: a@example.org\r\nTo: alice@example.org\r\nSubject: dots\r\n\r\n"
                    + "..leading dot\r\n...two dots\r\n..\r\nmiddle\r\nlast line without newline\r\n.\r\n";
            assertArrayEquals(expected.getBytes(StandardCharsets.US_ASCII), c.multiline());
            assertEquals("+OK " + crlfSize(TOP) + " octets", c.command("RETR 2"));
            assertEquals(TOP + ".\r\n", c.multilineText());
        }
    }

    @Test
    void topWithZeroSomeAndMoreLinesThanTheBody() throws Exception {
        try (var c = alice()) {
            assertEquals("+OK", c.command("TOP 2 0"));
            assertEquals("Subject: top\r\nX: y\r\n\r\n.\r\n", c.multilineText());
            assertEquals("+OK", c.command("TOP 2 2"));
            assertEquals("Subject: top\r\nX: y\r\n\r\nline1\r\nline2\r\n.\r\n", c.multilineText());
            assertEquals("+OK", c.command("TOP 2 99"));
            assertEquals(TOP + ".\r\n", c.multilineText());
            assertEquals("+OK", c.command("TOP 2 99999999999999999999999"));
            assertEquals(TOP + ".\r\n", c.multilineText());
            assertEquals("+OK", c.command("TOP 1 1"));
            assertEquals("From: a@example.org\r\nTo: alice@example.org\r\nSubject: dots\r\n\r\n..leading dot\r\n.\r\n",
                    c.multilineText());
            assertEquals("+OK", c.command("TOP 3 0"));
            assertEquals(HEADER_ONLY + ".\r\n", c.multilineText());
        }
    }

    @Test
    void deleHidesUntilRsetRestores() throws Exception {
        long b = crlfSize(TOP);
        long h = crlfSize(HEADER_ONLY);
        try (var c = alice()) {
            assertEquals("+OK Message 1 deleted.", c.command("DELE 1"));
            assertEquals("-ERR Message 1 is deleted.", c.command("DELE 1"));
            assertEquals("-ERR Message 1 is deleted.", c.command("RETR 1"));
            assertEquals("-ERR Message 1 is deleted.", c.command("LIST 1"));
            assertEquals("-ERR Message 1 is deleted.", c.command("UIDL 1"));
            assertEquals("+OK 2 " + (b + h), c.command("STAT"));
            assertEquals("+OK 2 messages (" + (b + h) + " octets)", c.command("LIST"));
            assertEquals("2 " + b + "\r\n3 " + h + "\r\n.\r\n", c.multilineText());
            assertEquals("+OK", c.command("UIDL"));
            assertTrue(c.multilineText().startsWith("2 00000002"));
            assertEquals("+OK Maildrop has 3 messages (" + (crlfSize(DOTS) + b + h) + " octets).", c.command("RSET"));
            assertEquals("+OK 1 " + crlfSize(DOTS), c.command("LIST 1"));
            assertEquals("+OK", c.command("QUIT").substring(0, 3));
        }
        assertEquals(3, server.filesOnDisk("alice"));
    }

    @Test
    void quitEntersUpdateAndDeletes() throws Exception {
        try (var c = alice()) {
            c.command("DELE 1");
            c.command("DELE 3");
            assertEquals("+OK Logging out, 2 messages deleted.", c.command("QUIT"));
            assertTrue(c.closedByServer());
        }
        assertEquals(1, server.filesOnDisk("alice"));
        try (var c = alice()) {
            assertEquals("+OK 1 " + crlfSize(TOP), c.command("STAT"));
            assertTrue(c.command("UIDL 1").startsWith("+OK 1 00000002"), "UIDs survive the renumbering");
        }
    }

    @Test
    void droppedConnectionDeletesNothing() throws Exception {
        var c = alice();
        c.command("DELE 1");
        c.command("DELE 2");
        c.drop();
        // the next login waits for the dropped session's lock to go, then sees every message
        awaitUnlocked();
        assertEquals(3, server.filesOnDisk("alice"));
        try (var again = alice()) {
            assertEquals("+OK 3 ", again.command("STAT").substring(0, 6));
        }
    }

    private void awaitUnlocked() throws Exception {
        for (int i = 0; i < 500; i++) {
            try (var probe = new Pop3TestClient(server.pop3Port())) {
                probe.command("USER alice");
                var answer = probe.command("PASS secret");
                if (answer.startsWith("+OK")) {
                    probe.command("QUIT");
                    return;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the dropped session never released the maildrop");
    }

    @Test
    void secondSessionIsRefusedInUse_rfc2449() throws Exception {
        try (var first = alice(); var second = new Pop3TestClient(server.pop3Port())) {
            second.command("USER alice");
            assertEquals("-ERR [IN-USE] Mailbox is locked by another POP3 session.", second.command("PASS secret"));
            assertEquals("-ERR STAT is only valid after authentication.", second.command("STAT"));
            first.command("QUIT");
            assertTrue(first.closedByServer());
            second.command("USER alice");
            assertEquals("+OK Logged in.", second.command("PASS secret"));
        }
    }

    @Test
    void wrongStateUnknownAndOutOfRangeGetClearErrors() throws Exception {
        try (var c = new Pop3TestClient(server.pop3Port())) {
            assertEquals("-ERR RETR is only valid after authentication.", c.command("RETR 1"));
            assertEquals("-ERR Unknown command: FROB", c.command("FROB"));
            assertEquals("-ERR Empty command line.", c.command(""));
            assertEquals("-ERR No user name given: send USER first.", c.command("PASS secret"));
            c.login("alice", "secret");
            assertEquals("-ERR USER is only valid before authentication.", c.command("USER alice"));
            assertEquals("-ERR STLS is only valid before authentication.", c.command("STLS"));
            assertEquals("-ERR AUTH is only valid before authentication.", c.command("AUTH PLAIN"));
            assertEquals("-ERR There is no message 4; the maildrop has 3.", c.command("RETR 4"));
            assertEquals("-ERR Invalid message number: 0", c.command("RETR 0"));
            assertEquals("-ERR Invalid message number: -1", c.command("LIST -1"));
            assertEquals("-ERR Invalid message number: x", c.command("DELE x"));
            assertEquals("-ERR Invalid message number: 99999999999", c.command("TOP 99999999999 1"));
            assertEquals("-ERR TOP needs a message number and a number of lines.", c.command("TOP 1"));
            assertEquals("-ERR Invalid number of lines: -2", c.command("TOP 1 -2"));
            assertEquals("-ERR RETR needs a message number.", c.command("RETR"));
            assertEquals("-ERR STAT takes no arguments.", c.command("STAT 1"));
            assertEquals("+OK", c.command("noop"), "keywords are case-insensitive");
            assertEquals("+OK 3 ", c.command("stat").substring(0, 6));
        }
    }

    @Test
    void overlongLinesGetAnErrorThenTheConnectionCloses() throws Exception {
        var huge = "NOOP " + "x".repeat(70 * 1024);
        try (var c = alice()) {
            assertEquals("-ERR Line too long.", c.command(huge));
            assertEquals("+OK", c.command("NOOP"));
            assertEquals("-ERR Line too long.", c.command(huge));
            assertEquals("-ERR Line too long; closing the connection.", c.command(huge));
            assertTrue(c.closedByServer());
        }
        assertEquals(3, server.filesOnDisk("alice"));
    }

    @Test
    void repeatedAuthFailuresCloseTheConnection() throws Exception {
        try (var c = new Pop3TestClient(server.pop3Port())) {
            for (int i = 1; i < 5; i++) {
                c.command("USER alice");
                assertEquals("-ERR [AUTH] Authentication failed.", c.command("PASS wrong" + i));
            }
            c.command("USER alice");
            assertEquals("-ERR [AUTH] Authentication failed; too many failures, closing the connection.",
                    c.command("PASS wrong"));
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void pipelinedCommandsAreAnsweredInOrder_rfc2449() throws Exception {
        try (var c = new Pop3TestClient(server.pop3Port())) {
            c.sendRaw("USER alice\r\nPASS secret\r\nSTAT\r\nLIST 2\r\nNOOP\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("+OK", c.line());
            assertEquals("+OK Logged in.", c.line());
            assertTrue(c.line().startsWith("+OK 3 "));
            assertEquals("+OK 2 " + crlfSize(TOP), c.line());
            assertEquals("+OK", c.line());
        }
    }

    @Test
    void listingsComeFromTheIndexWithoutOpeningMessageFiles() throws Exception {
        try (var c = alice()) {
            c.command("UIDL");
            var uidls = c.multilineText();
            for (var sub : new String[] {"cur", "new"}) {
                try (var files = java.nio.file.Files.list(server.maildir("alice").resolve(sub))) {
                    for (var file : files.toList()) {
                        java.nio.file.Files.delete(file);
                    }
                }
            }
            long total = crlfSize(DOTS) + crlfSize(TOP) + crlfSize(HEADER_ONLY);
            assertEquals("+OK 3 " + total, c.command("STAT"));
            assertEquals("+OK 3 messages (" + total + " octets)", c.command("LIST"));
            assertEquals("1 " + crlfSize(DOTS) + "\r\n2 " + crlfSize(TOP) + "\r\n3 " + crlfSize(HEADER_ONLY) + "\r\n.\r\n",
                    c.multilineText());
            assertEquals("+OK", c.command("UIDL"));
            assertEquals(uidls, c.multilineText());
            assertEquals("-ERR Message 2 was expunged by another session.", c.command("RETR 2"));
            assertEquals("-ERR Message 2 was expunged by another session.", c.command("TOP 2 0"));
        }
    }

    @Test
    void shutdownEndsTheSessionWithoutDeleting() throws Exception {
        var c = alice();
        c.command("DELE 1");
        server.close();
        assertEquals("-ERR [SYS/TEMP] Server shutting down.", c.line());
        assertTrue(c.closedByServer());
        c.close();
        assertEquals(3, server.filesOnDisk("alice"));
    }

    @Test
    void aUserWithoutAMailDirectoryHasAnEmptyMaildrop() throws Exception {
        try (var c = new Pop3TestClient(server.pop3Port())) {
            c.login("carol", "nomail");
            assertEquals("+OK 0 0", c.command("STAT"));
            assertEquals("+OK 0 messages (0 octets)", c.command("LIST"));
            assertEquals(".\r\n", c.multilineText());
            assertEquals("-ERR There is no message 1; the maildrop has 0.", c.command("RETR 1"));
            assertEquals("+OK Logging out.", c.command("QUIT"));
        }
    }

    @Test
    void bareLfLineEndsAndLowerCaseKeywordsAreAccepted() throws Exception {
        try (var c = new Pop3TestClient(server.pop3Port())) {
            c.sendRaw("user alice\npass secret\nstat\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("+OK", c.line());
            assertEquals("+OK Logged in.", c.line());
            assertTrue(c.line().startsWith("+OK 3 "));
        }
    }

    @Test
    void quitBeforeLoginJustCloses() throws Exception {
        try (var c = new Pop3TestClient(server.pop3Port())) {
            assertEquals("+OK Logging out.", c.command("QUIT"));
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void metricsCountPop3CommandsAndLogins() throws Exception {
        try (var c = alice()) {
            c.command("RETR 2");
            c.multiline();
            var during = server.server().metrics().scrape("text/plain");
            assertTrue(during.contains("roost_sessions{protocol=\"pop3\",state=\"transaction\"} 1.0"), during);
            c.command("DELE 1");
            c.command("QUIT");
        }
        var text = server.server().metrics().scrape("text/plain");
        assertTrue(text.contains("roost_messages_total{kind=\"expunge\",protocol=\"pop3\"} 1.0"), text);
        assertTrue(text.contains("roost_commands_total{command=\"RETR\",protocol=\"pop3\",result=\"OK\"}"), text);
        assertTrue(text.contains("roost_auth_attempts_total{mechanism=\"USER\",protocol=\"pop3\",result=\"success\"}"));
        assertTrue(text.contains("roost_connections_total{protocol=\"pop3\",tls=\"false\"}"));
        assertFalse(text.contains("alice"), "no user names in labels");
    }
}
