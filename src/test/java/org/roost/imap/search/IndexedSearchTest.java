package org.roost.imap.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.fts.Candidates;
import org.roost.fts.FullTextOptions;
import org.roost.fts.FullTextSearch;
import org.roost.fts.Searched;
import org.roost.imap.protocol.SearchKey;
import org.roost.index.IndexCache;
import org.roost.index.IndexOptions;
import org.roost.index.MailboxState;
import org.roost.index.MailboxView;
import org.roost.mail.SystemFlag;
import org.roost.mail.UidSet;
import org.roost.net.Cancellation;
import org.roost.storage.MailLocation;
import org.roost.storage.maildir.MaildirDriver;
import org.roost.storage.maildir.MaildirOptions;
import org.roost.testing.GeneratedMail;

/**
 * The full-text index only narrows: for generated messages (encodings, charsets, accents, attached
 * messages) and random text keys under NOT, OR and AND, SEARCH answers exactly what the scan answers,
 * with the index current, lagging (new messages not yet indexed) and stale (expunged ones still in it).
 */
class IndexedSearchTest {
    private static final List<String> HEADERS = List.of("FROM", "TO", "CC", "BCC", "SUBJECT", "MESSAGE-ID",
            "LIST-ID", "X-NOTE");
    @TempDir
    Path root;

    @Test
    @Timeout(300)
    void answersWhatTheScanAnswers() throws Exception {
        assertAnswersAsTheScanIndexedThenLagging(23, FullTextOptions.defaults(root.resolve("fts")));
    }

    /**
     * With positions for the first 300 characters of the headers and of the body only, the rest of each text
     * having its trigrams once: most messages have words across the bound, found by the needles.
     */
    @Test
    @Timeout(300)
    void answersWhatTheScanAnswersWithPositionsOnlyAtTheStart() throws Exception {
        assertAnswersAsTheScanIndexedThenLagging(13, FullTextOptions.defaults(root.resolve("fts")).withPositionedChars(300));
    }

    /** 2,000 messages indexed, then 150 more the index lacks (scanned). */
    private void assertAnswersAsTheScanIndexedThenLagging(long seed, FullTextOptions options) throws Exception {
        var random = new Random(seed);
        var mail = new GeneratedMail(random, true);
        var cache = cache();
        var state = cache.open("u", "INBOX");
        append(state, mail, 0, 2_000);
        try (var fts = new FullTextSearch(options, cache)) {
            fts.rebuildNow("u");
            append(state, mail, 2_000, 150); // not indexed yet: scanned
            assertAnswersAsTheScan(fts, state, mail, random);
        }
    }

    /**
     * An index written with the position of every trigram (before {@code fts.positionedChars}, or with a larger
     * value) is kept when the bound is lowered, not rebuilt, and its messages and the new ones answer as the scan.
     */
    @Test
    @Timeout(300)
    void anIndexWithEveryPositionAnswersAfterTheBoundIsLowered() throws Exception {
        var random = new Random(5);
        var mail = new GeneratedMail(random, true);
        var cache = cache();
        var state = cache.open("u", "INBOX");
        append(state, mail, 0, 2_000);
        var everywhere = FullTextOptions.defaults(root.resolve("fts")).withPositionedChars(Integer.MAX_VALUE);
        try (var fts = new FullTextSearch(everywhere, cache)) {
            fts.rebuildNow("u");
        }
        append(state, mail, 2_000, 150);
        try (var fts = new FullTextSearch(everywhere.withPositionedChars(300), cache)) {
            var view = new MailboxView(state, false);
            fts.lookup(view).orElseThrow().close(); // queues the catch-up of the 150
            view.close();
            fts.awaitIdle();
            assertEquals(150, fts.indexedMessages(), "only the new messages are indexed");
            append(state, mail, 2_150, 50);
            assertAnswersAsTheScan(fts, state, mail, random);
        }
    }

    private IndexCache cache() {
        return new IndexCache(new MaildirDriver(MailLocation.parse("maildir:" + root + "/mail/%u"),
                MaildirOptions.defaults().withFsync(false)), new IndexOptions(true, false, 1 << 24));
    }

    /** Random text keys answered with the index as without it, some messages expunged but still indexed. */
    private static void assertAnswersAsTheScan(FullTextSearch fts, MailboxState state, GeneratedMail mail, Random random)
            throws Exception {
        var view = new MailboxView(state, false);
        state.expunge(List.of(view.message(3), view.message(500), view.message(1999)));
        view.sync(true);
        int narrowed = 0;
        for (int round = 0; round < 150; round++) {
            var key = randomKey(random, mail, 2);
            int[] scanned = SearchCommand.matching(view, key, UidSet.empty(), Cancellation.never(),
                    TextCandidates.NONE, fts.attachments());
            int[] indexed = SearchCommand.matching(view, key, UidSet.empty(), Cancellation.never(), fts);
            assertArrayEquals(scanned, indexed, "round " + round + ": " + key);
            if (scanned.length < view.count() / 10) {
                narrowed++;
            }
        }
        assertTrue(narrowed > 30, "most searches find few messages: " + narrowed);
        assertNarrows(fts, view);
        assertOnlyPossibleMessagesAreLookedAt(fts, view);
        view.close();
    }

