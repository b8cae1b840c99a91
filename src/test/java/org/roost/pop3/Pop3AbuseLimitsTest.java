package org.roost.pop3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.TestServer;

/** {@code pop3.maxInvalidCommands} and {@code pop3.maxOverlongLines} (set low here) decide when an abusive client is let go. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Pop3AbuseLimitsTest {
    TestServer server;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        server = Pop3Users.server(dir, Map.of("ROOST_POP3_MAXINVALIDCOMMANDS", "2", "ROOST_POP3_MAXOVERLONGLINES", "1"));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void theSecondInvalidCommandInARowCloses() throws Exception {
        try (var c = new Pop3TestClient(server.pop3Port())) {
            assertEquals("-ERR Unknown command: FOO", c.command("FOO"));
            assertEquals("+OK", c.command("USER alice"), "a valid command starts the count again");
            assertEquals("-ERR Unknown command: FOO", c.command("FOO"));
            assertEquals("-ERR Too many invalid commands; closing the connection.", c.command("BAR"));
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void theFirstOverlongLineCloses() throws Exception {
        try (var c = new Pop3TestClient(server.pop3Port())) {
            assertEquals("-ERR Line too long; closing the connection.", c.command("NOOP " + "x".repeat(70 * 1024)));
            assertTrue(c.closedByServer());
        }
    }
}
