package org.roost.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.mail.StoredMessage;
import org.roost.mail.sort.KeyRanker;
import org.roost.mail.sort.PackedLongs;
import org.roost.mail.sort.SortField;
import org.roost.net.Cancellation;
import org.roost.storage.maildir.MaildirDriver;
import org.roost.storage.maildir.MaildirOptions;
import org.roost.testing.SeededMailbox;

/**
 * The rankings are made once per mailbox, every field in one pass, with a cancellation check per
 * message, and kept: a repeated SORT, by any field, does no per-message work; an expunge is dropped
 * without a read and a new message read and placed with a few reads (counted), ranking as a fresh
 * ranking would; a cancelled ranking is not kept half made.
 */
class SortRankingsTest {
    @TempDir
    Path root;

    /** Counts the checks, and ends the work after {@code limit} of them. */
    private static Cancellation counting(AtomicInteger checks, int limit) {
        return () -> {
            if (checks.incrementAndGet() > limit) {
                throw new Cancellation.Cancelled(true);
            }
        };
    }

    @Test
    void ranksOnceAndKeepsTheRanking() throws IOException {
        var mailbox = new SeededMailbox(root, 1);
        var view = mailbox.mine;
        var checks = new AtomicInteger();
        var first = view.sortRanking(SortField.SUBJECT, counting(checks, Integer.MAX_VALUE));
        // one check per message read, and one per 100 ms waited for the last runs (a loaded machine)
        int afterFirst = checks.get();
        assertTrue(afterFirst >= view.count(), afterFirst + " checks");
        var again = mailbox.other.sortRanking(SortField.SUBJECT, counting(checks, Integer.MAX_VALUE));
        assertSame(first, again);
        assertEquals(afterFirst, checks.get(), "a kept ranking reads nothing");
        assertSame(first, mailbox.other.sortRanking(SortField.SUBJECT, Cancellation.never()));
        var byFrom = mailbox.other.sortRanking(SortField.FROM, counting(checks, Integer.MAX_VALUE));
        assertEquals(afterFirst, checks.get(), "the other fields were ranked in the same pass");
        assertSame(byFrom, view.sortRanking(SortField.FROM, Cancellation.never()));

        // subjects m0..m159 rank as their upper-case strings do
        var bySubject = IntStream.rangeClosed(1, view.count()).boxed()
                .sorted(Comparator.comparing(seq -> subject(view, seq))).toList();
        for (int k = 1; k < bySubject.size(); k++) {
            assertTrue(first.rank(view.uid(bySubject.get(k - 1))) < first.rank(view.uid(bySubject.get(k))));
        }
    }

