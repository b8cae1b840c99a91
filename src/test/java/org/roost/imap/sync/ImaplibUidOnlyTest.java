package org.roost.imap.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.PythonScript;
import org.roost.testing.TestServer;

/**
 * UIDONLY (RFC 9586) as Python's imaplib sees it (src/test/resources/imap/imaplib_uidonly.py): its own
 * enable, fetch, store, search, copy and uid calls, and a raw UID SEARCH with a message number.
 */
@Timeout(60)
class ImaplibUidOnlyTest {

    @Test
    void imaplibIsRefusedMessageNumbersAndReadsUidfetchAndVanished(@TempDir Path dir) throws Exception {
        try (var server = TestServer.start(dir);
             var python = PythonScript.start("imap/imaplib_uidonly.py", Integer.toString(server.imapPort()),
                     TestServer.ALICE, TestServer.ALICE_PASSWORD)) {
            assertEquals(0, python.exitCode(), String.join("\n", python.lines()));
            var refusal = "refused %s command error: BAD [b'[UIDREQUIRED] Message numbers are not allowed once UIDONLY is enabled']";
            assertEquals(List.of(
                    "CAPABILITY True",
                    "ENABLE OK [b'UIDONLY']",
                    "UNSEEN code None",
                    "fetch " + refusal.formatted("FETCH"),
                    "store " + refusal.formatted("STORE"),
                    "search " + refusal.formatted("SEARCH"),
                    "copy " + refusal.formatted("COPY"),
                    "UID FETCH OK [b'1 (FLAGS (\\\\Recent))', b'2 (FLAGS (\\\\Recent))', b'3 (FLAGS (\\\\Recent))']",
                    "UID STORE OK [b'2 (FLAGS (\\\\Deleted \\\\Recent))']",
                    "UID SEARCH OK [b'2']",
                    "_simple_command " + refusal.formatted("UID"),
                    "EXPUNGE OK [b'2']"), python.lines());
        }
    }
}
