package org.roost.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.TestServer;

/**
 * UNAUTHENTICATE (RFC 8437) byte for byte: back to the not-authenticated state with nothing of the first user
 * left (selected mailbox, NOTIFY, enabled extensions, the session's user), the connection (and its TLS) kept,
 * compression ended after the OK (§4.1), and the next login sees only its own mail.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UnauthenticateTest {
    private static final String LOGIN_ALICE = "LOGIN " + TestServer.ALICE + " \"" + TestServer.ALICE_PASSWORD + "\"";
    private static final String LOGIN_BOB = "LOGIN " + TestServer.BOB + " " + TestServer.BOB_PASSWORD;
    private TestServer server;

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        server = TestServer.start(dir, Map.of("ROOST_LIMITS_MAXFAILEDLOGINS", "3"));
        server.deliver(TestServer.ALICE, "Subject: for alice\r\n\r\nsecret\r\n");
        server.deliver(TestServer.ALICE, "Subject: for alice too\r\n\r\nsecret\r\n");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private Optional<String> sessionUser() {
        return server.server().sessions().list().getFirst().user();
    }

    @Test
    void aSecondLoginSeesNothingOfTheFirst() throws Exception {
        try (var client = server.imap()) {
            client.greeting();
            assertTrue(client.tagged("a", LOGIN_ALICE).startsWith("a OK"));
            assertEquals(List.of("* ENABLED CONDSTORE", "b OK ENABLE completed."), client.command("b", "ENABLE CONDSTORE"));
            assertTrue(client.command("c", "SELECT INBOX").contains("* 2 EXISTS"));
            assertEquals("d OK NOTIFY completed.", client.tagged("d", "NOTIFY SET (selected (MessageNew (UID) MessageExpunge))"));
            assertEquals(List.of("e OK Not authenticated any more."), client.command("e", "UNAUTHENTICATE"));
            assertEquals(Optional.empty(), sessionUser());
            assertEquals("f BAD Command is not valid before authentication.", client.tagged("f", "FETCH 1 FLAGS"));
            assertEquals("g BAD Command is not valid before authentication.", client.tagged("g", "SELECT INBOX"));
            var capability = client.command("h", "CAPABILITY").getFirst();
            assertTrue(capability.contains("AUTH=PLAIN") && !capability.contains("UNAUTHENTICATE"), capability);
            server.deliver(TestServer.ALICE, "Subject: while bob is here\r\n\r\nsecret\r\n");
            assertTrue(client.tagged("i", LOGIN_BOB).startsWith("i OK"));
            assertEquals(Optional.of(TestServer.BOB), sessionUser());
            var select = client.command("j", "SELECT INBOX");
            assertTrue(select.contains("* 0 EXISTS"), select.toString());
            // CONDSTORE was forgotten: enabling it is news again, and no NOTIFY of alice's speaks up
            assertTrue(client.command("k", "ENABLE CONDSTORE").contains("* ENABLED CONDSTORE"));
            assertEquals(List.of("l OK NOOP completed."), client.command("l", "NOOP"));
        }
    }

    /** RFC 8437 §3: the client may pipeline its next login after UNAUTHENTICATE. */
    @Test
    void aPipelinedLoginFollows() throws IOException {
        try (var client = server.imap()) {
            client.greeting();
            assertTrue(client.tagged("a", LOGIN_ALICE).startsWith("a OK"));
            client.write("b UNAUTHENTICATE\r\nc " + LOGIN_BOB + "\r\n");
            assertEquals("b OK Not authenticated any more.", client.readLine());
            assertTrue(client.readLine().startsWith("c OK [CAPABILITY "));
        }
    }

    @Test
    void unauthenticateNeedsALogin() throws IOException {
        try (var client = server.imap()) {
            client.greeting();
            assertEquals("a BAD Command is not valid before authentication.", client.tagged("a", "UNAUTHENTICATE"));
        }
    }

    /** Failed logins count over the whole connection: UNAUTHENTICATE does not wipe them. */
    @Test
    void failedLoginsStillCount() throws IOException {
        try (var client = server.imap()) {
            client.greeting();
            assertTrue(client.tagged("a", "LOGIN alice wrong").startsWith("a NO"));
            assertTrue(client.tagged("b", "LOGIN alice wrong").startsWith("b NO"));
            assertTrue(client.tagged("c", LOGIN_ALICE).startsWith("c OK"));
            assertEquals("d OK Not authenticated any more.", client.tagged("d", "UNAUTHENTICATE"));
            client.send("e LOGIN alice wrong");
            assertTrue(client.readLine().startsWith("e NO"));
            assertTrue(client.readLine().startsWith("* BYE"));
            client.assertClosedByServer();
        }
    }

    /** RFC 8437 §4.1: compression ends both ways after UNAUTHENTICATE's CRLF; TLS stays. */
    @Test
    void compressionEndsAndTlsStays() throws IOException {
        try (var client = server.imaps()) {
            client.greeting();
            assertTrue(client.tagged("a", LOGIN_ALICE).startsWith("a OK"));
            assertEquals("b OK DEFLATE active.", client.tagged("b", "COMPRESS DEFLATE"));
            client.compress();
            assertEquals("c OK Not authenticated any more.", client.tagged("c", "UNAUTHENTICATE"));
            client.decompress();
            assertTrue(client.tagged("d", LOGIN_BOB).startsWith("d OK"));
            assertEquals("e OK DEFLATE active.", client.tagged("e", "COMPRESS DEFLATE"));
            client.compress();
            assertTrue(client.command("f", "SELECT INBOX").contains("* 0 EXISTS"));
        }
    }

}
