package org.roost.imap.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.PythonScript;
import org.roost.testing.TestServer;

/**
 * NOTIFY across protocols with Python's own clients (imaplib, smtplib's LMTP, poplib): an LMTP delivery
 * and a POP3 DELE reach the watching IMAP session as they happen, and an append by another IMAP session
 * to a watched mailbox as STATUS, which imaplib parses like any untagged response.
 */
@Timeout(60)
class ImaplibNotifyTest {
    @TempDir
    Path dir;

    @Test
    void deliveriesDeletesAndAppendsElsewhereArePushed() throws Exception {
        var env = Map.of("ROOST_LISTENERS_LMTP_ENABLED", "true", "ROOST_LISTENERS_POP3_ENABLED", "true");
        try (var server = TestServer.start(dir, env);
             var script = PythonScript.start("imaplib_notify.py", "127.0.0.1", String.valueOf(server.imapPort()),
                     String.valueOf(server.lmtpPort()), String.valueOf(server.pop3Port()), TestServer.ALICE,
                     TestServer.ALICE_PASSWORD)) {
            assertEquals(0, script.exitCode(), String.join("\n", script.lines()));
            assertEquals(List.of(
                    "NOTIFY OK",
                    "PUSHED * 1 EXISTS",
                    "PUSHED * 1 RECENT",
                    "PUSHED * 1 FETCH (UID 1)",
                    "PUSHED * 1 EXPUNGE",
                    "PUSHED * STATUS misc (UIDNEXT 2 MESSAGES 1)",
                    "NOOP OK [b'misc (UIDNEXT 3 MESSAGES 2)']"), script.lines());
        }
    }
}
