package org.roost.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.mail.UidSet;
import org.roost.storage.MailLocation;
import org.roost.storage.maildir.MaildirDriver;
import org.roost.storage.maildir.MaildirOptions;

/**
 * MODSEQs never go back (RFC 7162 §3.1) and expunges are remembered (§3.2.7): across a restart, an
 * index damaged beyond reading and rebuilt from the mail, a torn history, and the bound on ranges.
 */
class ModseqHistoryTest {
    @TempDir
    Path root;

    private IndexCache cache() {
        return new IndexCache(new MaildirDriver(MailLocation.parse("maildir:" + root + "/%u"),
                MaildirOptions.defaults().withFsync(false)), new IndexOptions(true, false, 1 << 20));
    }

    @Test
    void aRebuiltIndexStartsAboveEveryModseqHandedOut() throws IOException {
        var state = cache().open("u", "INBOX");
        IndexPersistenceTest.fill(state);
        long before = state.current().highestModseq();
        long expungedUid = 3; // fill() expunges the third message
        assertEquals(UidSet.range(expungedUid, expungedUid), state.expungedAfter(before - 1));
        state.close();
        Files.write(root.resolve("u/roost.index"), new byte[] {1, 2, 3}); // damaged beyond reading
        Files.deleteIfExists(root.resolve("u/roost.index.log"));

        var rebuilt = cache().open("u", "INBOX");
        assertTrue(rebuilt.current().highestModseq() > before,
                rebuilt.current().highestModseq() + " must be above " + before);
        assertTrue(rebuilt.keepsModseqs());
        // what went while the index was unreadable is unknown: older clients get the superset
        assertNull(rebuilt.expungedAfter(before));
        assertEquals(UidSet.empty(), rebuilt.expungedAfter(rebuilt.current().highestModseq()));
    }

    @Test
    void expungesSurviveARestartAndATornTail() throws IOException {
        var state = cache().open("u", "INBOX");
        IndexPersistenceTest.fill(state);
        long highest = state.current().highestModseq();
        state.close();
        var file = root.resolve("u/" + ModseqHistory.FILE);
        var bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length + 17)); // a record torn by a crash
        var reopened = cache().open("u", "INBOX");
        assertEquals(UidSet.range(3, 3), reopened.expungedAfter(1));
        assertEquals(highest, reopened.current().highestModseq());
    }

    @Test
    void pastTheBoundTheOldestGoAndOlderClientsGetTheSuperset() throws IOException {
        try (var history = ModseqHistory.open(root, false, 100, 7, 0)) {
            var random = new Random(7162);
            for (long modseq = 1; modseq <= 1000; modseq++) {
                history.record(new long[] {modseq * 3 + random.nextInt(2)}, modseq); // never adjacent: one range each
            }
            assertTrue(history.exactFrom() > 0);
            assertNull(history.expungedAfter(history.exactFrom() - 1));
            assertEquals(1000 - history.exactFrom(), history.expungedAfter(history.exactFrom()).ranges());
            assertTrue(history.ceiling() >= 1000);
        }
        try (var reread = ModseqHistory.open(root, false, 100, 7, 0)) {
            assertTrue(reread.expungedAfter(999).ranges() == 1, "kept across the rewrite");
        }
        // another UIDVALIDITY: nothing of the old mailbox, but the ceiling stays
        try (var other = ModseqHistory.open(root, false, 100, 8, 0)) {
            assertEquals(UidSet.empty(), other.expungedAfter(0));
            assertTrue(other.ceiling() >= 1000);
        }
    }
}
