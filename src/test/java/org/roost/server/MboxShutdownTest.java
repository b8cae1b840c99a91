package org.roost.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * A server that stops writes the mbox map it had put off (the map is written a couple of seconds after a flag
 * change): without it, the next start meets a map older than the file and checks every message's block.
 */
@Timeout(60)
class MboxShutdownTest {
    @TempDir
    Path dir;

    @Test
    void stoppingWritesTheMapOfTheLastFlagChange() throws Exception {
        var server = TestServer.start(dir, Map.of("ROOST_MAIL_LOCATION", "mbox:" + dir.resolve("mail") + "/%u",
                "ROOST_MAIL_FSYNC", "false"));
        Path map;
        byte[] before;
        try (var client = RawImapClient.connect("127.0.0.1", server.imapPort())) {
            client.greeting();
            assertTrue(client.command("a", "LOGIN " + TestServer.BOB + " " + TestServer.BOB_PASSWORD).getLast()
                    .startsWith("a OK"));
            for (int i = 0; i < 3; i++) {
                client.write("b" + i + " APPEND INBOX {12+}\r\nSubject: m\r\n\r\n");
                assertTrue(client.command("c" + i, "NOOP").getLast().startsWith("c" + i + " OK"));
            }
            client.command("d", "SELECT INBOX");
            map = awaitMap(server.maildir(TestServer.BOB));
            before = Files.readAllBytes(map);
            assertTrue(client.command("f", "STORE 3 +FLAGS (\\Flagged)").getLast().startsWith("f OK"));
        }
        server.close();
        assertFalse(Arrays.equals(before, Files.readAllBytes(map)), "the map was written when the server stopped");
    }

    /** The mbox map of INBOX, once the server has written one (a couple of seconds after the appends). */
    private static Path awaitMap(Path root) throws IOException, InterruptedException {
        for (int i = 0; i < 100; i++) {
            try (var found = Files.find(root, 5, (p, a) -> p.getFileName().toString().equals("roost.mbox.map"))) {
                var map = found.findFirst();
                if (map.isPresent()) {
                    return map.get();
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no roost.mbox.map under " + root);
    }
}
