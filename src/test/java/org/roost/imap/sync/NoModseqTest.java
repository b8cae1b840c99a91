package org.roost.imap.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.TestServer;

/**
 * A mailbox that keeps no MODSEQs (index.persistent false: nothing survives a restart) says
 * NOMODSEQ and refuses what needs them (RFC 7162 §3.1.2.2), and keeps EXPUNGE under QRESYNC (§3.2.10).
 */
class NoModseqTest {

    @Test
    void withoutIndexFilesTheMailboxSaysNomodseq(@TempDir Path dir) throws IOException {
        try (var server = TestServer.start(dir, Map.of("ROOST_INDEX_PERSISTENT", "false"));
             var c = CondstoreTest.login(server)) {
            for (int i = 1; i <= 2; i++) {
                c.append("INBOX", "", ("Subject: " + i + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            c.expectOk("ENABLE QRESYNC");
            var select = c.expectOk("SELECT INBOX");
            assertTrue(select.untagged().contains("* OK [NOMODSEQ] No permanent modsequences"), select.toString());
            assertTrue(select.untagged().stream().noneMatch(l -> l.contains("HIGHESTMODSEQ")), select.toString());
            assertTrue(c.run("FETCH 1 (MODSEQ)").tagged().contains(" BAD "));
            assertTrue(c.run("FETCH 1 FLAGS (CHANGEDSINCE 1)").tagged().contains(" BAD "));
            assertTrue(c.run("STORE 1 (UNCHANGEDSINCE 5) +FLAGS (\\Seen)").tagged().contains(" BAD "));
            assertTrue(c.run("SEARCH MODSEQ 1").tagged().contains(" BAD "));
            // no MODSEQ in the FETCH of a STORE, EXPUNGE stays EXPUNGE, no HIGHESTMODSEQ code
            assertEquals(List.of("* 1 FETCH (FLAGS (\\Deleted \\Recent))"),
                    c.expectOk("STORE 1 +FLAGS (\\Deleted)").untagged());
            var expunge = c.expectOk("EXPUNGE");
            assertEquals(List.of("* 1 EXPUNGE"), expunge.untagged());
            assertTrue(expunge.tagged().endsWith(" OK EXPUNGE completed."), expunge.tagged());
            var qresync = c.expectOk("SELECT INBOX (QRESYNC (" + QresyncTest.uidValidity(select) + " 1))");
            assertTrue(qresync.untagged().stream().noneMatch(l -> l.contains("VANISHED") || l.contains("FETCH")));
            assertEquals(List.of("* STATUS INBOX (HIGHESTMODSEQ 0)"),
                    c.expectOk("STATUS INBOX (HIGHESTMODSEQ)").untagged());
        }
    }
}
