package org.roost.imap.objectid;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.PythonScript;
import org.roost.testing.TestServer;

/** Python's imaplib, an independent client, reads Roost's MAILBOXID, EMAILID, THREADID, SAVEDATE and PREVIEW. */
class ImaplibObjectIdTest {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void objectIdsAndSaveDatesThroughImaplib(@TempDir Path dir) throws Exception {
        try (var server = TestServer.start(dir);
             var script = PythonScript.start("imaplib_objectid.py", "127.0.0.1", Integer.toString(server.imapPort()),
                     TestServer.ALICE, TestServer.ALICE_PASSWORD)) {
            assertEquals("CAPS OBJECTID PREVIEW SAVEDATE", script.nextLine());
            assertEquals("CREATE OK", script.nextLine());
            assertEquals("STATUS True", script.nextLine());
            assertEquals("FETCH True True", script.nextLine(), "two EMAILIDs, one THREADID");
            assertEquals("SEARCH 1 2", script.nextLine());
            assertEquals("MOVED True", script.nextLine());
            assertEquals("SAVED 1 True", script.nextLine());
            assertEquals("PREVIEW 1 (PREVIEW \"b\")", script.nextLine());
            assertEquals(0, script.exitCode(), script.lines().toString());
        }
    }
}
