package org.roost.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
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
 * The bounds of IMAP are the operator's: {@code limits.maxSearchDepth}, {@code limits.maxIdParameters},
 * {@code limits.maxFetchHeaderFields} and {@code limits.maxSaslRounds} (set low here) answer BAD one
 * step beyond them, and the session goes on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProtocolLimitsTest {
    private TestServer server;
    private RawImapClient client;

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        server = TestServer.start(dir, Map.of("ROOST_LIMITS_MAXSEARCHDEPTH", "3", "ROOST_LIMITS_MAXIDPARAMETERS", "2",
                "ROOST_LIMITS_MAXFETCHHEADERFIELDS", "2", "ROOST_LIMITS_MAXSASLROUNDS", "1"));
        client = server.connect();
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

    /** LOGIN asks twice (user name, password): one round is not enough, PLAIN with SASL-IR needs none. */
    @Test
    void saslExchangesTakeAsManyRoundsAsConfigured() throws IOException {
        try (var other = server.connect()) {
            assertEquals("+ VXNlcm5hbWU6", other.send("a AUTHENTICATE LOGIN").readLine());
            assertEquals("a BAD Too many authentication rounds.", other.send(base64(TestServer.ALICE)).readLine());
            var plain = base64("\0" + TestServer.ALICE + "\0" + TestServer.ALICE_PASSWORD);
            assertTrue(other.tagged("b", "AUTHENTICATE PLAIN " + plain).startsWith("b OK "));
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
