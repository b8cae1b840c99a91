package org.roost.fts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.imap.protocol.SearchKey;
import org.roost.imap.search.SearchCommand;
import org.roost.index.IndexCache;
import org.roost.index.IndexOptions;
import org.roost.index.MailboxState;
import org.roost.index.MailboxView;
import org.roost.mail.UidSet;
import org.roost.net.Cancellation;
import org.roost.storage.MailLocation;
import org.roost.storage.maildir.MaildirDriver;
import org.roost.storage.maildir.MaildirOptions;
import org.roost.testing.GeneratedMail;

/**
 * The mail is the truth: an index caught by a crash mid-write (its files as kill -9 leaves them), one
 * whose files are damaged, or one deleted, loses no search result, and is rebuilt from the mail; one at
 * its size limit lacks messages, and loses no search result either.
 */
@Timeout(120)
class FullTextRecoveryTest {
    private static final List<SearchKey> KEYS = List.of(new SearchKey.Body("quarterly"), new SearchKey.Text("nvoic"),
            new SearchKey.Header("SUBJECT", "köln"), new SearchKey.Header("FROM", "zoë"),
            new SearchKey.Not(new SearchKey.Body("ship")));
    /** Less than 400 generated messages take in the indexer's buffer. */
    private static final long LIMIT_BYTES = 256 * 1024;
    @TempDir
    Path root;
    private IndexCache cache;
    private MailboxState state;
    private GeneratedMail mail;

    @BeforeEach
    void mailbox() throws IOException {
        mail = new GeneratedMail(new Random(11));
        cache = new IndexCache(new MaildirDriver(MailLocation.parse("maildir:" + root + "/mail/%u"),
                MaildirOptions.defaults().withFsync(false)), new IndexOptions(true, false, 1 << 24));
        state = cache.open("u", "INBOX");
        append(0, 400);
    }

    @Test
    void anIndexLeftByACrashMidWriteLosesNoResult() throws Exception {
        var live = root.resolve("fts");
        var image = root.resolve("crashed");
        try (var fts = new FullTextSearch(FullTextOptions.defaults(live), cache)) {
            fts.rebuildNow("u");
            append(400, 600); // the indexer is at work on these while the image is taken
            copy(fts.directoryOf("u"), image.resolve(fts.directoryOf("u").getFileName()));
            fts.awaitIdle();
        }
        try (var fts = new FullTextSearch(FullTextOptions.defaults(image), cache)) {
            assertAnswersAsTheScan(fts);
            fts.awaitIdle();
            assertAnswersAsTheScan(fts);
        }
    }

