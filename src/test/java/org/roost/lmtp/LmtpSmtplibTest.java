package org.roost.lmtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.PythonScript;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * Python's {@code smtplib.LMTP} as the client (src/test/resources/lmtp/smtplib_lmtp.py), on a TCP port and on a
 * UNIX socket at once: the messages it was told were delivered are in the mailboxes, seen over IMAP.
 */
@Timeout(120)
class LmtpSmtplibTest {
    @TempDir
    Path dir;

    @Test
    void smtplibDeliversOverTcpAndAUnixSocket() throws Exception {
        var socket = dir.resolve("lmtp.sock");
        Files.createDirectories(dir.resolve("tcp"));
        Files.createDirectories(dir.resolve("unix"));
        try (var tcp = TestServer.start(dir.resolve("tcp"), Map.of("ROOST_LISTENERS_LMTP_ENABLED", "true"));
                var unix = TestServer.start(dir.resolve("unix"), Map.of("ROOST_LISTENERS_LMTP_ENABLED", "true",
                        "ROOST_LISTENERS_LMTP_PATH", socket.toString()));
                var script = PythonScript.start("lmtp/smtplib_lmtp.py", Integer.toString(tcp.lmtpPort()),
                        socket.toString())) {
            int exit = script.exitCode();
            var output = String.join("\n", script.lines());
            assertFalse(output.contains("FAIL"), output);
            assertEquals(0, exit, output);
            assertTrue(output.lines().count() >= 14, output);
            var overTcp = messageIds(tcp);
            for (int i = 1; i <= 3; i++) {
                assertTrue(overTcp.contains("<smtplib-" + i + "@example.org>"), overTcp);
            }
            assertTrue(messageIds(unix).contains("<smtplib-4@example.org>"));
            assertTrue(Files.exists(socket));
        }
    }

    private static String messageIds(TestServer server) throws Exception {
        try (var imap = RawImapClient.connect("127.0.0.1", server.imapPort())) {
            imap.greeting();
            imap.command("l", "LOGIN bob builder");
            imap.command("s", "SELECT INBOX");
            return String.join("\n", imap.command("f", "FETCH 1:* (BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])"));
        }
    }
}
