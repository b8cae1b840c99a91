package org.roost.fts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.Set;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.index.IndexCache;
import org.roost.index.IndexOptions;
import org.roost.index.MailboxState;
import org.roost.storage.MailLocation;
import org.roost.storage.maildir.MaildirDriver;
import org.roost.storage.maildir.MaildirOptions;
import org.roost.testing.GeneratedMail;

/**
 * The indexer commits (fsyncs) at most once per {@code fts.commitInterval}, not once per delivery, while
 * searches find every message as soon as it is indexed.
 */
@Timeout(120)
class IndexerCommitTest {
    private static final int DELIVERIES = 5;
    @TempDir
    Path root;
    private IndexCache cache;
    private MailboxState state;
    private final GeneratedMail mail = new GeneratedMail(new Random(5));

    @BeforeEach
    void mailbox() throws IOException {
        cache = new IndexCache(new MaildirDriver(MailLocation.parse("maildir:" + root + "/mail/%u"),
                MaildirOptions.defaults().withFsync(false)), new IndexOptions(true, false, 1 << 24));
        state = cache.open("u", "INBOX");
        deliver(0, 20);
    }

    @Test
    void deliveriesWithinTheIntervalShareOneCommitAndAreFoundAtOnce() throws Exception {
        try (var fts = new FullTextSearch(options(Duration.ofHours(1)), cache)) {
            fts.rebuildNow("u");
            long committed = commitGeneration(fts);
            for (int i = 0; i < DELIVERIES; i++) {
                deliver(20 + i, 1);
                fts.awaitIdle();
            }
            assertEquals(committed, commitGeneration(fts), "no commit within the interval");
            assertEquals(20 + DELIVERIES, IndexedInbox.documents(fts, state), "found uncommitted");
        }
    }

    @Test
    void aZeroIntervalCommitsEveryCatchUp() throws Exception {
        try (var fts = new FullTextSearch(options(Duration.ZERO), cache)) {
            fts.rebuildNow("u");
            long committed = commitGeneration(fts);
            for (int i = 0; i < DELIVERIES; i++) {
                deliver(20 + i, 1);
                fts.awaitIdle();
            }
            assertEquals(committed + DELIVERIES, commitGeneration(fts));
        }
    }

    private FullTextOptions options(Duration commitInterval) {
        return FullTextOptions.defaults(root.resolve("fts")).withCommitInterval(commitInterval);
    }

    private static long commitGeneration(FullTextSearch fts) throws IOException {
        try (var directory = FSDirectory.open(fts.directoryOf("u"))) {
            return SegmentInfos.getLastCommitGeneration(directory);
        }
    }

    private void deliver(int first, int count) throws IOException {
        for (int i = first; i < first + count; i++) {
            state.append(new ByteArrayInputStream(mail.message(i)), Set.of(), Set.of(),
                    Instant.ofEpochSecond(1_700_000_000L + i));
        }
    }
}
