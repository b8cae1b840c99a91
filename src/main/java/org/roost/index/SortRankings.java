package org.roost.index;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.roost.mail.MessageNotFoundException;
import org.roost.mail.mime.Envelope;
import org.roost.mail.sort.KeyRanker;
import org.roost.mail.sort.PackedLongs;
import org.roost.mail.sort.SentDate;
import org.roost.mail.sort.SortField;
import org.roost.net.Cancellation;

/**
 * The {@link SortRanking}s of one mailbox, shared by its sessions: the first SORT by any header field
 * reads every message's header once (from the structure cache, else alone from the message file: a
 * bounded prefix, no MIME parse) and ranks the messages by every field from that one pass, so a later
 * SORT by another field reads nothing either; later SORTs only look ranks up. A view with messages
 * expunged or added since brings them up to date ({@link RankingUpdate}: expunged ones dropped without
 * a read, new ones read and placed), unless so many are new that ranking again reads less. The rankings
 * are kept across restarts in {@link SortRankingsFile}. The reads are done on the
 * {@link FileLookups} threads; the session's cancellation is checked at every run of messages handed
 * to them, and a cancelled ranking is not kept half made.
 */
final class SortRankings {
    /** The rankings made together, over the messages {@code uids} (ascending, unsigned). */
    record Made(int[] uids, Map<SortField, SortRanking> byField) {
        long lastUid() {
            return uids.length == 0 ? 0 : Integer.toUnsignedLong(uids[uids.length - 1]);
        }
    }

    private static final System.Logger LOG = System.getLogger(SortRankings.class.getName());
    private static final List<SortField> STRING_FIELDS = Arrays.stream(SortField.values())
            .filter(field -> field != SortField.DATE).toList();
    private final FileLookups lookups;
    private final SortRankingsFile file;
    private final Path spillDirectory;
    private final int runBytes;
    private volatile Made kept;
    private volatile SortRanking arrival;

    /**
     * {@code lookups}: the threads that read the messages for a first ranking; {@code runBytes}: the keys
     * it holds in one run in memory ({@link KeyRanker}); {@code file}: where the rankings are kept across
     * restarts, or null for nowhere.
     */
    SortRankings(FileLookups lookups, int runBytes, SortRankingsFile file) {
        this.lookups = lookups;
        this.runBytes = runBytes;
        this.file = file;
        this.spillDirectory = file != null ? file.directory() : Path.of(System.getProperty("java.io.tmpdir"));
    }

    /**
     * A ranking that holds every message of {@code view}, made now (with those of every other field) if
     * none is kept, brought up to {@code view} if one is. The internal dates of all of {@code view}'s messages must be known (a sent date's
     * fallback, RFC 5256 §2.2, and what reading a message file needs first).
     */
    SortRanking ranking(SortField field, MailboxView view, Cancellation cancellation) throws IOException {
        var made = kept;
        long lastUid = view.count() == 0 ? 0 : view.uid(view.count());
        if (made == null && file != null) {
            made = file.read(view.uidValidity());
        }
        if (made == null) {
            made = ranked(view, cancellation);
        } else if (view.isCurrent() || made.lastUid() < lastUid) { // (a view behind must not drop what it has not seen)
            int firstNew = view.firstSequenceAtLeast(made.lastUid() + 1);
            if (firstNew - 1 < made.uids().length || firstNew <= view.count()) { // expunged ones, or new ones
                made = updated(made, view, firstNew, cancellation);
            }
        }
        kept = made;
        return made.byField().get(field);
    }

    /**
     * {@code made} without the messages {@code view} no longer holds and with its messages from
     * {@code firstNew} on; ranked again when that reads less, or when a message to read was removed meanwhile.
     */
    private Made updated(Made made, MailboxView view, int firstNew, Cancellation cancellation) throws IOException {
        int added = view.count() - firstNew + 1;
        var held = RankingUpdate.held(made.uids(), view);
        if (added > 0 && !RankingUpdate.worthIt(held.length, added)) {
            return ranked(view, cancellation);
        }
        var heldUids = new int[held.length];
        for (int p = 0; p < held.length; p++) {
            heldUids[p] = made.uids()[held[p]];
        }
        var uids = Arrays.copyOf(heldUids, held.length + added);
        for (int seq = firstNew; seq <= view.count(); seq++) {
            uids[held.length + seq - firstNew] = (int) view.uid(seq);
        }
        boolean compact = held.length < made.uids().length;
        var update = new RankingUpdate(view, cancellation);
        var byField = new EnumMap<SortField, SortRanking>(SortField.class);
        try {
            for (var entry : made.byField().entrySet()) {
                var ranking = compact ? RankingUpdate.compacted(entry.getValue(), heldUids, held) : entry.getValue();
                byField.put(entry.getKey(), added == 0 ? ranking : update.extended(entry.getKey(), ranking, uids, firstNew));
            }
        } catch (MessageNotFoundException gone) {
            return ranked(view, cancellation);
        }
        return new Made(added == 0 ? heldUids : uids, byField);
    }