    /** The index rules out what lacks the word, and keeps what has it. */
    private static void assertNarrows(FullTextSearch fts, MailboxView view) throws IOException {
        var key = new SearchKey.Text("1777");
        int[] found = SearchCommand.matching(view, key, UidSet.empty(), Cancellation.never(), FullTextSearch.disabled());
        try (var lookup = fts.lookup(view).orElseThrow()) {
            var candidates = lookup.candidates(new Searched.Text(), "1777").orElseThrow();
            int kept = 0;
            int sure = 0;
            var matching = java.util.Arrays.stream(found).boxed().collect(java.util.stream.Collectors.toSet());
            var answers = candidates.of(uids(view));
            for (int seq = 1; seq <= view.count(); seq++) {
                var answer = answers.get(seq - 1);
                kept += answer != Candidates.Answer.NO ? 1 : 0;
                sure += answer == Candidates.Answer.YES ? 1 : 0;
                assertTrue(matching.contains(seq) ? answer != Candidates.Answer.NO : answer != Candidates.Answer.YES,
                        "message " + seq + ": " + answer);
            }
            assertTrue(kept < view.count() / 2 && sure > 0, kept + " candidates, " + sure + " sure, " + found.length
                    + " found");
        }
    }

    /**
     * A search looks only at the messages the index leaves possible for a text key that must hold (alone,
     * under AND, on both sides of OR), and at every message otherwise.
     */
    private static void assertOnlyPossibleMessagesAreLookedAt(FullTextSearch fts, MailboxView view) throws IOException {
        var narrow = new SearchKey.Text("1777");
        var other = new SearchKey.Body("quarterly");
        var flag = new SearchKey.Flag(SystemFlag.SEEN, false);
        try (var lookup = fts.lookup(view).orElseThrow()) {
            List<SearchKey> all = List.of(narrow, other, new SearchKey.Not(narrow), new SearchKey.Or(narrow, other),
                    new SearchKey.Or(narrow, flag), new SearchKey.And(List.<SearchKey>of(flag, narrow)));
            var candidates = TextCandidates.of(new SearchKey.And(all), lookup, view);
            int kept = candidates.possible(narrow).cardinality();
            int kept2 = candidates.possible(other).cardinality();
            assertTrue(kept > 0 && kept < view.count() / 2, kept + " of " + view.count());
            assertEquals(null, candidates.possible(new SearchKey.Not(narrow)));
            assertEquals(null, candidates.possible(new SearchKey.Or(narrow, flag)));
            assertEquals(kept, candidates.possible(new SearchKey.And(List.<SearchKey>of(flag, narrow))).cardinality());
            int either = candidates.possible(new SearchKey.Or(narrow, other)).cardinality();
            assertTrue(either >= Math.max(kept, kept2) && either <= kept + kept2, either + " of " + kept + " + " + kept2);
        }
    }

    static long[] uids(MailboxView view) {
        var uids = new long[view.count()];
        for (int seq = 1; seq <= uids.length; seq++) {
            uids[seq - 1] = view.uid(seq);
        }
        return uids;
    }

    static void append(MailboxState state, GeneratedMail mail, int first, int count) throws IOException {
        for (int i = first; i < first + count; i++) {
            state.append(new ByteArrayInputStream(mail.message(i)), Set.of(), Set.of(), Instant.ofEpochSecond(1_700_000_000L + i));
        }
    }

    private static SearchKey randomKey(Random random, GeneratedMail mail, int depth) {
        int kind = random.nextInt(depth > 0 ? 7 : 4);
        return switch (kind) {
            case 0 -> new SearchKey.Body(needle(random, mail));
            case 1 -> new SearchKey.Text(needle(random, mail));
            case 2, 3 -> new SearchKey.Header(HEADERS.get(random.nextInt(HEADERS.size())), needle(random, mail));
            case 4 -> new SearchKey.Not(randomKey(random, mail, depth - 1));
            case 5 -> new SearchKey.Or(randomKey(random, mail, depth - 1), randomKey(random, mail, depth - 1));
            default -> {
                var keys = new ArrayList<SearchKey>();
                for (int i = random.nextInt(1, 4); i > 0; i--) {
                    keys.add(randomKey(random, mail, depth - 1));
                }
                yield new SearchKey.And(keys);
            }
        };
    }

    /** Words and pieces that occur, two words, names, short needles, nothing, and what never occurs. */
    private static String needle(Random random, GeneratedMail mail) {
        return switch (random.nextInt(9)) {
            case 0 -> mail.words(2);
            case 1 -> mail.word().substring(0, 1);
            case 2 -> "";
            case 3 -> "no such thing";
            case 4 -> "Zoë Martin";
            case 5 -> "bob@example.org";
            case 6 -> "" + random.nextInt(2_200);
            default -> mail.word();
        };
    }
}
