package org.roost.imap.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.roost.testing.PythonScript;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * RFC 6203 over the wire, byte for byte: FUZZY before a key (§2), the RELEVANCY return option and its scores
 * (§3), from the full-text index once it caught up, and by the exact rule for what it does not hold yet.
 */
@Timeout(120)
class FuzzySearchTest {
    private TestServer server;
    private RawImapClient client;
    private String user;

    @BeforeEach
    void mailbox() throws Exception {
        server = TestServer.shared();
        user = server.newUser();
        deliver("Greeting", "helo there");
        deliver("Greeting", "hello world");
        deliver("Farewell", "goodbye all");
        client = server.login(user);
        client.expectOk("SELECT INBOX");
    }

    @AfterEach
    void close() throws Exception {
        client.close();
    }

    @Test
    void theRfcExampleAnswersEachMessageFoundWithItsRelevancy() throws Exception {
        awaitIndexed();
        // RFC 6203 §3: C: MYTAG SEARCH RETURN (RELEVANCY ALL) FUZZY TEXT "Helo"
        assertEquals(List.of("* ESEARCH (TAG \"MYTAG\") ALL 1:2 RELEVANCY (100 50)", "MYTAG OK SEARCH completed."),
                client.command("MYTAG", "SEARCH RETURN (RELEVANCY ALL) FUZZY TEXT \"Helo\""));
        assertEquals(List.of("* SEARCH 1 2", "b OK SEARCH completed."), client.command("b", "SEARCH FUZZY BODY helo"));
        assertEquals(List.of("* ESEARCH (TAG \"c\") UID ALL 1:2 RELEVANCY (100 50)", "c OK UID SEARCH completed."),
                client.command("c", "UID SEARCH RETURN (RELEVANCY) FUZZY BODY helo"));
        // without FUZZY the match is exact, and exact is the most relevant
        assertEquals(List.of("* ESEARCH (TAG \"d\") ALL 1 RELEVANCY (100)", "d OK SEARCH completed."),
                client.command("d", "SEARCH RETURN (ALL RELEVANCY) BODY helo"));
        assertEquals(List.of("* ESEARCH (TAG \"e\") COUNT 2", "e OK SEARCH completed."),
                client.command("e", "SEARCH RETURN (COUNT) FUZZY BODY helo"));
    }

    @Test
    void fuzzyNestsAndChangesNothingOfKeysThatAreNotText() throws Exception {
        awaitIndexed();
        assertEquals(List.of("* SEARCH 1 2 3", "a OK SEARCH completed."), client.command("a", "SEARCH FUZZY ALL"));
        assertEquals(List.of("* SEARCH", "b OK SEARCH completed."), client.command("b", "SEARCH FUZZY SEEN"));
        assertEquals(List.of("* ESEARCH (TAG \"c\") ALL 2 RELEVANCY (50)", "c OK SEARCH completed."),
                client.command("c", "SEARCH RETURN (RELEVANCY) FUZZY FUZZY (NOT SUBJECT farewell NOT BODY there BODY helo)"));
        assertEquals(List.of("* ESEARCH (TAG \"d\") ALL 2:3 RELEVANCY (50 100)", "d OK SEARCH completed."),
                client.command("d", "SEARCH RETURN (RELEVANCY) UID 2:3 FUZZY OR BODY helo SUBJECT farewell"));
    }

    @Test
    void sortByRelevancyPutsTheHighestScoreFirst() throws Exception {
        awaitIndexed();
        deliver("Again", "helo again"); // 100 whether the index holds it yet or the exact rule decides
        client.expectOk("NOOP");
        // RFC 6203 §6: the message with the highest score first; equal scores in mailbox order (RFC 5256 §3)
        assertEquals(List.of("* SORT 1 4 2", "a OK SORT completed."),
                client.command("a", "SORT (RELEVANCY) UTF-8 FUZZY BODY helo"));
        assertEquals(List.of("* SORT 2 1 4", "b OK SORT completed."),
                client.command("b", "SORT (REVERSE RELEVANCY) UTF-8 FUZZY BODY helo"));
        assertEquals(List.of("* SORT 4 1 2", "c OK SORT completed."),
                client.command("c", "SORT (SUBJECT RELEVANCY) UTF-8 FUZZY BODY helo"));
        // ESORT's RELEVANCY return option: the scores in sort order
        assertEquals(List.of("* ESEARCH (TAG \"d\") UID ALL 1,4,2 RELEVANCY (100 100 50)", "d OK UID SORT completed."),
                client.command("d", "UID SORT RETURN (ALL RELEVANCY) (RELEVANCY) UTF-8 FUZZY BODY helo"));
        // without FUZZY every message found is an exact match: all 100, in mailbox order
        assertEquals(List.of("* SORT 1 4", "e OK SORT completed."), client.command("e", "SORT (RELEVANCY) UTF-8 BODY helo"));
    }