    /** The kept ranking by {@code field}, or null when none is kept (none made yet, or the mailbox was rebuilt). */
    SortRanking kept(SortField field) {
        var made = kept;
        return made == null ? null : made.byField().get(field);
    }

    /**
     * The ranking of exactly {@code view}'s messages by internal date (ARRIVAL), made from the index's
     * columns (no message read) whenever the kept one holds other messages.
     */
    SortRanking arrival(MailboxView view, Cancellation cancellation) throws IOException {
        var made = arrival;
        if (made == null || !made.holdsExactly(view)) {
            view.learnAll(Set.of(Fact.FILE_STATUS), cancellation);
            int n = view.count();
            var uids = new int[n];
            var dates = new long[n];
            for (int seq = 1; seq <= n; seq++) {
                uids[seq - 1] = (int) view.uid(seq);
                dates[seq - 1] = view.internalDateSeconds(seq);
            }
            made = new SortRanking(uids, PackedLongs.of(dates));
            arrival = made;
        }
        return made;
    }

    /** Forgets every ranking (the mailbox was rebuilt: UIDs may name other messages). */
    void clear() {
        kept = null;
        arrival = null;
        if (file != null) {
            try {
                file.delete();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot remove the kept sort rankings: " + e);
            }
        }
    }

    /** Every message of {@code view} ranked by reading it, and kept in the file for the next start. */
    private Made ranked(MailboxView view, Cancellation cancellation) throws IOException {
        var made = rank(view, cancellation);
        if (file != null) {
            try {
                file.write(view.uidValidity(), made);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot keep the sort rankings for the next start: " + e);
            }
        }
        return made;
    }

    long heapBytes() {
        var made = kept;
        var byDate = arrival;
        return (made == null ? 0
                : 16 + 4L * made.uids().length + made.byField().values().stream().mapToLong(SortRanking::heapBytes).sum())
                + (byDate == null ? 0 : 16 + 4L * byDate.size() + byDate.heapBytes());
    }

    /**
     * Reads every message's header on the lookup threads (a disk answers several reads at once much
     * sooner than one after the other: cold, 130 µs a small file alone, 70 with eight at once) and
     * ranks by every field. No value is held per message while they are read: each field's key goes to
     * a {@link KeyRanker}, which holds a few MB of them and sorts the rest in runs
     * on disk; then one int a message while each field's ranks are counted.
     */
    private Made rank(MailboxView view, Cancellation cancellation) throws IOException {
        int n = view.count();
        var uids = new int[n];
        for (int seq = 1; seq <= n; seq++) {
            uids[seq - 1] = (int) view.uid(seq);
        }
        try (var ranker = new KeyRanker(spillDirectory, runBytes)) {
            lookups.forEach(n, i -> {
                var envelope = envelope(view, i + 1);
                var sent = SentDate.parse(envelope.date());
                var keys = new byte[SortField.values().length][];
                keys[SortField.DATE.ordinal()] =
                        KeyRanker.key(sent != null ? sent : view.internalDateSeconds(i + 1)); // RFC 5256 §2.2
                for (var field : STRING_FIELDS) {
                    keys[field.ordinal()] = KeyRanker.key(field.key(envelope));
                }
                ranker.add(i, keys);
            }, cancellation);
            var merge = ranker.ranks();
            var ranks = new int[n];
            var byField = new EnumMap<SortField, SortRanking>(SortField.class);
            for (var field : SortField.values()) {
                cancellation.check();
                merge.column(field.ordinal(), ranks);
                byField.put(field, new SortRanking(uids, PackedLongs.of(ranks)));
            }
            return new Made(uids, byField);
        }
    }

    /** The message's envelope; an empty one when it was expunged meanwhile (its EXPUNGE follows). */
    private static Envelope envelope(MailboxView view, int seq) throws IOException {
        try {
            return view.state().header(view.message(seq)).envelope();
        } catch (MessageNotFoundException gone) {
            return Envelope.EMPTY;
        }
    }
}
