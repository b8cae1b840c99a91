package org.roost.index;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.roost.mail.MessageNotFoundException;
import org.roost.mail.mime.Envelope;
import org.roost.mail.sort.Casemap;
import org.roost.mail.sort.IntSort;
import org.roost.mail.sort.SentDate;
import org.roost.mail.sort.SortField;
import org.roost.net.Cancellation;

/**
 * The {@link SortRanking}s of one mailbox, one per sort field asked for, shared by its sessions:
 * the first SORT by a field reads every message's envelope (from the structure cache, parsing the
 * message only when it was never parsed) and ranks them; later SORTs by that field only look ranks
 * up, until a message newer than the ranking appears. Expunged messages only leave unused ranks.
 * The work of a first ranking is done on the {@link FileLookups} threads; the session's cancellation
 * is checked at every run of messages handed to them.
 */
final class SortRankings {
    private final Map<SortField, SortRanking> kept = new ConcurrentHashMap<>();
    private final FileLookups lookups;

    /** {@code lookups}: the threads that read the messages for a first ranking. */
    SortRankings(FileLookups lookups) {
        this.lookups = lookups;
    }

    /** A ranking that holds every message of {@code view}, made now if none kept does. */
    SortRanking ranking(SortField field, MailboxView view, Cancellation cancellation) throws IOException {
        var ranking = kept.get(field);
        long lastUid = view.count() == 0 ? 0 : view.uid(view.count());
        if (ranking == null || ranking.lastUid() < lastUid) {
            ranking = rank(field, view, cancellation);
            kept.put(field, ranking);
        }
        return ranking;
    }

    /** Forgets every ranking (the mailbox was rebuilt: UIDs may name other messages). */
    void clear() {
        kept.clear();
    }

    long heapBytes() {
        return kept.values().stream().mapToLong(SortRanking::heapBytes).sum();
    }

    /**
     * Reads every message's value on the lookup threads: a message never parsed is read from its file,
     * and a disk answers several reads at once much sooner than one after the other (cold, 130 µs a
     * small file alone, 70 with eight at once).
     */
    private SortRanking rank(SortField field, MailboxView view, Cancellation cancellation) throws IOException {
        int n = view.count();
        var uids = new long[n];
        for (int seq = 1; seq <= n; seq++) {
            uids[seq - 1] = view.uid(seq);
        }
        var dates = field == SortField.DATE ? new long[n] : null;
        var strings = field == SortField.DATE ? null : new String[n];
        lookups.forEach(n, i -> {
            var envelope = envelope(view, i + 1);
            if (dates != null) {
                var sent = SentDate.parse(envelope.date());
                dates[i] = sent != null ? sent : view.internalDateSeconds(i + 1); // RFC 5256 §2.2
            } else {
                strings[i] = field.key(envelope);
            }
        }, cancellation);
        IntSort.Comparator byValue = dates != null
                ? (a, b) -> Long.compare(dates[a], dates[b])
                : (a, b) -> Casemap.compare(strings[a], strings[b]);
        var order = IntSort.identity(n);
        IntSort.sort(order, byValue);
        var ranks = new int[n];
        for (int k = 1; k < n; k++) {
            ranks[order[k]] = ranks[order[k - 1]] + (byValue.compare(order[k - 1], order[k]) == 0 ? 0 : 1);
        }
        return new SortRanking(uids, ranks);
    }

    /** The message's envelope; an empty one when it was expunged meanwhile (its EXPUNGE follows). */
    private static Envelope envelope(MailboxView view, int seq) throws IOException {
        try {
            return view.state().structure(view.message(seq)).envelope();
        } catch (MessageNotFoundException gone) {
            return Envelope.EMPTY;
        }
    }
}
