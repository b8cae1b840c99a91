package org.roost.pop3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Pop3CommandParserTest {

    @Test
    void commandsAndArguments() throws Exception {
        assertEquals(new Pop3Command.List(OptionalInt.empty()), Pop3CommandParser.parse("list"));
        assertEquals(new Pop3Command.List(OptionalInt.of(7)), Pop3CommandParser.parse("LIST 7"));
        assertEquals(new Pop3Command.Top(2, 0), Pop3CommandParser.parse("TOP 2 0"));
        assertEquals(new Pop3Command.User("a@b.example"), Pop3CommandParser.parse("USER a@b.example"));
        assertEquals(new Pop3Command.Stat(), Pop3CommandParser.parse("STAT  "), "trailing spaces are tolerated");
        var pass = assertInstanceOf(Pop3Command.Pass.class, Pop3CommandParser.parse("PASS  two words "));
        assertArrayEquals(" two words ".getBytes(StandardCharsets.UTF_8), pass.password(), "RFC 1939 §7: spaces belong to the password");
        var auth = assertInstanceOf(Pop3Command.Auth.class, Pop3CommandParser.parse("AUTH PLAIN ="));
        assertArrayEquals(new byte[0], auth.initialResponse().orElseThrow());
    }

    @Test
    void base64IsStrict_rfc5034() {
        assertEquals(3, Pop3CommandParser.base64("YWJj").orElseThrow().length);
        assertEquals(true, Pop3CommandParser.base64("=AAA").isEmpty());
        assertEquals(true, Pop3CommandParser.base64("AAA=BBBB").isEmpty());
        assertEquals(true, Pop3CommandParser.base64("YWJ").isEmpty());
        assertEquals(true, Pop3CommandParser.base64("YW J").isEmpty());
    }

    @Test
    void errorsNameTheProblem() {
        var e = assertThrows(Pop3SyntaxException.class, () -> Pop3CommandParser.parse("XYZZY now"));
        assertEquals("Unknown command: XYZZY", e.getMessage());
        assertEquals("UNKNOWN", e.commandName());
        e = assertThrows(Pop3SyntaxException.class, () -> Pop3CommandParser.parse("RETR 1 2"));
        assertEquals("RETR needs a message number.", e.getMessage());
        assertEquals("RETR", e.commandName());
        e = assertThrows(Pop3SyntaxException.class, () -> Pop3CommandParser.parse("\u0001\u00ff"));
        assertEquals("Unknown command: ??", e.getMessage(), "control bytes are not echoed");
    }

    @Test
    void randomLinesNeverEscapeAsAnythingButASyntaxError() {
        var random = new Random(2449);
        String[] words = {"USER", "PASS", "APOP", "AUTH", "TOP", "LIST", "UIDL", "RETR", "DELE", "STAT", "=", "*",
                "0", "1", "-1", "99999999999999999999", "abc", "YWJj", "\u00e9", "\t", ""};
        for (int round = 0; round < 20_000; round++) {
            var line = new StringBuilder();
            int n = random.nextInt(5);
            for (int i = 0; i < n; i++) {
                line.append(words[random.nextInt(words.length)]).append(random.nextBoolean() ? " " : "  ");
            }
            try {
                Pop3CommandParser.parse(line.toString());
            } catch (Pop3SyntaxException expected) {
                // a clear -ERR for the client
            }
        }
    }
}
