package org.roost.imap.objectid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.roost.imap.objectid.ObjectIdTest.login;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.TestServer;

/**
 * PREVIEW (RFC 8970) byte for byte, after the RFC's examples: a preview without LAZY (Example 1), LAZY answering
 * NIL until a preview was made and the empty string for a message without text (Example 2), the preview kept in
 * the cache file across a restart (LAZY then has it), {@code limits.maxPreviewChars}, and the modifier's grammar.
 */
class PreviewTest {
    private static final String LOREM = "Lorem ipsum dolor sit amet, consectetur adipiscing elit.\r\n"
            + "Curabitur aliquam turpis et ante dictum, et pulvinar dui congue.\r\n";

    @TempDir
    Path dir;

    @Test
    void previewsAreMadeOnceKeptAcrossARestartAndLazyGetsThemWhenMade() throws IOException {
        try (var server = TestServer.start(dir); var c = login(server)) {
            var first = "Subject: one\r\n\r\n" + LOREM;
            c.append("INBOX", "()", first.getBytes(StandardCharsets.US_ASCII));
            c.append("INBOX", "()", "Content-Type: image/gif\r\n\r\nGIF89a\r\n".getBytes(StandardCharsets.US_ASCII));
            c.append("INBOX", "()", "Subject: three\r\n\r\nMessage data from message 3.\r\n".getBytes(StandardCharsets.US_ASCII));
            c.expectOk("SELECT INBOX");
            assertEquals(List.of("* 1 FETCH (PREVIEW NIL)", "* 2 FETCH (PREVIEW NIL)", "* 3 FETCH (PREVIEW NIL)",
                    "B1 OK FETCH completed."), c.command("B1", "FETCH 1:3 (PREVIEW (LAZY))"));
            assertEquals(List.of("* 1 FETCH (RFC822.SIZE " + first.length() + " PREVIEW \"Lorem ipsum dolor sit amet,"
                    + " consectetur adipiscing elit. Curabitur aliquam turpis et ante dictum, et pulvinar dui congue.\")",
                    "A2 OK FETCH completed."), c.command("A2", "FETCH 1 (RFC822.SIZE PREVIEW)"));
            assertEquals(List.of("* 2 FETCH (PREVIEW \"\")", "B2 OK FETCH completed."), c.command("B2", "FETCH 2 PREVIEW"));
            assertEquals(List.of("* 1 FETCH (UID 1 PREVIEW \"Lorem ipsum dolor sit amet, consectetur adipiscing elit."
                    + " Curabitur aliquam turpis et ante dictum, et pulvinar dui congue.\")", "* 2 FETCH (UID 2 PREVIEW \"\")",
                    "* 3 FETCH (UID 3 PREVIEW NIL)", "B3 OK FETCH completed."), c.command("B3", "FETCH 1:3 (UID PREVIEW (LAZY))"));
        }
        try (var server = TestServer.start(dir, Map.of("ROOST_LIMITS_MAXPREVIEWCHARS", "11")); var c = login(server)) {
            c.expectOk("EXAMINE INBOX");
            assertEquals(List.of("* 1 FETCH (PREVIEW \"Lorem ipsum\")", "* 2 FETCH (PREVIEW \"\")",
                    "* 3 FETCH (PREVIEW NIL)", "C1 OK FETCH completed."), c.command("C1", "FETCH 1:3 (PREVIEW (lazy))"),
                    "made before the restart, kept in the cache file, cut to the new limit");
            assertEquals(List.of("* 3 FETCH (PREVIEW \"Message dat\")", "C2 OK FETCH completed."),
                    c.command("C2", "FETCH 3 (PREVIEW)"));
        }
    }

    @Test
    void aPreviewThatIsNoQuotedStringIsALiteral() throws IOException {
        try (var server = TestServer.start(dir); var c = login(server)) {
            c.append("INBOX", "()", "Content-Type: text/plain; charset=utf-8\r\n\r\nSay \"caf\u00e9\"\r\n"
                    .getBytes(StandardCharsets.UTF_8));
            c.expectOk("SELECT INBOX");
            var literal = "Say \"caf\u00e9\"".getBytes(StandardCharsets.UTF_8);
            c.send("L1 FETCH 1 PREVIEW");
            assertEquals("* 1 FETCH (PREVIEW {" + literal.length + "}", c.readLine());
            assertEquals(new String(literal, StandardCharsets.ISO_8859_1), new String(c.readBytes(literal.length),
                    StandardCharsets.ISO_8859_1));
            assertEquals(")", c.readLine());
            assertEquals("L1 OK FETCH completed.", c.readLine());
        }
    }

    @Test
    void onlyLazyIsAModifier() throws IOException {
        try (var server = TestServer.start(dir); var c = login(server)) {
            c.append("INBOX", "()", "Subject: a\r\n\r\nb\r\n".getBytes(StandardCharsets.US_ASCII));
            c.expectOk("SELECT INBOX");
            assertTrue(c.command("1", "FETCH 1 (PREVIEW (FAST))").getLast().startsWith("1 BAD "));
            assertTrue(c.command("2", "FETCH 1 (PREVIEW ())").getLast().startsWith("2 BAD "));
            assertEquals(List.of("* 1 FETCH (PREVIEW NIL UID 1)", "3 OK FETCH completed."),
                    c.command("3", "FETCH 1 (PREVIEW (LAZY LAZY) UID)"));
            assertEquals(List.of("* 1 FETCH (PREVIEW \"b\" UID 1)", "4 OK FETCH completed."),
                    c.command("4", "FETCH 1 (PREVIEW UID)"));
        }
    }
}
