package org.roost.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * limits.preAuthTimeout: a client that never logs in (or never finishes the IMAPS handshake) is
 * let go; after login the long idle timeout (at least 30 minutes, RFC 3501 §5.4) applies instead.
 * Each test just waits for the server to act; nothing measures how long it took.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TimeoutTest {
    TestServer server;

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        server = TestServer.start(dir, Map.of("ROOST_LIMITS_PREAUTHTIMEOUT", "1s"));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void silentClientBeforeLoginGetsBye() throws IOException {
        try (var c = server.imap()) {
            c.greeting();
            assertEquals("* BYE Disconnected for inactivity.", c.readLine());
            c.assertClosedByServer();
        }
    }

    @Test
    void clientThatNeverStartsTheTlsHandshakeIsClosed() throws IOException {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.imapsPort()));
            socket.setSoTimeout(RawImapClient.READ_TIMEOUT_MS);
            assertEquals(-1, socket.getInputStream().read(), "closed without a byte of plaintext");
        }
    }

    @Test
    void loggedInSessionOutlivesThePreAuthTimeout() throws Exception {
        try (var c = server.imap()) {
            c.greeting();
            assertTrue(c.tagged("a", "LOGIN bob " + TestServer.BOB_PASSWORD).startsWith("a OK "));
            Thread.sleep(2_500);
            assertEquals("b OK NOOP completed.", c.tagged("b", "NOOP"));
        }
    }
}
