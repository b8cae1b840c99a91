package org.roost.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * The bounds of the grammar are the operator's: {@code limits.maxSearchDepth},
 * {@code limits.maxIdParameters} and {@code limits.maxFetchHeaderFields} (set low here) answer
 * BAD one step beyond them, and the session goes on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrammarLimitsTest {
    private TestServer server;
    private RawImapClient client;

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        server = TestServer.start(dir, Map.of("ROOST_LIMITS_MAXSEARCHDEPTH", "3", "ROOST_LIMITS_MAXIDPARAMETERS", "2",
                "ROOST_LIMITS_MAXFETCHHEADERFIELDS", "2"));
        client = server.imap();
        client.greeting();
        client.tagged("l", "LOGIN " + TestServer.ALICE + " \"" + TestServer.ALICE_PASSWORD + "\"");
        client.tagged("s", "SELECT INBOX");
    }

    @AfterAll
    void stop() throws IOException {
        client.close();
        server.close();
    }

    @Test
    void searchKeysNestAsDeepAsConfigured() throws IOException {
        assertEquals(List.of("* SEARCH", "a OK SEARCH completed."), client.command("a", "SEARCH NOT NOT NOT SEEN"));
        assertEquals("b BAD Search keys nested too deeply", client.tagged("b", "SEARCH NOT NOT NOT NOT SEEN"));
    }

    @Test
    void idCarriesAsManyPairsAsConfigured() throws IOException {
        assertEquals("a OK ID completed.", client.tagged("a", "ID (\"name\" \"x\" \"version\" \"1\")"));
        assertEquals("b BAD Too many ID parameters", client.tagged("b", "ID (\"name\" \"x\" \"version\" \"1\" \"os\" NIL)"));
    }

    @Test
    void headerFieldListsAreAsLongAsConfigured() throws IOException {
        assertEquals("a OK UID FETCH completed.", client.tagged("a", "UID FETCH 1:* BODY.PEEK[HEADER.FIELDS (FROM TO)]"));
        assertEquals("b BAD Too many header field names", client.tagged("b", "UID FETCH 1:* BODY.PEEK[HEADER.FIELDS (FROM TO CC)]"));
    }
}