    @Test
    void aSortByRelevancyKeptUpToDateInsertsNewMessagesAtTheirScore() throws Exception {
        awaitIndexed();
        assertEquals(List.of("* ESEARCH (TAG \"u\") UID ALL 1:2", "u OK UID SORT completed."),
                client.command("u", "UID SORT RETURN (UPDATE) (RELEVANCY) UTF-8 FUZZY BODY helo"));
        deliver("Again", "helo again");
        // CONTEXT=SORT (RFC 5267 §4.3.2): the new exact match (100) goes after 1 (100), before 2 (50)
        assertEquals(List.of("* ESEARCH (TAG \"u\") UID ADDTO (2 4)"), client.expectOk("NOOP").untagged().stream()
                .filter(line -> line.startsWith("* ESEARCH")).toList());
    }

    @Test
    void whatTheIndexDoesNotHoldIsMatchedExactly() throws Exception {
        // before the index caught up (or for a needle under three characters) the matcher's exact rule decides
        assertEquals(List.of("* ESEARCH (TAG \"a\") ALL 1:2 RELEVANCY (100 100)", "a OK SEARCH completed."),
                client.command("a", "SEARCH RETURN (RELEVANCY) FUZZY BODY he"));
    }

    @Test
    void malformedAndHostileFuzzySearchesGetPreciseAnswers() throws Exception {
        assertEquals("a BAD", client.tagged("a", "SEARCH FUZZY").substring(0, 5));
        assertEquals("b BAD", client.tagged("b", "SEARCH RETURN (RELEVANCY RELEVANCY) FUZZY BODY x").substring(0, 5));
        assertEquals("c BAD Unknown sort criterion RELEVANCE",
                client.tagged("c", "SORT (RELEVANCE) UTF-8 FUZZY BODY helo").replaceAll("\\.$", ""));
        awaitIndexed();
        var needle = "x".repeat(1 << 20);
        client.send("d SEARCH FUZZY BODY {" + needle.length() + "+}\r\n" + needle);
        assertEquals(List.of("* SEARCH", "d OK SEARCH completed."), List.of(client.readLine(), client.readLine()));
        assertEquals(List.of("* SEARCH 2", "e OK SEARCH completed."), client.command("e", "SEARCH BODY world"));
    }

    @Test
    void pythonsImaplibSearchesFuzzilyAndReadsTheRelevancies() throws Exception {
        awaitIndexed();
        try (var python = PythonScript.start("imaplib_fuzzy_search.py", "127.0.0.1",
                Integer.toString(server.imapPort()), user, TestServer.PASSWORD)) {
            assertEquals(0, python.exitCode(), python.lines().toString());
            assertEquals(List.of("CAPABILITY True", "SEARCH ('OK', [b'1 2'])",
                    "ESEARCH OK b'ALL 1:2 RELEVANCY (100 50)'", "SORT ('OK', [b'2 1'])"), python.lines());
        }
    }

    /** Searches until the index answers the fuzzy needle (it catches up after the first search asks). */
    private void awaitIndexed() throws Exception {
        while (!client.command("w", "SEARCH FUZZY BODY helo").getFirst().equals("* SEARCH 1 2")) {
            Thread.sleep(50);
        }
    }

    private void deliver(String subject, String body) throws Exception {
        server.deliver(user, "From: a@example.org\r\nSubject: " + subject + "\r\n\r\n" + body + "\r\n");
    }
}
