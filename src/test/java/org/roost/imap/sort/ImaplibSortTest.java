package org.roost.imap.sort;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.PythonScript;
import org.roost.testing.TestServer;

/** Python's imaplib, an independent client, reads Roost's SORT and THREAD answers (its sort() and thread()). */
class ImaplibSortTest {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void sortAndThreadThroughImaplib(@TempDir Path dir) throws Exception {
        try (var server = TestServer.start(dir);
             var script = PythonScript.start("imaplib_sort.py", "127.0.0.1", Integer.toString(server.imapPort()),
                     TestServer.ALICE, TestServer.ALICE_PASSWORD)) {
            assertEquals("CAPS ESORT SORT SORT=DISPLAY THREAD=ORDEREDSUBJECT THREAD=REFERENCES THREAD=REFS", script.nextLine());
            // sent dates: 3 (31 Dec) < 1 < 2
            assertEquals("SORT 2 1 3", script.nextLine());
            // UIDs 1..3 in a fresh mailbox; From a@x (2), b@x (1), c@x (3)
            assertEquals("UIDSORT 2 1 3", script.nextLine());
            // 2 replies to 1; the threads by the date of their first message
            assertEquals("THREAD (3)(1 2)", script.nextLine());
            // base subjects ANOTHER (3) and PLAN (1, 2)
            assertEquals("UIDTHREAD (3)(1 2)", script.nextLine());
            assertEquals("BADCHARSET NO", script.nextLine());
            assertEquals(0, script.exitCode(), script.lines().toString());
        }
    }
}
