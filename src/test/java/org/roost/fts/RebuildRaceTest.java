package org.roost.fts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.Set;
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
 * A rebuild (the admin API's, or one after damage) takes a user's index away while the indexer may be
 * writing or committing it: the rebuild never fails for that, and the index it leaves holds every message.
 */
@Timeout(120)
class RebuildRaceTest {
    private static final int MESSAGES = 1_500;
    private static final int REBUILDS = 40;
    @TempDir
    Path root;
    private final Random random = new Random(11);
    private final GeneratedMail mail = new GeneratedMail(random);

    @Test
    void rebuildsDuringCatchUpsAndCommitsNeverFailAndLoseNothing() throws Exception {
        var cache = new IndexCache(new MaildirDriver(MailLocation.parse("maildir:" + root + "/mail/%u"),
                MaildirOptions.defaults().withFsync(false)), new IndexOptions(true, false, 1 << 24));
        var state = cache.open("u", "INBOX");
        deliver(state, 0, MESSAGES);
        var options = FullTextOptions.defaults(root.resolve("fts")).withCommitInterval(Duration.ZERO);
        try (var fts = new FullTextSearch(options, cache)) {
            int delivered = MESSAGES;
            for (int i = 0; i < REBUILDS; i++) {
                fts.rebuild("u"); // a catch-up of the whole mailbox, committed when done
                deliver(state, delivered++, 1); // another catch-up, queued behind or beside it
                Thread.sleep(random.nextInt(30));
            }
            fts.awaitIdle();
            assertEquals(delivered, IndexedInbox.documents(fts, state));
        }
    }

    /** An index Lucene closed under its users (after a failed write) is opened again at the next use. */
    @Test
    void anIndexClosedUnderItsUsersIsOpenedAgain() throws Exception {
        var cache = new IndexCache(new MaildirDriver(MailLocation.parse("maildir:" + root + "/mail/%u"),
                MaildirOptions.defaults().withFsync(false)), new IndexOptions(true, false, 1 << 24));
        var state = cache.open("u", "INBOX");
        deliver(state, 0, 20);
        try (var fts = new FullTextSearch(FullTextOptions.defaults(root.resolve("fts")), cache)) {
            fts.rebuildNow("u");
            fts.index("u").close();
            assertEquals(20, IndexedInbox.documents(fts, state));
        }
    }

    private void deliver(MailboxState state, int first, int count) throws IOException {
        for (int i = first; i < first + count; i++) {
            state.append(new ByteArrayInputStream(mail.message(i)), Set.of(), Set.of(),
                    Instant.ofEpochSecond(1_700_000_000L + i));
        }
    }
}
