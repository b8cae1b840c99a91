package org.roost.fts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.imap.protocol.SearchKey;
import org.roost.index.IndexCache;
import org.roost.index.MailboxState;
import org.roost.index.MailboxView;
import org.roost.testing.GeneratedMail;

/**
 * Nothing reopens the searcher but a search (at most every {@code fts.refreshInterval}) and a commit: the
 * messages indexed since it was reopened are not visible to a search that may not reopen it, and it reads them
 * itself, so every answer is the one a search without the index gives.
 */
@Timeout(120)
class SearcherRefreshTest {
    private static final int BASE = 20;
    private static final List<SearchKey> KEYS = List.of(new SearchKey.Body("zanzibar"), new SearchKey.Text("ZANZIBAR"),
            new SearchKey.Header("From", "zanzibar"), new SearchKey.Body("budget"), new SearchKey.Text("invoice"),
            new SearchKey.Not(new SearchKey.Body("zanzibar")), new SearchKey.Body("no such words anywhere"));
    @TempDir
    Path root;
    private final GeneratedMail mail = new GeneratedMail(new Random(21));
    private IndexCache cache;
    private MailboxState state;

    @BeforeEach
    void mailbox() throws IOException {
        cache = IndexedInbox.cache(root);
        state = cache.open("u", "INBOX");
        for (int i = 0; i < BASE; i++) {
            append(mail.message(i));
        }
    }

    @Test
    void messagesIndexedSinceTheSearcherWasReopenedAreReadBySearches() throws Exception {
        var options = FullTextOptions.defaults(root.resolve("fts")).withCommitInterval(Duration.ofHours(1))
                .withRefreshInterval(Duration.ofHours(1));
        try (var fts = new FullTextSearch(options, cache)) {
            fts.rebuildNow("u"); // committed, so visible
            long before = fts.indexedMessages();
            append(IndexedInbox.message("zanzibar@example.org", "harbour", "The zanzibar budget, as promised."));
            append(IndexedInbox.message("carol@example.org", "ZANZIBAR trip", "Nothing to see."));
            append(IndexedInbox.message("dave@example.org", "lunch", "An invoice for the sandwiches."));
            expunge(3); // still in the searcher's sight: no search may answer it
            while (fts.indexedMessages() < before + 3) {
                Thread.sleep(5);
            }
            assertEquals(BASE, IndexedInbox.documents(fts, state),
                    "the searcher was not reopened for the new messages");
            assertSameAnswersAsWithoutTheIndex(fts);
            fts.awaitIdle();
            assertEquals(BASE + 2, IndexedInbox.documents(fts, state),
                    "reopened: the new ones in, the expunged one out");
            assertSameAnswersAsWithoutTheIndex(fts);
        }
    }

    @Test
    void deliveriesAloneReopenNothingAndASearchReopensWhatItWouldReadOtherwise() throws Exception {
        var options = FullTextOptions.defaults(root.resolve("fts")).withCommitInterval(Duration.ofHours(1))
                .withRefreshInterval(Duration.ZERO);
        try (var fts = new FullTextSearch(options, cache)) {
            fts.rebuildNow("u");
            for (int i = 0; i < 3; i++) {
                long before = fts.indexedMessages();
                append(IndexedInbox.message("zanzibar@example.org", "delivery " + i, "The zanzibar budget, part " + i + "."));
                while (fts.indexedMessages() == before) {
                    Thread.sleep(5);
                }
            }
            assertEquals(BASE, IndexedInbox.documents(fts, state), "indexed, and no segment written for it yet");
            assertSameAnswersAsWithoutTheIndex(fts);
            assertEquals(BASE + 3, IndexedInbox.documents(fts, state), "the search reopened the searcher");
        }
    }

    @Test
    void aMailboxEmptiedAndRefilledIsIndexedAsItIsNow() throws Exception {
        var options = FullTextOptions.defaults(root.resolve("fts")).withCommitInterval(Duration.ofHours(1));
        try (var fts = new FullTextSearch(options, cache)) {
            fts.rebuildNow("u");
            while (count() > 0) {
                expunge(count());
            }
            append(IndexedInbox.message("zanzibar@example.org", "again", "A budget once more."));
            fts.awaitIdle();
            assertEquals(1, IndexedInbox.documents(fts, state));
            assertSameAnswersAsWithoutTheIndex(fts);
        }
    }

    private void assertSameAnswersAsWithoutTheIndex(FullTextSearch fts) throws IOException {
        IndexedInbox.assertSearchesAnswerAsAScan(state, KEYS, fts);
    }

    private int count() {
        var view = new MailboxView(state, false);
        try {
            return view.count();
        } finally {
            view.close();
        }
    }

    private void expunge(int seq) throws IOException {
        var view = new MailboxView(state, false);
        try {
            state.expunge(List.of(view.message(seq)));
        } finally {
            view.close();
        }
    }

    private void append(byte[] message) throws IOException {
        IndexedInbox.append(state, message);
    }
}
