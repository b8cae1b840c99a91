package org.roost.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.mail.SystemFlag;
import org.roost.net.Cancellation;
import org.roost.storage.MailLocation;
import org.roost.storage.StorageDriver;
import org.roost.storage.mbox.LockMethod;
import org.roost.storage.mbox.MboxDriver;
import org.roost.storage.mbox.MboxOptions;
import org.roost.storage.maildir.MaildirDriver;
import org.roost.storage.maildir.MaildirOptions;

/**
 * A user with many folders asking for the STATUS of each must not take the process's file descriptors from
 * everyone: the open mailboxes hold at most {@code index.maxOpenFiles} between commands.
 */
class IndexDescriptorsTest {
    private static final Instant DATE = Instant.parse("2024-01-01T00:00:00Z");
    private static final int FOLDERS = 200;
    private static final int MAX_OPEN_FILES = 40;

    @TempDir
    Path root;

    /** The heap budget is ample: only the descriptor budget bounds what stays open. */
    private IndexCache cache() {
        return cache(new MaildirDriver(MailLocation.parse("maildir:" + root + "/%u"),
                MaildirOptions.defaults().withFsync(false)));
    }

    private static IndexCache cache(StorageDriver driver) {
        return new IndexCache(driver, new IndexOptions(true, false, 256L << 20).withMaxOpenFiles(MAX_OPEN_FILES));
    }

    @Test
    void writingToAndStatusOfEveryFolderHoldNoMoreDescriptorsThanTheBudget() throws IOException {
        writeToAndStatusOfEveryFolder(cache());
    }

    /** An mbox mailbox keeps its file open between calls: it is closed like a uid list, and read again in turn. */
    @Test
    void mboxFilesAreBoundedTooAndReadAgainWhenNextUsed() throws IOException {
        var cache = cache(new MboxDriver(MailLocation.parse("mbox:" + root + "/%u"),
                new MboxOptions(false, List.of(LockMethod.FCNTL), List.of(LockMethod.DOTLOCK, LockMethod.FCNTL),
                        Duration.ofSeconds(2), Duration.ofMinutes(2), ZoneOffset.UTC)));
        writeToAndStatusOfEveryFolder(cache);
        var first = cache.open("u", "f0");
        try (var in = first.open(first.current().message(0))) {
            assertTrue(new String(in.readAllBytes(), StandardCharsets.US_ASCII).contains("body 0"));
        }
    }

    private void writeToAndStatusOfEveryFolder(IndexCache cache) throws IOException {
        var mailboxes = cache.mailboxes("u");
        for (int i = 0; i < FOLDERS; i++) {
            mailboxes.create("f" + i);
            cache.open("u", "f" + i).append(IndexPersistenceTest.message(i), Set.of(), Set.of(), DATE);
        }
        assertWithinBudget("after appending to");
        for (int i = 0; i < FOLDERS; i++) {
            assertEquals(1, mailboxes.status("f" + i, false, Cancellation.never()).messages());
        }
        assertWithinBudget("after the STATUS of");
        assertTrue(cache.mailboxesHoldingFiles() <= MAX_OPEN_FILES / DescriptorBudget.PER_MAILBOX);
        assertEquals(FOLDERS, cache.openMailboxes(), "the heap budget kept every state: only their files went");
    }

    /**
     * A selected mailbox whose files were closed for others' opens them again as it writes: its appends, flag
     * changes and expunges reach its index log and MODSEQ history as before, and read back after a restart.
     */
    @Test
    void aHeldMailboxWhoseFilesWereClosedWritesOnAndReadsBackAfterARestart() throws IOException {
        var cache = cache();
        var mailboxes = cache.mailboxes("u");
        var selected = new MailboxView(cache.open("u", "INBOX"), false);
        var state = selected.state();
        var kept = state.append(IndexPersistenceTest.message(0), Set.of(), Set.of(), DATE);
        var gone = state.append(IndexPersistenceTest.message(1), Set.of(), Set.of(), DATE);
        long modseqBefore = state.current().highestModseq();
        for (int i = 0; i < FOLDERS; i++) {
            mailboxes.create("f" + i);
            cache.open("u", "f" + i).append(IndexPersistenceTest.message(i), Set.of(), Set.of(), DATE);
        }
        assertWithinBudget("after appending to");
        state.setFlags(List.of(new MailboxState.FlagChange(kept, Set.of(SystemFlag.SEEN), Set.of())));
        state.expunge(List.of(gone));
        state.append(IndexPersistenceTest.message(2), Set.of(), Set.of(), DATE);
        assertTrue(state.keepsModseqs(), "the index files are still written");
        IndexPersistenceTest.settle(state);

        var restarted = cache().open("u", "INBOX");
        assertEquals(0, restarted.scans(), "opened from its index files, not from the mail");
        assertEquals(2, restarted.current().count());
        assertEquals(1, restarted.current().unseenCount());
        assertEquals(state.current().highestModseq(), restarted.current().highestModseq());
        assertEquals("" + gone.uid(), restarted.expungedAfter(modseqBefore).toString(),
                "the expunge reached the MODSEQ history after it was reopened");
    }

    /**
     * Sessions writing to and asking after many folders at once: a mailbox busy when its turn comes keeps its files
     * (the budget is passed by at most what the busy ones hold), none is closed under a writer, and every write lands.
     */
    @Test
    void concurrentWritersAndStatusesStayNearTheBudgetAndLoseNothing() throws Exception {
        var cache = cache();
        var mailboxes = cache.mailboxes("u");
        int threads = 8;
        for (int i = 0; i < FOLDERS; i++) {
            mailboxes.create("f" + i);
        }
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(threads)) {
            var done = new java.util.ArrayList<java.util.concurrent.Future<?>>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                done.add(pool.submit(() -> {
                    for (int i = first; i < FOLDERS * 2; i += threads) {
                        var name = "f" + (i % FOLDERS);
                        cache.open("u", name).append(IndexPersistenceTest.message(i), Set.of(), Set.of(), DATE);
                        mailboxes.status("f" + ((i * 7) % FOLDERS), false, Cancellation.never());
                    }
                    return null;
                }));
            }
            for (var f : done) {
                f.get();
            }
        }
        long held = descriptorsUnder(root);
        assertTrue(held <= MAX_OPEN_FILES + threads * DescriptorBudget.PER_MAILBOX, held + " descriptors held open");
        for (int i = 0; i < FOLDERS; i++) {
            assertEquals(2, mailboxes.status("f" + i, false, Cancellation.never()).messages(), "f" + i);
        }
        var restarted = cache();
        for (int i = 0; i < FOLDERS; i += 17) {
            assertEquals(2, restarted.open("u", "f" + i).current().count(), "f" + i + " after a restart");
        }
    }

    private void assertWithinBudget(String when) throws IOException {
        long held = descriptorsUnder(root);
        assertTrue(held <= MAX_OPEN_FILES, held + " descriptors held open " + when + " " + FOLDERS + " folders");
    }

    /** The descriptors of this process open on files below {@code dir} (other tests' files do not count). */
    static long descriptorsUnder(Path dir) throws IOException {
        var real = dir.toRealPath().toString();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith(real);
                } catch (IOException closedMeanwhile) {
                    return false;
                }
            }).count();
        }
    }
}
