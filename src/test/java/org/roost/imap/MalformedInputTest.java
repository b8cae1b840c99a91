package org.roost.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * Bad input gets a protocol answer — BAD for a command that breaks the grammar, BYE and close for
 * abuse — never a stack trace and never a dead server. After every case another client is served.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedInputTest {
    private static final int MAX_LINE = 1024;
    private static final int MAX_PRE_AUTH_LITERAL = 4096;
    TestServer server;

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        server = TestServer.start(dir, Map.of(
                "ROOST_LIMITS_MAXLINELENGTH", Integer.toString(MAX_LINE),
                "ROOST_LIMITS_MAXPREAUTHLITERALSIZE", Integer.toString(MAX_PRE_AUTH_LITERAL)));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    /** The server still greets and answers a fresh client. */
    @AfterEach
    void anotherClientIsStillServed() throws IOException {
        try (var c = server.imap()) {
            assertTrue(c.greeting().startsWith("* OK [CAPABILITY "));
            assertEquals("z OK NOOP completed.", c.tagged("z", "NOOP"));
        }
    }

    private RawImapClient client() throws IOException {
        var c = server.imap();
        c.greeting();
        return c;
    }

    private static byte[] bytes(String ascii) {
        return ascii.getBytes(StandardCharsets.ISO_8859_1);
    }

    // ---- line length (RFC 7162 §4 recommends a bound; we answer BYE and close)

    @Test
    void overlongLineIsByeAndClose() throws IOException {
        try (var c = client()) {
            c.send("a NOOP " + "x".repeat(MAX_LINE * 2));
            assertEquals("* BYE Line too long", c.readLine());
            c.assertClosedByServer();
        }
    }

    @Test
    void overlongLineWithoutEndIsByeAndClose() throws IOException {
        try (var c = client()) {
            c.write(bytes("a LOGIN " + "y".repeat(MAX_LINE + 1)));
            assertEquals("* BYE Line too long", c.readLine());
            c.assertClosedByServer();
        }
    }

    @Test
    void lineJustUnderTheLimitIsAnsweredNormally() throws IOException {
        try (var c = client()) {
            var line = "a NOOP " + "x".repeat(MAX_LINE - "a NOOP ".length() - 2);
            c.send(line);
            assertEquals("a BAD Expected end of line", c.readLine());
            assertEquals("b OK NOOP completed.", c.tagged("b", "NOOP"));
        }
    }

    @Test
    void longLinesSpreadOverLiteralsAreCountedPerLine() throws IOException {
        try (var c = client()) {
            var user = "u".repeat(MAX_LINE - 100);
            c.send("a LOGIN {" + user.length() + "+}");
            c.send(user + " {" + user.length() + "+}");
            c.send(user);
            assertEquals("a NO [AUTHENTICATIONFAILED] Authentication failed.", c.readLine());
        }
    }

    // ---- literals (RFC 3501 §4.3, RFC 7888)

    @Test
    void literalWithoutDigitsIsBad() throws IOException {
        try (var c = client()) {
            c.send("a LOGIN {abc}");
            assertEquals("a BAD Expected a literal size", c.readLine());
            assertEquals("b OK NOOP completed.", c.tagged("b", "NOOP"));
        }
    }

    @Test
    void hugeSynchronizingLiteralIsRefusedWithoutAContinuation() throws IOException {
        try (var c = client()) {
            c.send("a LOGIN {99999999999}");
            assertEquals("a BAD [TOOBIG] Literal of 99999999999 bytes is too big", c.readLine(),
                    "refused at once, no '+' continuation, so the client never sends it");
            assertEquals("b OK NOOP completed.", c.tagged("b", "NOOP"));
        }
    }

    @Test
    void literalSizeBeyondAnyNumberIsRefused() throws IOException {
        try (var c = client()) {
            c.send("a LOGIN {99999999999999999999999}");
            assertEquals("a BAD [TOOBIG] Literal size is out of range", c.readLine(), "not 'Literal of -1 bytes'");
            assertEquals("b OK NOOP completed.", c.tagged("b", "NOOP"));
        }
    }

    @Test
    void literalAboveThePreAuthLimitIsRefused() throws IOException {
        try (var c = client()) {
            c.send("a LOGIN {" + (MAX_PRE_AUTH_LITERAL + 1) + "}");
            assertEquals("a BAD [TOOBIG] Literal of " + (MAX_PRE_AUTH_LITERAL + 1) + " bytes is too big", c.readLine());
            c.send("b LOGIN {" + MAX_PRE_AUTH_LITERAL + "}");
            assertEquals("+ Ready for literal data", c.readLine(), "a literal at the limit is accepted");
            c.write(bytes("q".repeat(MAX_PRE_AUTH_LITERAL)));
            c.send(" x");
            assertEquals("b NO [AUTHENTICATIONFAILED] Authentication failed.", c.readLine());
        }
    }

    @Test
    void nonSynchronizingLiteralTooBigIsByeAndClose() throws IOException {
        try (var c = client()) {
            c.send("a LOGIN {" + (MAX_PRE_AUTH_LITERAL + 1) + "+}");
            assertEquals("* BYE Literal too big", c.readLine(), "LITERAL+ data is already on its way: the stream cannot be resynchronized");
            c.assertClosedByServer();
        }
    }

    @Test
    void nonSynchronizingLiteralIsSkippedWithABadCommand() throws IOException {
        try (var c = client()) {
            c.send("a FROBNICATE {5+}");
            c.send("b NOO");
            assertEquals("a BAD Unknown command FROBNICATE", c.readLine());
            assertEquals("c OK NOOP completed.", c.tagged("c", "NOOP"), "the literal's bytes were not taken as a command");
        }
    }

    @Test
    void literalCutShortByTheClientEndsTheSession() throws IOException {
        try (var c = client()) {
            c.send("a LOGIN {10+}");
            c.write(bytes("abc"));
            c.socket().shutdownOutput();
            c.assertClosedByServer();
        }
    }

    // ---- garbage

    @Test
    void binaryGarbageIsBad() throws IOException {
        try (var c = client()) {
            c.write(new byte[] {0, 1, (byte) 0xff, (byte) 0xfe, ' ', 'x', '\r', '\n'});
            assertEquals("* BAD Expected a tag", c.readLine());
            assertEquals("b OK NOOP completed.", c.tagged("b", "NOOP"));
        }
    }

    @Test
    void nulBytesAreBad() throws IOException {
        try (var c = client()) {
            c.write(bytes("a NOOP\0\r\n"));
            assertEquals("a BAD Expected end of line", c.readLine());
            c.write(bytes("b LOGIN \"al\0ice\" x\r\n"));
            assertEquals("b BAD NUL in a quoted string", c.readLine());
            c.write(bytes("c\0 NOOP\r\n"));
            assertEquals("c BAD Expected a space", c.readLine());
            assertEquals("d OK NOOP completed.", c.tagged("d", "NOOP"));
        }
    }

    @Test
    void grammarErrorsAreBadWithTheTag() throws IOException {
        try (var c = client()) {
            assertEquals("a BAD Unknown command SELECTT", c.tagged("a", "SELECTT INBOX"));
            assertEquals("b BAD Expected a space", c.tagged("b", "LOGIN"));
            assertEquals("c BAD Unterminated quoted string", c.tagged("c", "LOGIN \"alice"));
            assertEquals("d BAD Expected an atom", c.tagged("d", ""));
            c.send("+ NOOP");
            assertEquals("* BAD Expected a tag", c.readLine());
            c.send("");
            c.send("   ");
            assertEquals("* BAD Expected a tag", c.readLine(), "empty lines are skipped, blanks are not a tag");
            assertEquals("e OK NOOP completed.", c.tagged("e", "NOOP"));
        }
    }

    @Test
    void bareLineFeedIsAcceptedAsLineEnd() throws IOException {
        try (var c = client()) {
            c.write(bytes("a NOOP\n"));
            assertEquals("a OK NOOP completed.", c.readLine());
        }
    }

    /** Seeded random lines (no '{', so no literal swallows the probe): only BAD/NO answers, the session survives. */
    @Test
    void randomGarbageLinesNeverBreakTheSession() throws IOException {
        var random = new Random(20261128L);
        try (var c = client()) {
            for (int i = 0; i < 300; i++) {
                c.write(randomLine(random));
                c.send("p" + i + " NOOP");
                while (true) {
                    var line = c.readLine();
                    if (line.startsWith("p" + i + " ")) {
                        assertEquals("p" + i + " OK NOOP completed.", line);
                        break;
                    }
                    assertTrue(line.startsWith("* BAD ") || line.matches("\\S+ (BAD|NO) .*"),
                            "round " + i + ": unexpected answer <" + line + ">");
                    assertFalse(line.contains("Exception"), line);
                }
            }
        }
    }

    private static byte[] randomLine(Random random) {
        var out = new ByteArrayOutputStream();
        int length = 1 + random.nextInt(200);
        for (int i = 0; i < length; i++) {
            int b = random.nextInt(256);
            if (b == '\n' || b == '\r' || b == '{') {
                b = random.nextBoolean() ? ' ' : '"';
            }
            out.write(b);
        }
        out.write('\r');
        out.write('\n');
        return out.toByteArray();
    }
}
