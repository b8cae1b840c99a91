package org.roost.fts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.TermQuery;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.index.IndexCache;
import org.roost.index.IndexOptions;
import org.roost.index.MailboxState;
import org.roost.index.MailboxView;
import org.roost.storage.MailLocation;
import org.roost.storage.maildir.MaildirDriver;
import org.roost.storage.maildir.MaildirOptions;
import org.roost.testing.GeneratedMail;

/**
 * A delivery to a mailbox the index is caught up with costs the indexer the new message only: it does not
 * read the UIDs of every message the index holds of that mailbox (a million, in a big INBOX) to find
 * what is new. An expunge does not make it read them either: the documents of the messages not there any
 * more are removed by what is there.
 */
@Timeout(120)
class IncrementalCatchUpTest {
    @TempDir
    Path root;
    private final Random random = new Random(3);
    private final GeneratedMail mail = new GeneratedMail(random);
    private IndexCache cache;
    private MailboxState state;
    private int delivered;

    @BeforeEach
    void mailbox() throws IOException {
        cache = new IndexCache(new MaildirDriver(MailLocation.parse("maildir:" + root + "/mail/%u"),
                MaildirOptions.defaults().withFsync(false)), new IndexOptions(true, false, 1 << 24));
        state = cache.open("u", "INBOX");
        deliver(200);
    }

    @Test
    void deliveriesToACaughtUpMailboxAreAddedWithoutComparingTheWholeMailbox() throws Exception {
        try (var fts = new FullTextSearch(options(), cache)) {
            fts.rebuildNow("u");
            long full = fts.fullCatchUps();
            for (int i = 0; i < 10; i++) {
                deliver(1 + random.nextInt(3));
                fts.awaitIdle();
            }
            assertEquals(full, fts.fullCatchUps(), "no delivery made the indexer compare every UID");
            assertArrayEquals(uidsOfTheMailbox(), indexed(fts));
        }
    }

    @Test
    void anExpungeSinceTheLastCatchUpIsFoundAndRemovedWithoutComparingTheWholeMailbox() throws Exception {
        try (var fts = new FullTextSearch(options(), cache)) {
            fts.rebuildNow("u");
            long full = fts.fullCatchUps();
            for (int round = 0; round < 5; round++) {
                expungeOneAtRandom();
                deliver(1 + random.nextInt(2)); // a catch-up follows the expunge
                fts.awaitIdle();
                assertArrayEquals(uidsOfTheMailbox(), indexed(fts), "round " + round);
            }
            expungeNewest(); // the UID the index was caught up to goes
            fts.awaitIdle();
            assertArrayEquals(uidsOfTheMailbox(), indexed(fts), "the newest expunged");
            assertEquals(full, fts.fullCatchUps(), "no expunge made the indexer read every UID it holds");
        }
    }

    private FullTextOptions options() {
        return FullTextOptions.defaults(root.resolve("fts")).withCommitInterval(Duration.ofHours(1));
    }

    private long[] uidsOfTheMailbox() {
        var view = new MailboxView(state, true);
        try {
            return LongStream.rangeClosed(1, view.count()).map(seq -> view.uid((int) seq)).toArray();
        } finally {
            view.close();
        }
    }

    private long[] indexed(FullTextSearch fts) throws IOException {
        var index = fts.index("u");
        var searcher = index.acquire();
        try {
            var key = FullTextSearch.mailboxKey("INBOX", state.current().uidValidity());
            return UserIndex.uids(searcher, new TermQuery(new Term(MessageDocument.MAILBOX, key)));
        } finally {
            index.release(searcher);
        }
    }

    private void expungeOneAtRandom() throws IOException {
        var view = new MailboxView(state, false);
        try {
            state.expunge(List.of(view.message(1 + random.nextInt(view.count()))));
        } finally {
            view.close();
        }
    }

    private void expungeNewest() throws IOException {
        var view = new MailboxView(state, false);
        try {
            state.expunge(List.of(view.message(view.count())));
        } finally {
            view.close();
        }
    }

    private void deliver(int count) throws IOException {
        for (int i = 0; i < count; i++, delivered++) {
            state.append(new ByteArrayInputStream(mail.message(delivered)), Set.of(), Set.of(),
                    Instant.ofEpochSecond(1_700_000_000L + delivered));
        }
    }
}
