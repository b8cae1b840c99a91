package org.roost.imap.objectid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.roost.imap.objectid.ObjectIdTest.login;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.ImapCapabilities;
import org.roost.testing.TestServer;

/**
 * PREVIEW=FUZZY and SNIPPET=FUZZY, the drafts before RFC 8970 that Dovecot 2.3 still answers, byte for byte as
 * Dovecot 2.3.19 answers them (asked of a private Dovecot on loopback): {@code SNIPPET} (draft-slusarz-imap-fetch-
 * snippet-00) always names its algorithm, {@code PREVIEW} does once {@code FUZZY} or {@code LAZY=FUZZY} is asked
 * (draft-ietf-extra-imap-fetch-preview-06), {@code PREVIEW} and {@code PREVIEW (LAZY)} stay RFC 8970's. The text
 * is RFC 8970's, made once and kept.
 */
@Timeout(60)
class FuzzyPreviewTest {
    private static final String TEXT = "Subject: hello\r\n\r\nHello world, this is the preview.\r\n";
    private static final String PREVIEW = "\"Hello world, this is the preview.\"";

    @TempDir
    Path dir;

    @Test
    void snippetAndFuzzyPreviewNameTheAlgorithm() throws IOException {
        try (var server = TestServer.start(dir); var c = login(server)) {
            c.append("INBOX", "()", TEXT.getBytes(StandardCharsets.US_ASCII));
            c.append("INBOX", "()", TEXT.getBytes(StandardCharsets.US_ASCII));
            c.expectOk("SELECT INBOX");
            assertEquals(List.of("* 2 FETCH (SNIPPET (FUZZY NIL))", "a OK FETCH completed."),
                    c.command("a", "FETCH 2 (SNIPPET (LAZY))"), "LAZY: none made yet");
            assertEquals(List.of("* 2 FETCH (PREVIEW (FUZZY NIL))", "b OK FETCH completed."),
                    c.command("b", "FETCH 2 (PREVIEW (LAZY=FUZZY))"));
            assertEquals(List.of("* 1 FETCH (SNIPPET (FUZZY " + PREVIEW + "))", "c OK FETCH completed."),
                    c.command("c", "FETCH 1 (SNIPPET (FUZZY))"));
            assertEquals(List.of("* 1 FETCH (SNIPPET (FUZZY " + PREVIEW + "))", "d OK FETCH completed."),
                    c.command("d", "FETCH 1 SNIPPET"));
            assertEquals(List.of("* 1 FETCH (PREVIEW (FUZZY " + PREVIEW + "))", "e OK FETCH completed."),
                    c.command("e", "FETCH 1 (PREVIEW (FUZZY))"));
            assertEquals(List.of("* 1 FETCH (PREVIEW " + PREVIEW + ")", "f OK FETCH completed."),
                    c.command("f", "FETCH 1 (PREVIEW (LAZY))"), "without FUZZY, RFC 8970's answer");
            assertEquals(List.of("* 1 FETCH (SNIPPET (FUZZY " + PREVIEW + ") PREVIEW " + PREVIEW + " UID 1)",
                    "g OK FETCH completed."), c.command("g", "FETCH 1 (snippet (fuzzy) PREVIEW UID)"));
            assertEquals(List.of("* 2 FETCH (PREVIEW " + PREVIEW + " PREVIEW (FUZZY " + PREVIEW + "))",
                    "h OK FETCH completed."), c.command("h", "FETCH 2 (PREVIEW (LAZY) PREVIEW (FUZZY))"),
                    "one item that is not LAZY makes the preview for both");
            assertEquals(List.of("* 1 FETCH (PREVIEW (FUZZY " + PREVIEW + ") SNIPPET (FUZZY " + PREVIEW + "))",
                    "i OK FETCH completed."), c.command("i", "FETCH 1 (PREVIEW (FUZZY LAZY) SNIPPET (FUZZY FUZZY))"),
                    "modifiers in any order and repeated (Dovecot 2.3.19 crashes on both)");
        }
    }

    @Test
    void aSnippetThatIsNoQuotedStringIsALiteralInsideTheList() throws IOException {
        try (var server = TestServer.start(dir); var c = login(server)) {
            c.append("INBOX", "()", "Content-Type: text/plain; charset=utf-8\r\n\r\nSay \"caf\u00e9\"\r\n"
                    .getBytes(StandardCharsets.UTF_8));
            c.expectOk("SELECT INBOX");
            var literal = "Say \"caf\u00e9\"".getBytes(StandardCharsets.UTF_8);
            c.send("L1 FETCH 1 SNIPPET");
            assertEquals("* 1 FETCH (SNIPPET (FUZZY {" + literal.length + "}", c.readLine());
            assertEquals(new String(literal, StandardCharsets.ISO_8859_1), new String(c.readBytes(literal.length),
                    StandardCharsets.ISO_8859_1));
            assertEquals("))", c.readLine());
            assertEquals("L1 OK FETCH completed.", c.readLine());
        }
    }

    /** Hostile and malformed modifiers: BAD, the session goes on. */
    @Test
    void badModifiersAreBad() throws IOException {
        try (var server = TestServer.start(dir); var c = login(server)) {
            c.append("INBOX", "()", TEXT.getBytes(StandardCharsets.US_ASCII));
            c.expectOk("SELECT INBOX");
            var tag = 0;
            for (var bad : List.of("(SNIPPET (BOGUS))", "(SNIPPET ())", "(PREVIEW (FUZZY=LAZY))", "(SNIPPET (LAZY=BOGUS))",
                    "(SNIPPET \"FUZZY\")", "(SNIPPET (FUZZY)", "(SNIPPET (FUZZY)) UID", "(SNIPPETS)",
                    "(SNIPPET (" + "FUZZY ".repeat(10_000) + "X))", "(SNIPPET ((FUZZY)))")) {
                var answer = c.command("t" + tag, "FETCH 1 " + bad);
                assertTrue(answer.getLast().startsWith("t" + tag + " BAD "), bad + ": " + answer);
                tag++;
            }
            assertEquals(List.of("* 1 FETCH (SNIPPET (FUZZY " + PREVIEW + "))", "z OK FETCH completed."),
                    c.command("z", "FETCH 1 SNIPPET"));
        }
    }

    @Test
    void advertisedAfterLogin() throws IOException {
        try (var server = TestServer.start(dir); var c = login(server)) {
            assertEquals(List.of("* CAPABILITY " + ImapCapabilities.AFTER_LOGIN, "k OK CAPABILITY completed."),
                    c.command("k", "CAPABILITY"));
            assertTrue((" " + ImapCapabilities.AFTER_LOGIN + " ").contains(" PREVIEW=FUZZY SNIPPET=FUZZY "));
        }
    }
}
