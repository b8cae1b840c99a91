package org.roost.imap.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.PythonScript;
import org.roost.testing.TestServer;

/**
 * The two-session consistency check of issue 14 through Python's imaplib: one session changes flags,
 * expunges and appends at random, the other reconnects with QRESYNC after each burst and keeps its
 * state from VANISHED (EARLIER) and FETCH alone; that state must equal a fresh full fetch every time
 * (src/test/resources/imap/imaplib_qresync.py). Seeded and bounded by rounds, not time.
 */
class ImaplibQresyncTest {

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void reconstructedStateEqualsAFreshFetch(@TempDir Path dir) throws Exception {
        try (var server = TestServer.start(dir);
             var python = PythonScript.start("imap/imaplib_qresync.py", Integer.toString(server.imapPort()),
                     TestServer.ALICE, TestServer.ALICE_PASSWORD, "60", "7162")) {
            int code = python.exitCode();
            assertEquals(0, code, String.join("\n", python.lines()));
            assertEquals("done", python.lines().getLast());
            assertTrue(python.lines().contains("round 59 ok") || python.lines().stream().anyMatch(
                    l -> l.startsWith("round 59 ok")), String.join("\n", python.lines()));
        }
    }
}
