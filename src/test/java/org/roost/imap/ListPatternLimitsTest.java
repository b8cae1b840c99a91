package org.roost.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.PythonScript;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * Issue 11: LIST wildcards were compiled into a backtracking regular expression, so that
 * {@code *%*%*%*%*%*%*%*%*%*%x} (43 bytes) took 50 s and every added pair multiplied it. Now any
 * pattern is matched in linear time, and its length and wildcards are bounded by
 * {@code limits.maxListPatternLength} and {@code limits.maxListWildcards} (set low here).
 * Timeouts only catch a hang.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ListPatternLimitsTest {
    private static final String ISSUE_PATTERN = "*%".repeat(10) + "x";
    private TestServer server;
    private RawImapClient client;

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        server = TestServer.start(dir, Map.of("ROOST_LIMITS_MAXLISTPATTERNLENGTH", "300", "ROOST_LIMITS_MAXLISTWILDCARDS", "40"));
        client = server.imap();
        client.greeting();
        client.tagged("l", "LOGIN " + TestServer.ALICE + " \"" + TestServer.ALICE_PASSWORD + "\"");
        for (var name : List.of("Archive", "Archive.2023", "Archive.2024", "Lists.dev.java", "Sent",
                "Correspondence.With.The.Revenue.Office.About.2023")) {
            var created = client.tagged("c", "CREATE " + name);
            assertTrue(created.startsWith("c OK [MAILBOXID (") && created.endsWith(")] CREATE completed."), created);
        }
        assertEquals("s OK SUBSCRIBE completed.", client.tagged("s", "SUBSCRIBE Lists.dev.java"));
    }

    @AfterAll
    void stop() throws IOException {
        client.close();
        server.close();
    }

    @Test
    void theIssuesPatternIsAnsweredAtOnce() throws IOException {
        // folded to "*x"; the X of INBOX matches x, since INBOX is case-insensitive (RFC 3501 §5.1)
        assertEquals(List.of("* LIST (\\HasNoChildren) \".\" INBOX", "a OK LIST completed."),
                client.command("a", "LIST \"\" \"" + ISSUE_PATTERN + "\""));
        assertEquals(List.of("b OK LSUB completed."), client.command("b", "LSUB \"\" " + ISSUE_PATTERN));
    }

    @Test
    void twentyPairsAreAnsweredAtOnce() throws IOException {
        var pattern = "*%".repeat(20) + "a";
        assertEquals(List.of("* LIST (\\HasNoChildren) \".\" Lists.dev.java", "a OK LIST completed."),
                client.command("a", "LIST \"\" " + pattern));
    }

    @Test
    void wildcardsBeyondTheLimitAreABadCommand() throws IOException {
        assertEquals("a OK LIST completed.", client.tagged("a", "LIST \"\" " + "*".repeat(40)).substring(0, 20));
        assertEquals("b BAD [LIMIT] Too many wildcards in the mailbox pattern (at most 40 with the reference name).",
                client.tagged("b", "LIST \"\" " + "*".repeat(41)));
        assertEquals("c BAD [LIMIT] Too many wildcards in the mailbox pattern (at most 40 with the reference name).",
                client.tagged("c", "LSUB \"" + "%".repeat(21) + "\" " + "*%".repeat(10)));
        assertEquals("d OK NOOP completed.", client.tagged("d", "NOOP"), "the session goes on");
    }

    @Test
    void patternsBeyondTheLengthLimitAreABadCommand() throws IOException {
        assertEquals(List.of("a OK LIST completed."), client.command("a", "LIST \"\" " + "q".repeat(300)));
        assertEquals("b BAD [LIMIT] Mailbox pattern too long (at most 300 characters with the reference name).",
                client.tagged("b", "LIST \"\" " + "q".repeat(301)));
        assertEquals("c BAD [LIMIT] Mailbox pattern too long (at most 300 characters with the reference name).",
                client.tagged("c", "LSUB " + "Archive.".repeat(20) + " {141+}\r\n" + "q".repeat(141)));
        assertEquals("d BAD [LIMIT] Mailbox pattern too long (at most 300 characters with the reference name).",
                client.tagged("d", "LIST " + "r".repeat(301) + " \"\""), "also when only the hierarchy root is asked for");
    }

    @Test
    void theLimitsCountEveryPatternOfAnExtendedList() throws IOException {
        // 8 patterns of 5 wildcards: 40, the limit; one more pattern is over it
        var eight = (" " + "*%".repeat(2) + "%a").repeat(8).strip();
        assertEquals("a OK LIST completed.", client.tagged("a", "LIST \"\" (" + eight + ")"));
        assertEquals("b BAD [LIMIT] Too many wildcards in the mailbox pattern (at most 40 with the reference name).",
                client.tagged("b", "LIST (SUBSCRIBED RECURSIVEMATCH) \"\" (" + eight + " *) RETURN (CHILDREN)"));
        // 300 characters in all with the reference name joined to each of three patterns
        assertEquals("c OK LIST completed.", client.tagged("c", "LIST " + "R".repeat(50) + " (" + "q".repeat(50)
                + " " + "q".repeat(50) + " " + "q".repeat(50) + ")"));
        assertEquals("d BAD [LIMIT] Mailbox pattern too long (at most 300 characters with the reference name).",
                client.tagged("d", "LIST " + "R".repeat(50) + " (" + "q".repeat(50) + " " + "q".repeat(50) + " "
                        + "q".repeat(51) + ") RETURN (STATUS (MESSAGES))"));
        // a hundred empty patterns are nothing to match: each reference name alone is counted
        assertEquals(List.of("e OK LIST completed."), client.command("e", "LIST \"\" (" + "\"\" ".repeat(100) + "\"\")"));
        assertEquals("f OK NOOP completed.", client.tagged("f", "NOOP"), "the session goes on");
    }

    @Test
    void theIssuesPatternOnTheExtendedPathsIsAnsweredAtOnce() throws IOException {
        assertEquals(List.of("* LIST (\\HasNoChildren \\Subscribed) \".\" Lists.dev.java",
                        "* STATUS Lists.dev.java (MESSAGES 0 SIZE 0 DELETED 0)", "a OK LIST completed."),
                client.command("a", "LIST (SUBSCRIBED RECURSIVEMATCH) \"\" (\"" + ISSUE_PATTERN + "\" *%*%*%*%java)"
                        + " RETURN (CHILDREN SPECIAL-USE STATUS (MESSAGES SIZE DELETED))"));
        assertEquals(List.of("* LIST (\\NonExistent) \".\" Lists (\"CHILDINFO\" (\"SUBSCRIBED\"))",
                        "b OK LIST completed."),
                client.command("b", "LIST (SUBSCRIBED RECURSIVEMATCH) \"\" %%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%s"));
    }

    @Test
    void imaplibGetsTheListAndTheLimit() throws Exception {
        try (var python = PythonScript.start("imap/imaplib_long_commands.py", "list",
                Integer.toString(server.imapPort()), TestServer.ALICE, TestServer.ALICE_PASSWORD)) {
            assertEquals(0, python.exitCode(), python.lines().toString());
            assertEquals(List.of("LIST OK ['(\\\\HasNoChildren) \".\" INBOX']",
                    "LIST-TOO-MANY LIST command error: BAD [b'[LIMIT] Too many wildcards in the mailbox pattern"
                            + " (at most 40 with the reference name).']"), python.lines());
        }
    }
}
