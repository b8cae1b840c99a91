package org.roost.fts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.roost.testing.GeneratedMail;

/**
 * New mail left for the first SEARCH that needs it ({@code fts.deferredMessagesPerUser}): a delivery writes nothing
 * to the index, the search finds it anyway (reading it) and hands the mailbox to the indexer, a user's backlog past
 * the bound is indexed in the background, and what a previous run left unindexed is caught up at the mailbox's
 * first change. Every answer is the scan's.
 */
@Timeout(120)
class DeferredIndexingTest {
    private static final int BASE = 20;
    private static final int BOUND = 10;
    private static final List<SearchKey> KEYS = List.of(new SearchKey.Body("zanzibar"), new SearchKey.Text("ZANZIBAR"),
            new SearchKey.Header("From", "zanzibar"), new SearchKey.Body("budget"), new SearchKey.Text("invoice"),
            new SearchKey.Not(new SearchKey.Body("zanzibar")));
    @TempDir
    Path root;
    private final GeneratedMail mail = new GeneratedMail(new Random(5));
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
    void deliveriesWriteNothingToTheIndexAndTheFirstSearchFindsThem() throws Exception {
        try (var fts = new FullTextSearch(options(), cache)) {
            fts.rebuildNow("u");
            long indexed = fts.indexedMessages();
            for (int i = 0; i < BOUND; i++) {
                append(IndexedInbox.message("zanzibar@example.org", "delivery " + i, "The zanzibar budget, part " + i + "."));
            }
            fts.awaitIdle();
            assertEquals(indexed, fts.indexedMessages(), "nothing indexed at delivery");
            assertEquals(BOUND, fts.waiting("u"));
            assertEquals(BASE, IndexedInbox.documents(fts, state));
            assertSameAnswersAsWithoutTheIndex(fts, BOUND); // reads the ten, hands the mailbox over
            fts.awaitIdle();
            assertEquals(indexed + BOUND, fts.indexedMessages(), "the search had them indexed");
            assertEquals(0, fts.waiting("u"));
            assertEquals(BASE + BOUND, IndexedInbox.documents(fts, state));
            assertSameAnswersAsWithoutTheIndex(fts, BOUND);
        }
    }

    @Test
    void aBacklogPastTheBoundIsIndexedInTheBackground() throws Exception {
        try (var fts = new FullTextSearch(options(), cache)) {
            fts.rebuildNow("u");
            long indexed = fts.indexedMessages();
            for (int i = 0; i <= BOUND; i++) {
                append(mail.message(BASE + i));
            }
            fts.awaitIdle();
            assertEquals(indexed + BOUND + 1, fts.indexedMessages(), "the eleventh message had all eleven indexed");
            assertEquals(0, fts.waiting("u"));
            append(mail.message(BASE + BOUND + 1));
            fts.awaitIdle();
            assertEquals(1, fts.waiting("u"), "the next one waits again");
            assertEquals(indexed + BOUND + 1, fts.indexedMessages());
        }
    }

    /** A flood to one user: never more than the bound left unindexed once the indexer is idle, nor counted. */
    @Test
    void aFloodToOneUserLeavesAtMostTheBoundForTheFirstSearch() throws Exception {
        try (var fts = new FullTextSearch(options(), cache)) {
            fts.rebuildNow("u");
            for (int i = 0; i < 30 * BOUND + 7; i++) {
                append(mail.message(BASE + i));
                assertTrue(fts.waiting("u") <= 30 * BOUND + 7, "counts only what came");
            }
            fts.awaitIdle();
            int documents = IndexedInbox.documents(fts, state);
            assertTrue(BASE + 30 * BOUND + 7 - documents <= BOUND, (BASE + 30 * BOUND + 7 - documents) + " left");
            assertTrue(fts.waiting("u") <= BOUND, fts.waiting("u") + " waiting");
            assertSameAnswersAsWithoutTheIndex(fts, 0);
        }
    }

    /** What a previous run did not index (not counted by this one) goes to the indexer at the first change. */
    @Test
    void whatAPreviousRunLeftUnindexedIsCaughtUpAtTheMailboxsFirstChange() throws Exception {
        try (var fts = new FullTextSearch(options(), cache)) {
            fts.rebuildNow("u");
            for (int i = 0; i < BOUND; i++) {
                append(mail.message(BASE + i));
            }
            fts.awaitIdle();
            assertEquals(BASE, IndexedInbox.documents(fts, state), "left for a search");
        }
        try (var fts = new FullTextSearch(options(), cache)) {
            append(mail.message(BASE + BOUND));
            fts.awaitIdle();
            assertEquals(BASE + BOUND + 1, IndexedInbox.documents(fts, state));
            assertEquals(0, fts.waiting("u"));
            append(mail.message(BASE + BOUND + 1));
            fts.awaitIdle();
            assertEquals(1, fts.waiting("u"), "known now: the next one waits");
        }
    }

    private FullTextOptions options() {
        return FullTextOptions.defaults(root.resolve("fts")).withCommitInterval(Duration.ofHours(1))
                .withRefreshInterval(Duration.ZERO).withDeferredMessagesPerUser(BOUND);
    }

    /** Each key answers as a scan does; the first key finds at least {@code least} messages. */
    private void assertSameAnswersAsWithoutTheIndex(FullTextSearch fts, int least) throws IOException {
        int found = IndexedInbox.assertSearchesAnswerAsAScan(state, KEYS, fts);
        assertTrue(found >= least, KEYS.get(0) + " found " + found);
    }

    private void append(byte[] message) throws IOException {
        IndexedInbox.append(state, message);
    }
}
