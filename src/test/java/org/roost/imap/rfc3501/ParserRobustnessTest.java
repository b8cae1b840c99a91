package org.roost.imap.rfc3501;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** RFC 3501 §9 grammar at the edges: pipelining, malformed lines, garbage; the server answers and lives on. */
class ParserRobustnessTest extends ImapTestBase {

    @Test
    void sec5_5_pipelinedCommandsAnsweredInOrder() throws Exception {
        var c = login();
        c.write("p1 CREATE Box\r\np2 APPEND Box {10+}\r\nSubject: x\r\np3 SELECT Box\r\np4 FETCH 1 (UID RFC822.SIZE)\r\n"
                + "p5 STORE 1 +FLAGS (\\Seen)\r\np6 SEARCH SEEN\r\np7 LOGOUT\r\n");
        assertTrue(c.readUntilTagged("p1").ok());
        assertTrue(c.readUntilTagged("p2").ok());
        assertTrue(c.readUntilTagged("p3").ok());
        assertEquals("* 1 FETCH (UID 1 RFC822.SIZE 10)", c.readUntilTagged("p4").untagged().getFirst());
        assertTrue(c.readUntilTagged("p5").ok());
        assertEquals("* SEARCH 1", c.readUntilTagged("p6").untagged().getFirst());
        assertTrue(c.readUntilTagged("p7").ok());
    }

    @Test
    void sec9_malformedLinesGetBadWithTheirTag() throws Exception {
        var c = login();
        String[][] cases = {
            {"x1 BOGUS", "x1 BAD "},
            {"x2 SELECT", "x2 BAD "},
            {"x3 SELECT \"unterminated", "x3 BAD "},
            {"x4 LIST \"\"", "x4 BAD "},
            {"x5 STATUS INBOX (MESSAGES", "x5 BAD "},
            {"x6 LOGIN", "x6 BAD "},
            {"x7  NOOP", "x7 BAD "},
            {"x8 NOOP extra", "x8 BAD "},
            {"x9 FETCH", "x9 BAD "},
            {"x10 UID BOGUS 1", "x10 BAD "},
            {"x11 SELECT \"a\\b\"", "x11 BAD "},
        };
        for (var k : cases) {
            c.write(k[0] + "\r\n");
            var line = c.readResponse();
            assertTrue(line.startsWith(k[1]), k[0] + " -> " + line);
        }
        c.write("\r\n");
        c.write("*bad\r\n");
        assertTrue(c.readResponse().matches("\\S+ BAD .*"));
        assertTrue(c.run("NOOP").ok());
    }

    @Test
    void sec9_badLineWithNonSynchronizingLiteralIsSkippedWhole() throws Exception {
        var c = login();
        c.write("b1 BOGUS {5+}\r\nNOOP!\r\nb2 NOOP\r\n");
        assertTrue(c.readResponse().startsWith("b1 BAD"));
        assertEquals("b2 OK NOOP completed.", c.readUntilTagged("b2").tagged());
    }

    @Test
    void sec9_oversizedSynchronizingLiteralIsRefusedBeforeItIsSent() throws Exception {
        var c = login();
        c.write("b1 APPEND INBOX {99999999999}\r\n");
        var line = c.readResponse();
        assertTrue(line.startsWith("b1 BAD") || line.startsWith("b1 NO"), line);
        assertTrue(c.run("NOOP").ok());
    }

    @Test
    void sec9_overlongLineEndsTheSessionWithBye() throws Exception {
        var c = connect();
        try {
            c.write("a1 LOGIN " + "x".repeat(200_000) + " y\r\n");
        } catch (java.io.IOException closedWhileSending) {
            // the server may stop reading as soon as the line is too long
        }
        var line = c.readResponse();
        assertTrue(line.startsWith("* BYE") || line.startsWith("a1 BAD"), line);
        assertTrue(server.connect().greeting().startsWith("* OK"), "server still accepts connections");
    }

    @Test
    void sec9_randomGarbageNeverKillsTheServerOrLeaksAStackTrace() throws Exception {
        var random = new Random(3501);
        var c = login();
        c.expectOk("SELECT INBOX");
        String[] words = {"FETCH", "1", "1:*", "*", "(", ")", "[", "]", "BODY", "BODY.PEEK[", "<0.5>", "\"", "{3}",
            "{2+}", "SEARCH", "OR", "NOT", "UID", "STORE", "+FLAGS", "\\Seen", "HEADER.FIELDS", "LIST", "\"\"",
            "%", "&", "-", "\\", "\u00ff", "\u0000", "CHARSET", "SELECT", "APPEND", "INBOX", "2147483648", "0"};
        for (int i = 0; i < 300; i++) {
            var line = new StringBuilder("g").append(i).append(' ');
            int n = 1 + random.nextInt(8);
            for (int w = 0; w < n; w++) {
                line.append(words[random.nextInt(words.length)]).append(random.nextBoolean() ? " " : "");
            }
            var text = line.toString().replace("{3}", "").replace("{2+}", "{2+}\r\nab");
            c.write(text + "\r\n");
            c.write("z" + i + " NOOP\r\n");
            var r = c.readUntilTagged("z" + i);
            for (var l : r.untagged()) {
                assertFalse(l.contains("Exception") || l.contains("\tat "), text + " -> " + l);
            }
            if (r.untagged().stream().anyMatch(l -> l.startsWith("* BYE"))) {
                c = login();
                c.expectOk("SELECT INBOX");
            }
        }
        assertTrue(c.run("NOOP").ok());
    }
}
