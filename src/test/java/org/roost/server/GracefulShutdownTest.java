package org.roost.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/** shutdown(): stop accepting, BYE to every idle session, abort what is still busy after the drain time. */
class GracefulShutdownTest {

    private static Thread shutdownInBackground(TestServer server) {
        return Thread.ofPlatform().name("test-shutdown").start(server::close);
    }

    @Test
    void idleClientsGetByeAndTheListenersClose(@TempDir Path dir) throws Exception {
        var server = TestServer.start(dir);
        int imapPort = server.imapPort();
        try (var anonymous = server.imap(); var user = server.imap(); var tls = server.imaps()) {
            anonymous.greeting();
            user.greeting();
            assertTrue(user.tagged("a", "LOGIN bob " + TestServer.BOB_PASSWORD).startsWith("a OK "));
            tls.greeting();

            var stopper = shutdownInBackground(server);
            for (var c : new RawImapClient[] {anonymous, user, tls}) {
                assertEquals("* BYE Server shutting down.", c.readLine());
                c.assertClosedByServer();
            }
            stopper.join();
            assertEquals(0, server.server().sessions().size());
            assertThrows(ConnectException.class, () -> RawImapClient.connect("127.0.0.1", imapPort).close());
        }
    }

    /** A session in the middle of a SASL exchange is not idle: it is closed when the drain time is over. */
    @Test
    void busySessionIsClosedAfterTheDrain(@TempDir Path dir) throws Exception {
        var server = TestServer.start(dir, Map.of("ROOST_LIMITS_SHUTDOWNDRAIN", "1s"));
        try (var busy = server.imap()) {
            busy.greeting();
            busy.send("a AUTHENTICATE PLAIN");
            assertEquals("+ ", busy.readLine());
            var stopper = shutdownInBackground(server);
            stopper.join();
            busy.assertClosedByServer();
        }
    }

    @Test
    void shutdownTwiceIsHarmless(@TempDir Path dir) throws IOException {
        var server = TestServer.start(dir);
        server.close();
        server.close();
        assertEquals(0, server.server().sessions().size());
    }
}
