package org.roost.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.mail.sort.SortField;
import org.roost.net.Cancellation;
import org.roost.testing.SeededMailbox;

/**
 * The rankings are made once per mailbox, every field in one pass, with a cancellation check per
 * message, and kept: a repeated SORT, by any field, does no per-message work until a newer message
 * appears; a cancelled ranking is not kept half made.
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
}