    private static String subject(MailboxView view, int seq) {
        try {
            return view.state().structure(view.message(seq)).envelope().subject().toUpperCase();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aNewerMessageMakesANewRanking() throws IOException {
        var mailbox = new SeededMailbox(root, 2);
        var kept = mailbox.mine.sortRanking(SortField.FROM, Cancellation.never());
        mailbox.state.append(new ByteArrayInputStream("From: a@b\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII)),
                Set.of(), Set.of(), Instant.now());
        var view = new MailboxView(mailbox.state, false);
        var fresh = view.sortRanking(SortField.FROM, Cancellation.never());
        assertTrue(fresh != kept);
        assertEquals(1, fresh.rank(view.uid(view.count())), "after the seeded messages without From (\"\" first, RFC 5256 §3)");
        assertSame(fresh, mailbox.mine.sortRanking(SortField.FROM, Cancellation.never()));
    }

    @Test
    void aCancelledRankingIsNotKept() throws IOException {
        var mailbox = new SeededMailbox(root, 3);
        var checks = new AtomicInteger();
        assertThrows(Cancellation.Cancelled.class, () -> mailbox.mine.sortRanking(SortField.DATE, counting(checks, 10)));
        assertEquals(11, checks.get(), "stopped at the first check after the client went away");
        checks.set(0);
        mailbox.mine.sortRanking(SortField.DATE, counting(checks, Integer.MAX_VALUE));
        assertTrue(checks.get() >= mailbox.mine.count(), "made again, every message read");
    }

    private static final String[] SUBJECTS = {"a", "B", "Re: a", "c", "", "d e"};
    private static final String[] FROMS = {"x@h", "Y <y@h>", "z@h", ""};
    private static final String[] DATES = {"Mon, 3 Jun 2024 10:00:00 +0000", "Mon, 3 Jun 2024 12:00:00 +0200",
        "Tue, 4 Jun 2024 10:00:00 +0000", "yesterday"};

    @Test
    void changesAreCountedInWithoutReadingEveryMessage() throws IOException {
        var opens = new AtomicInteger();
        var store = new CountingStore(new MaildirDriver(MaildirOptions.defaults().withFsync(false))
                .open(root.resolve("u")).mailbox("INBOX"), opens);
        var state = new MailboxState("u", "INBOX", store, true, false);
        var random = new Random(7);
        for (int i = 0; i < 400; i++) {
            append(state, random);
        }
        var view = new MailboxView(state, false);
        view.learnAll(Set.of(Fact.FILE_STATUS), Cancellation.never());
        view.sortRanking(SortField.SUBJECT, Cancellation.never());
        assertTrue(opens.get() >= 400, opens + " reads");
        for (int round = 0; round < 20; round++) {
            var gone = new ArrayList<StoredMessage>();
            for (int k = random.nextInt(0, 4); k > 0; k--) {
                gone.add(view.message(random.nextInt(1, view.count() + 1)));
            }
            if (!gone.isEmpty()) {
                state.expunge(gone.stream().distinct().toList());
            }
            int added = random.nextInt(0, 3);
            for (int k = 0; k < added; k++) {
                append(state, random);
            }
            view = new MailboxView(state, false);
            view.learnAll(Set.of(Fact.FILE_STATUS), Cancellation.never());
            opens.set(0);
            var kept = new EnumMap<SortField, SortRanking>(SortField.class);
            for (var field : SortField.values()) {
                kept.put(field, view.sortRanking(field, Cancellation.never()));
            }
            // each new message read once, then at most a binary search's probes per field
            int bound = added * (1 + SortField.values().length * 11);
            assertTrue(opens.get() <= bound, "round " + round + ": " + opens + " reads for " + added + " new");
            var fresh = new SortRankings(new FileLookups(1), KeyRanker.RUN_BYTES, null);
            for (var field : SortField.values()) {
                assertEquals(classes(fresh.ranking(field, view, Cancellation.never()), view),
                        classes(kept.get(field), view), "round " + round + ", " + field);
            }
        }
    }

    /**
     * {@code index.sortRunBytes} small against the mailbox (about a tenth of its keys a run), read on several
     * threads: the rankings of every field are those of one run held whole.
     */
    @Test
    void runsOfATenthRankAsOneRunHeldWhole() throws IOException {
        var random = new Random(17);
        var state = countedState(new AtomicInteger());
        for (int i = 0; i < 400; i++) {
            append(state, random);
        }
        var view = new MailboxView(state, false);
        view.learnAll(Set.of(Fact.FILE_STATUS), Cancellation.never());
        var small = new SortRankings(new FileLookups(4), 2048, null); // 400 messages' keys are about 20 kB
        var whole = new SortRankings(new FileLookups(1), KeyRanker.RUN_BYTES, null);
        for (var field : SortField.values()) {
            assertEquals(classes(whole.ranking(field, view, Cancellation.never()), view),
                    classes(small.ranking(field, view, Cancellation.never()), view), field.toString());
        }
    }

    /** A million messages with one value (no header at all, say): the kept order is mailbox order, made in one pass. */
    @Test
    void aMillionEqualRanksKeepMailboxOrder() {
        int n = 1_000_000;
        var ranking = new SortRanking(IntStream.rangeClosed(1, n).toArray(), PackedLongs.of(new int[n]));
        var order = ranking.order();
        for (int k = 0; k < n; k++) {
            assertEquals(k, order.getInt(k));
        }
        assertSame(order, ranking.order(), "made once");
    }

    @Test
    void keptAcrossARestartAndRankedAgainWhenTheFileIsDamaged() throws IOException {
        var random = new Random(11);
        var opens = new AtomicInteger();
        var state = countedState(opens);
        for (int i = 0; i < 300; i++) {
            append(state, random);
        }
        ranks(state);
        var file = root.resolve("u").resolve(SortRankingsFile.NAME);
        assertTrue(Files.exists(file), "kept for the next start");

        // a restart, with a message added and two expunged while the server was down
        state = countedState(opens);
        append(state, random);
        state.expunge(List.of(state.current().table().message(3), state.current().table().message(100)));
        state = countedState(opens);
        opens.set(0);
        var view = ranks(state);
        assertTrue(opens.get() <= 1 + SortField.values().length * 11, opens + " reads after the restart");
        assertSameAsFresh(view, state);

        // a damaged file: ignored, every message read again, the answers the same, the file made again
        var bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(file, bytes);
        state = countedState(opens);
        opens.set(0);
        view = ranks(state);
        assertTrue(opens.get() >= view.count(), opens + " reads with a damaged file");
        assertSameAsFresh(view, state);
        state = countedState(opens);
        opens.set(0);
        ranks(state);
        assertEquals(0, opens.get(), "the file was written anew");
    }

    private MailboxState countedState(AtomicInteger opens) throws IOException {
        return new MailboxState("u", "INBOX", new CountingStore(new MaildirDriver(MaildirOptions.defaults()
                .withFsync(false)).open(root.resolve("u")).mailbox("INBOX"), opens), true, false);
    }

    /** A view of every message, ranked by every field. */
    private static MailboxView ranks(MailboxState state) throws IOException {
        var view = new MailboxView(state, false);
        view.learnAll(Set.of(Fact.FILE_STATUS), Cancellation.never());
        for (var field : SortField.values()) {
            view.sortRanking(field, Cancellation.never());
        }
        return view;
    }

    private static void assertSameAsFresh(MailboxView view, MailboxState state) throws IOException {
        var fresh = new SortRankings(new FileLookups(1), KeyRanker.RUN_BYTES, null);
        for (var field : SortField.values()) {
            assertEquals(classes(fresh.ranking(field, view, Cancellation.never()), view),
                    classes(state.sortRanking(field, view, Cancellation.never()), view), field.toString());
        }
    }

    /** A message whose header fields mostly collide with others', one in three times with no other's. */
    private static void append(MailboxState state, Random random) throws IOException {
        boolean fresh = random.nextInt(3) == 0;
        int unique = random.nextInt(1_000_000);
        var text = "Subject: " + (fresh ? "s" + unique : SUBJECTS[random.nextInt(SUBJECTS.length)])
                + "\r\nFrom: " + (fresh ? unique + "@h" : FROMS[random.nextInt(FROMS.length)])
                + "\r\nDate: " + (fresh ? "3 Jun 2024 10:" + unique % 60 + ":00 +0" + unique % 7 + "00"
                        : DATES[random.nextInt(DATES.length)]) + "\r\n\r\nx\r\n";
        state.append(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)), Set.of(), Set.of(),
                Instant.ofEpochSecond(1717408800L + 3600L * random.nextInt(-2, 3)));
    }

    /** The view's messages in rank order, each with the number of its class of equal ranks: what a SORT sees. */
    private static List<String> classes(SortRanking ranking, MailboxView view) {
        var uids = new long[view.count()];
        var ranks = new long[view.count()];
        for (int seq = 1; seq <= view.count(); seq++) {
            uids[seq - 1] = view.uid(seq);
        }
        ranking.ranks(uids, ranks);
        var seqs = IntStream.range(0, uids.length).boxed().sorted(Comparator.comparingLong(i -> ranks[i])).toList();
        var classes = new ArrayList<String>();
        int number = -1;
        for (int k = 0; k < seqs.size(); k++) {
            if (k == 0 || ranks[seqs.get(k)] != ranks[seqs.get(k - 1)]) {
                number++;
            }
            classes.add(uids[seqs.get(k)] + ":" + number);
        }
        return classes;
    }
}