    @Test
    void aDamagedIndexIsRebuiltFromTheMail() throws Exception {
        var directory = root.resolve("fts");
        var userDirectory = indexed(directory);
        try (Stream<Path> files = Files.list(userDirectory)) {
            for (var file : files.filter(f -> !f.getFileName().toString().equals("write.lock")).toList()) {
                Files.write(file, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
            }
        }
        try (var fts = new FullTextSearch(FullTextOptions.defaults(directory), cache)) {
            assertAnswersAsTheScan(fts);
            fts.awaitIdle();
            assertAnswersAsTheScan(fts);
            assertNarrows(fts);
        }
    }

    /** Lucene checks checksums when it merges, not when it searches: the check after opening finds this. */
    @Test
    void aFlippedByteInsideASegmentIsFoundAndTheIndexRebuilt() throws Exception {
        var directory = root.resolve("fts");
        var userDirectory = indexed(directory);
        Path largest;
        try (Stream<Path> files = Files.list(userDirectory)) {
            largest = files.max(java.util.Comparator.comparingLong(f -> f.toFile().length())).orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(largest);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(largest, bytes);
        try (var fts = new FullTextSearch(FullTextOptions.defaults(directory), cache)) {
            assertAnswersAsTheScan(fts);
            fts.awaitIdle();
            assertTrue(fts.indexedMessages() >= 400, "rebuilt: " + fts.indexedMessages());
            assertAnswersAsTheScan(fts);
            assertNarrows(fts);
        }
    }

    @Test
    void aDeletedIndexIsRebuiltFromTheMail() throws Exception {
        var directory = root.resolve("fts");
        indexed(directory);
        try (Stream<Path> all = Files.walk(directory)) {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        try (var fts = new FullTextSearch(FullTextOptions.defaults(directory), cache)) {
            assertAnswersAsTheScan(fts);
            fts.awaitIdle();
            assertNarrows(fts);
        }
    }

    /**
     * A mailbox that got a new UIDVALIDITY is another mailbox: the documents of the old one go, at the first
     * catch-up of the new one (here the first after a restart, which compares the whole mailbox).
     */
    @Test
    void documentsOfAnotherUidValidityAreRemoved() throws Exception {
        var stale = FullTextSearch.mailboxKey("INBOX", 12345);
        try (var fts = new FullTextSearch(FullTextOptions.defaults(root.resolve("fts")), cache)) {
            fts.rebuildNow("u");
            var index = fts.index("u");
            index.put(MessageDocument.id(stale, 7), MessageDocument.unreadable(stale, 7));
            index.commit();
            assertEquals(1, documents(index, stale));
        }
        try (var fts = new FullTextSearch(FullTextOptions.defaults(root.resolve("fts")), cache)) {
            append(400, 1); // a change of the mailbox: the indexer catches it up
            fts.awaitIdle();
            var index = fts.index("u");
            assertEquals(0, documents(index, stale));
            assertEquals(401, documents(index, FullTextSearch.mailboxKey("INBOX", state.current().uidValidity())));
        }
    }

    @Test
    void anIndexAtItsLimitTakesNoMoreMessagesAndSearchesReadTheRest() throws Exception {
        var options = FullTextOptions.defaults(root.resolve("fts")).withMaxIndexBytesPerUser(LIMIT_BYTES);
        try (var fts = new FullTextSearch(options, cache)) {
            int added = fts.rebuildNow("u");
            assertTrue(added > 0 && added < 400, added + " of 400 indexed");
            assertTrue(fts.index("u").bytes() < 2 * LIMIT_BYTES, fts.index("u").bytes() + " bytes");
            assertEquals(1, fts.usersAtLimit());
            assertAnswersAsTheScan(fts);
            append(400, 50); // a change of the mailbox: the indexer looks again, and adds nothing
            assertAnswersAsTheScan(fts);
            fts.awaitIdle();
            assertEquals(added, fts.indexedMessages());
            assertAnswersAsTheScan(fts);
        }
    }

    @Test
    void underItsLimitAnIndexTakesEveryMessage() throws Exception {
        try (var fts = new FullTextSearch(FullTextOptions.defaults(root.resolve("fts")), cache)) {
            assertEquals(400, fts.rebuildNow("u"));
            assertEquals(0, fts.usersAtLimit());
        }
    }

    private static int documents(UserIndex index, String mailbox) throws IOException {
        var searcher = index.acquire();
        try {
            return UserIndex.uids(searcher, new org.apache.lucene.search.TermQuery(
                    new org.apache.lucene.index.Term(MessageDocument.MAILBOX, mailbox))).length;
        } finally {
            index.release(searcher);
        }
    }

    /** Indexes the mailbox under {@code directory}, closes the index and says where the user's files are. */
    private Path indexed(Path directory) throws IOException {
        try (var fts = new FullTextSearch(FullTextOptions.defaults(directory), cache)) {
            fts.rebuildNow("u");
            return fts.directoryOf("u");
        }
    }

    private void assertAnswersAsTheScan(FullTextSearch fts) throws IOException {
        var view = new MailboxView(state, true);
        try {
            for (var key : KEYS) {
                assertArrayEquals(SearchCommand.matching(view, key, UidSet.empty(), Cancellation.never(), FullTextSearch.disabled()),
                        SearchCommand.matching(view, key, UidSet.empty(), Cancellation.never(), fts), key.toString());
            }
        } finally {
            view.close();
        }
    }

    /** The index answers, and rules out most messages for a needle few of them hold. */
    private void assertNarrows(FullTextSearch fts) throws IOException {
        var view = new MailboxView(state, true);
        try (var lookup = fts.lookup(view).orElseThrow()) {
            var candidates = lookup.candidates(new Searched.Text(), "377").orElseThrow();
            var uids = new long[view.count()];
            for (int seq = 1; seq <= uids.length; seq++) {
                uids[seq - 1] = view.uid(seq);
            }
            long kept = candidates.of(uids).possible().cardinality();
            assertTrue(kept > 0 && kept < view.count() / 10, kept + " candidates of " + view.count());
        } finally {
            view.close();
        }
    }

    private void append(int first, int count) throws IOException {
        for (int i = first; i < first + count; i++) {
            state.append(new ByteArrayInputStream(mail.message(i)), Set.of(), Set.of(), Instant.ofEpochSecond(1_700_000_000L + i));
        }
    }

    /** The files as they are at this instant, one by one, as a crash leaves them to the next start. */
    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (var file : files.toList()) {
                try {
                    Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                } catch (java.nio.file.NoSuchFileException merged) {
                    // deleted by a merge meanwhile: gone at the crash too
                }
            }
        }
    }
}
