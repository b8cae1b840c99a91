package org.roost.index;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.roost.mail.StoredMessage;
import org.roost.mail.SystemFlag;
import org.roost.mail.UidSet;
import org.roost.mail.sort.SortField;
import org.roost.mail.sort.ThreadKeys;
import org.roost.net.Cancellation;

/**
 * One session's view of a shared {@link MailboxState}: its own message sequence numbers, which
 * change only when the session is allowed to report changes (RFC 3501 §5.2, §7.4.1), and which
 * messages are {@code \Recent} for it. The view shares the state's primitive-column table
 * whenever it can, so a selected mailbox costs a session almost nothing.
 *
 * <p>A user looking at another user's (or the public) mailbox sees their own {@link PrivateFlags} in place of the
 * mailbox's flags of its mask: in every flag, MODSEQ and change this view tells.
 */
public final class MailboxView {
    private final MailboxState state;
    private final boolean readOnly;
    /** Whether messages can be {@code \Recent} for this view at all (not for IMAP4rev2, RFC 9051 §2.3.2). */
    private final boolean seesRecent;
    /** The user's private flags here ({@link PrivateFlags#NONE}: the mailbox's flags are all theirs). */
    private final PrivateFlags privateFlags;
    /** The private flags this view shows, in step with {@link #base}/{@link #table} as last synced. */
    private PrivateFlags.Rows rows;
    /** The snapshot whose rows this view shows; null once the view keeps rows of its own (pending expunges). */
    private MailboxSnapshot base;
    /** Null until first needed while {@link #base}'s records are still being read. */
    private MessageTable table;
    /** While {@link #table} is null: the rows of {@link #base} read so far, last asked for (see {@link #rows}). */
    private MessageTable readSoFar;
    private long version;
    /** HIGHESTMODSEQ of the snapshot this view last synced to in full (its expunges reported). */
    private long syncedModseq;
    /** The highest MODSEQ of the private flags this view showed when it last synced in full. */
    private long syncedPrivateModseq;
    /** The session's own flag updates not yet matched by a sync: uid to (flags, keywords, modseq). */
    private final Map<Long, long[]> adopted = new HashMap<>();
    private final List<long[]> recentRanges = new ArrayList<>();
    /** The snapshot version up to which this view has reported every expunge (read by other sessions' threads). */
    private volatile long expungesReportedUpTo;

    /**
     * What changed since the last {@link #sync}: in the order a protocol reports it. {@code expungedUids}
     * are the UIDs of {@code expungedSequences}, in the same (descending) order.
     */
    public record Changes(int[] expungedSequences, long[] expungedUids, boolean countChanged,
                          int[] flagChangedSequences) {
        static final Changes NONE = new Changes(new int[0], new long[0], false, new int[0]);

        public boolean isEmpty() {
            return expungedSequences.length == 0 && !countChanged && flagChangedSequences.length == 0;
        }
    }

    public MailboxView(MailboxState state, boolean readOnly) {
        this(state, readOnly, true);
    }

    /**
     * {@code seesRecent} false: no message is ever {@code \Recent} for this view, and it claims none, so the
     * next session that knows the flag still finds them recent.
     */
    public MailboxView(MailboxState state, boolean readOnly, boolean seesRecent) {
        this(state, readOnly, seesRecent, PrivateFlags.NONE);
    }

    /** A view for a user whose {@code privateFlags} these are (see {@link Mailboxes#privateFlags}). */
    public MailboxView(MailboxState state, boolean readOnly, boolean seesRecent, PrivateFlags privateFlags) {
        this.state = state;
        this.readOnly = readOnly;
        this.seesRecent = seesRecent;
        this.privateFlags = privateFlags;
        var seen = state.seen(privateFlags);
        this.rows = seen.rows();
        var snapshot = seen.snapshot();
        this.base = snapshot;
        this.version = snapshot.version();
        this.syncedModseq = snapshot.highestModseq();
        this.syncedPrivateModseq = rows.highestModseq();
        this.expungesReportedUpTo = snapshot.version();
        if (snapshot.count() > 0) {
            noteRecent(snapshot.lastUid());
        }
        state.attach(this);
    }

    /** The session is done with this view (unselected, or gone): expunged messages need no longer be held for it. */
    public void close() {
        state.detach(this);
    }

    long expungesReportedUpTo() {
        return expungesReportedUpTo;
    }

    /** Whether this view shows the mailbox as it is now: no change made since that it has not synced. */
    boolean isCurrent() {
        return base != null && base == state.current();
    }

    /** The rows this view shows (waiting, right after the mailbox was opened, for its records to be read). */
    private MessageTable table() {
        if (table == null) {
            table = base.table();
        }
        return table;
    }

    /**
     * The rows through sequence number {@code seq}: the table, or while {@link #base}'s rows stream in (a mailbox
     * opened from its storage's summary), those read so far once they reach {@code seq}, a prefix of the table (see
     * {@link StreamedRows}); so a FETCH over a whole mailbox answers as its rows are read.
     */
    private MessageTable rows(int seq) {
        var t = table;
        if (t != null) {
            return t;
        }
        var read = readSoFar;
        if (read != null && read.count() >= seq) {
            return read;
        }
        read = base.rowsThrough(seq);
        if (base.isRead()) {
            table = read;
            readSoFar = null;
        } else {
            readSoFar = read;
        }
        return read;
    }

    /** The keyword names of this view's rows, without waiting for them to be read. */
    private KeywordNames names() {
        return table != null ? table.keywordNames() : base.keywordNames();
    }

    public MailboxState state() {
        return state;
    }

    public boolean readOnly() {
        return readOnly;
    }

    public int count() {
        return table != null ? table.count() : base.count();
    }

    /** The last message made, reused when asked again (FETCH asks for each message more than once). */
    private record Made(MessageTable table, PrivateFlags.Rows rows, int index, StoredMessage message) {}

    private volatile Made made;

    /** The message with sequence number {@code seq} (1-based). */
    public StoredMessage message(int seq) {
        int i = seq - 1;
        var t = rows(seq);
        var own = adopted.isEmpty() ? null : adopted.get(t.uid(i));
        if (own == null) {
            var last = made;
            if (last != null && last.table() == t && last.rows() == rows && last.index() == i
                    && last.message().virtualSize() == t.virtualSize(i) // (facts found since?)
                    && last.message().internalDate().getEpochSecond() == t.internalDate(i)) {
                return last.message();
            }
            var m = PrivateFlags.seenAs(t.message(i), rows.bits(t.uid(i)), privateFlags.mask());
            made = new Made(t, rows, i, m);
            return m;
        }
        return new StoredMessage(t.uid(i), t.key(i), MessageTable.flagSet((int) own[0]),
                t.keywordNames().names(own[1]), Instant.ofEpochSecond(t.internalDate(i)), t.size(i),
                t.virtualSize(i));
    }

    /** The UID of sequence number {@code seq}, without making a message object. */
    public long uid(int seq) {
        return rows(seq).uid(seq - 1);
    }

    /** The UID of the last message, 0 when there is none (from the summary while the rows are read). */
    public long lastUid() {
        if (table != null) {
            return table.count() == 0 ? 0 : table.uid(table.count() - 1);
        }
        return base.lastUid();
    }

    /** Whether message {@code seq} has {@code flag}, without making a message object. */
    public boolean hasFlag(int seq, SystemFlag flag) {
        return (flagBits(seq) & (1 << flag.ordinal())) != 0;
    }

    /**
     * The internal date of message {@code seq} in epoch seconds, when {@link #knows} its
     * {@link Fact#FILE_STATUS}.
     */
    public long internalDateSeconds(int seq) {
        return rows(seq).internalDate(seq - 1);
    }

    /**
     * Whether {@code facts} of message {@code seq} are known: its storage stated them, or they were
     * looked up (afterwards unknown only when its file is gone).
     */
    public boolean knows(int seq, Set<Fact> facts) {
        return !Fact.missing(facts, rows(seq), seq - 1);
    }

    /** The lowest sequence number without {@code \Seen} (SELECT's UNSEEN code), or 0 when all are seen. */
    public int firstUnseenSequence() {
        if (base != null && adopted.isEmpty() && (privateFlags.mask() & (1 << SystemFlag.SEEN.ordinal())) == 0) {
            return base.summary().firstUnseenRow() + 1;
        }
        for (int seq = 1; seq <= table().count(); seq++) {
            if (!hasFlag(seq, SystemFlag.SEEN)) {
                return seq;
            }
        }
        return 0;
    }

    /** Every keyword set on some message (SELECT's FLAGS), from the keyword column alone. */
    public java.util.Set<String> keywordsInUse() {
        if (base != null && adopted.isEmpty()) {
            return base.keywordNames().names(base.summary().keywordMask());
        }
        long mask = 0;
        for (int i = 0; i < table().count(); i++) {
            mask |= table().keywords(i);
        }
        for (var own : adopted.values()) {
            mask |= own[1];
        }
        return table().keywordNames().names(mask);
    }

    /** Sequence number of {@code uid}, or 0 when this view does not hold it. */
    public int sequenceOf(long uid) {
        int i = table().indexOf(uid);
        return i >= 0 ? i + 1 : 0;
    }

    /** The first sequence number whose UID is at least {@code uid} (count+1 when none). */
    public int firstSequenceAtLeast(long uid) {
        int i = (table != null ? table : base.rowsReaching(uid)).indexOf(uid);
        return (i >= 0 ? i : -i - 1) + 1;
    }

    public long uidValidity() {
        return state.current().uidValidity();
    }

    /** UIDNEXT as this view may report it. */
    public long uidNext() {
        return state.current().uidNext();
    }

    public boolean seesRecent() {
        return seesRecent;
    }

    public boolean isRecent(StoredMessage m) {
        return isRecentUid(m.uid());
    }

    public boolean isRecentUid(long uid) {
        for (int i = 0; i < recentRanges.size(); i++) { // no iterator: asked once per message by recentCount
            var r = recentRanges.get(i);
            if (uid >= r[0] && uid <= r[1]) {
                return true;
            }
        }
        return false;
    }

    public int recentCount() {
        if (recentRanges.isEmpty()) {
            return 0;
        }
        int n = 0;
        for (int i = 0; i < table().count(); i++) {
            if (isRecentUid(table().uid(i))) {
                n++;
            }
        }
        return n;
    }

    /** True when the shared state moved on since this view last synced. */
    public boolean hasPendingChanges() {
        return state.current().version() != version || privateFlags.current() != rows;
    }

    /**
     * Brings the view up to date. Expunged messages leave the view only when
     * {@code allowExpunge}; until then they keep their sequence numbers.
     */
    public Changes sync(boolean allowExpunge) {
        if (state.current().version() == version && privateFlags.current() == rows) {
            return Changes.NONE; // (without the state's lock, which a long write may hold)
        }
        var seen = state.seen(privateFlags);
        var snapshot = seen.snapshot();
        if (snapshot.version() == version && seen.rows() == rows) {
            return Changes.NONE;
        }
        var next = snapshot.table();
        var expunged = new ArrayList<Integer>();
        var expungedUids = new ArrayList<Long>();
        var flagged = new ArrayList<Integer>();
        boolean pending = false;
        boolean skippedLowUid = false;
        int mine = table().count();
        long maxUid = mine == 0 ? 0 : table().uid(mine - 1);
        int keptCount = 0;
        int j = 0;
        var differing = privateFlags.mask() == 0 ? table().rowsWithOtherFlags(next, mine) : null;
        if (differing != null) { // the same messages in our rows: only those whose flags changed are looked at
            flagged.addAll(flagsChanged(differing, next, seen.rows()));
            keptCount = mine;
            j = mine;
        }
        for (int i = differing != null ? mine : 0; i < mine; i++) {
            long uid = table().uid(i);
            while (j < next.count() && next.uid(j) < uid) {
                j++; // a UID below ours that we never had: not shown until reselected
                skippedLowUid = true;
            }
            if (j < next.count() && next.uid(j) == uid) {
                if (flagsDiffer(i, next, j, seen.rows())) {
                    flagged.add(keptCount + 1);
                }
                keptCount++;
                j++;
            } else if (allowExpunge) {
                expunged.add(i + 1);
                expungedUids.add(uid);
            } else {
                keptCount++;
                pending = true;
            }
        }
        int appended = 0;
        for (; j < next.count(); j++) {
            if (next.uid(j) > maxUid) {
                appended++;
            } else {
                skippedLowUid = true;
            }
        }
        rows = seen.rows();
        table = pending || skippedLowUid ? merged(next, maxUid) : next;
        base = table == next ? snapshot : null;
        adopted.clear();
        if (appended > 0) {
            noteRecent(table().uid(table().count() - 1));
        }
        version = pending ? -1 : snapshot.version(); // -1: re-check until the expunges may be reported
        syncedModseq = pending ? syncedModseq : snapshot.highestModseq();
        syncedPrivateModseq = pending ? syncedPrivateModseq : rows.highestModseq();
        if (!pending) {
            expungesReportedUpTo = snapshot.version();
            state.expungesReported();
        }
        int[] expungedDescending = expunged.reversed().stream().mapToInt(Integer::intValue).toArray();
        long[] uidsDescending = expungedUids.reversed().stream().mapToLong(Long::longValue).toArray();
        return new Changes(expungedDescending, uidsDescending, appended > 0,
                flagged.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * The sequence numbers whose flags this view shows otherwise than {@code next}, which holds the same messages in
     * this view's rows: among the rows whose flags differ between the tables and the rows of this session's own
     * changes (which the view shows as made, its table aside).
     */
    private List<Integer> flagsChanged(BitSet differing, MessageTable next, PrivateFlags.Rows nextRows) {
        for (long uid : adopted.keySet()) {
            int i = table().indexOf(uid);
            if (i >= 0) {
                differing.set(i);
            }
        }
        var flagged = new ArrayList<Integer>();
        for (int i = differing.nextSetBit(0); i >= 0; i = differing.nextSetBit(i + 1)) {
            if (flagsDiffer(i, next, i, nextRows)) {
                flagged.add(i + 1);
            }
        }
        return flagged;
    }

    private boolean flagsDiffer(int i, MessageTable next, int j, PrivateFlags.Rows nextRows) {
        var own = adopted.isEmpty() ? null : adopted.get(table().uid(i));
        long flags = own == null ? bits(table(), rows, i) : own[0];
        long keywords = own == null ? table().keywords(i) : own[1];
        return flags != bits(next, nextRows, j) || keywords != next.keywords(j);
    }

    /** The system flag bits of row {@code i} of {@code t} as this view's user sees them with private {@code r}. */
    private int bits(MessageTable t, PrivateFlags.Rows r, int i) {
        int mask = privateFlags.mask();
        return mask == 0 ? t.flags(i) : t.flags(i) & ~mask | r.bits(t.uid(i));
    }

    /** Whether {@code flag} is this view's user's own here (a {@link PrivateFlags private flag}). */
    public boolean privateFlag(SystemFlag flag) {
        return (privateFlags.mask() & 1 << flag.ordinal()) != 0;
    }

    /** Changes flags as this view's user does: their private flags apart (see {@link MailboxState#setFlags(List, long, PrivateFlags)}). */
    public MailboxState.FlagResult setFlags(List<MailboxState.FlagChange> changes, long unchangedSince)
            throws IOException {
        return state.setFlags(changes, unchangedSince, privateFlags);
    }

    /** This view's rows that are still pending expunge, merged with the current rows it may show. */
    private MessageTable merged(MessageTable next, long maxUid) {
        var b = MessageTable.builder(next.keys(), next.keywordNames(), table().count() + next.count());
        int i = 0;
        int j = 0;
        while (i < table().count() || j < next.count()) {
            long mineUid = i < table().count() ? table().uid(i) : Long.MAX_VALUE;
            long nextUid = j < next.count() ? next.uid(j) : Long.MAX_VALUE;
            if (nextUid == mineUid) {
                copyRow(b, next, j++);
                i++;
            } else if (mineUid < nextUid) {
                copyRow(b, table(), i++); // expunged, but not yet reportable
            } else {
                if (nextUid > maxUid) {
                    copyRow(b, next, j);
                }
                j++;
            }
        }
        return b.build();
    }

    private static void copyRow(MessageTable.Builder b, MessageTable t, int i) {
        b.add(t.uid(i), t.flags(i), t.keywords(i), t.modseq(i), t.internalDate(i), t.size(i), t.virtualSize(i),
                t.keyRef(i));
    }

    /** Takes the session's own flag updates into the view, so they are not reported back as changes. */
    public void adopt(MailboxState.FlagResult result) {
        for (var u : result.updated()) {
            var m = u.message();
            if (sequenceOf(m.uid()) > 0) {
                adopted.put(m.uid(), new long[] {MessageTable.flagBits(m.flags()),
                        table().keywordNames().knownMask(m.keywords()), u.modseq()});
            }
        }
    }

    /** The MODSEQ of message {@code seq} as this view shows it (RFC 7162 §3.1.4.2), the session's own changes included. */
    public long modseq(int seq) {
        var t = rows(seq);
        long uid = t.uid(seq - 1);
        var own = adopted.isEmpty() ? null : adopted.get(uid);
        if (own != null) {
            return own[2];
        }
        long shared = t.modseq(seq - 1);
        return privateFlags.any() ? Math.max(shared, rows.modseq(uid)) : shared;
    }

    /**
     * HIGHESTMODSEQ as this view may report it: that of the snapshot it last synced to in full, so
     * that every change up to it has been shown (its own STOREs since may be higher; others' not yet told).
     */
    public long highestModseq() {
        return Math.max(syncedModseq, syncedPrivateModseq);
    }

    /**
     * The UIDs of {@code within} that were expunged after {@code modseq} and that this view no longer
     * shows (QRESYNC's VANISHED (EARLIER), RFC 7162 §3.2.5.1, §3.2.6): exact as far back as the mailbox
     * remembers, beyond that every UID below UIDNEXT it does not hold.
     */
    public UidSet vanishedSince(long modseq, UidSet within) throws IOException {
        var recorded = state.expungedAfter(modseq);
        var candidates = recorded != null ? recorded : UidSet.range(1, uidNext() - 1);
        var rows = table();
        return candidates.intersect(within).without(new UidSet.SortedUids() {
            @Override
            public int count() {
                return rows.count();
            }

            @Override
            public long uid(int index) {
                return rows.uid(index);
            }
        });
    }

    /**
     * Takes the messages up to {@code upTo} that no session has claimed yet as {@code \Recent} for
     * this view: claimed when read-write, only looked at when read-only (so that a later SELECT
     * still finds them recent, RFC 3501 §6.3.2). A read-only view's ranges may overlap; they are merged.
     */
    private void noteRecent(long upTo) {
        if (!seesRecent) {
            return;
        }
        long first = readOnly ? state.firstUnclaimedRecent() : state.claimRecent(upTo);
        if (first > upTo) {
            return;
        }
        var last = recentRanges.isEmpty() ? null : recentRanges.getLast();
        if (last != null && first <= last[1] + 1) {
            last[0] = Math.min(last[0], first);
            last[1] = Math.max(last[1], upTo);
        } else {
            recentRanges.add(new long[] {first, upTo});
        }
    }

    @Override
    public String toString() {
        return "MailboxView[" + state.name() + ", " + count() + " messages]";
    }

    // Read-only accessors for the protocols' hot paths (FETCH and SEARCH over a whole mailbox):
    // the values of message(seq) without making a message object.

    /** The system flag bits of message {@code seq} ({@code 1 << flag.ordinal()}), with the session's own changes. */
    public int flagBits(int seq) {
        var t = rows(seq);
        var own = adopted.isEmpty() ? null : adopted.get(t.uid(seq - 1));
        return own == null ? bits(t, rows, seq - 1) : (int) own[0];
    }

    /** The keyword mask of message {@code seq}, the session's own changes included; {@link #keywords} names it. */
    public long keywordMask(int seq) {
        var t = rows(seq);
        var own = adopted.isEmpty() ? null : adopted.get(t.uid(seq - 1));
        return own == null ? t.keywords(seq - 1) : own[1];
    }

    /** The keywords of a {@link #keywordMask}, in ascending order (as {@code message(seq).keywords()}). */
    public java.util.Set<String> keywords(long mask) {
        return names().names(mask);
    }

    /** The bits of the keywords named {@code keyword} ignoring case (SEARCH KEYWORD matches so). */
    public long keywordMaskIgnoringCase(String keyword) {
        var names = names().names();
        long mask = 0;
        for (int bit = 0; bit < names.size(); bit++) {
            if (names.get(bit).equalsIgnoreCase(keyword)) {
                mask |= 1L << bit;
            }
        }
        return mask;
    }

    /**
     * RFC822.SIZE of message {@code seq}: {@link StoredMessage#UNKNOWN_SIZE} unless its storage stated it
     * or it was looked up ({@link Fact#VIRTUAL_SIZE}; after that only when its file is gone).
     */
    public long virtualSize(int seq) {
        return rows(seq).virtualSize(seq - 1);
    }

    /** Work on the sequence numbers {@code seqs[from, to)}. */
    public interface Chunk {
        void run(int from, int to) throws IOException;
    }

    /**
     * Runs {@code work} over {@code seqs} a chunk at a time, looking up each chunk's {@code needed} facts
     * first where unknown: a command over a million messages that others wrote answers as it looks
     * them up, and stops looking when it fails to answer or is cancelled (its client gone).
     */
    public void inChunks(int[] seqs, Set<Fact> needed, Cancellation cancellation, Chunk work) throws IOException {
        for (int from = 0; from < seqs.length; from += FactFinder.BATCH) {
            int to = Math.min(seqs.length, from + FactFinder.BATCH);
            learn(Arrays.stream(seqs, from, to), needed, cancellation);
            work.run(from, to);
        }
    }

    /** Looks up {@code needed} for every message of this view where unknown (SEARCH on dates or sizes). */
    public void learnAll(Set<Fact> needed, Cancellation cancellation) throws IOException {
        learn(IntStream.rangeClosed(1, count()), needed, cancellation);
    }

    /** Every message of this view ranked by {@code field} (the first time by reading their envelopes; kept after). */
    public SortRanking sortRanking(SortField field, Cancellation cancellation) throws IOException {
        return state.sortRanking(field, this, cancellation);
    }

    /**
     * The ranking by {@code field} kept from an earlier SORT, or null when none is; it may hold other
     * messages than this view (made before an APPEND or EXPUNGE this view has seen, or after one it has not).
     */
    public SortRanking keptSortRanking(SortField field) {
        return state.keptSortRanking(field);
    }

    /** This view's messages ranked by internal date (ARRIVAL), from the index's columns: kept while they are the same. */
    public SortRanking arrivalRanking(Cancellation cancellation) throws IOException {
        return state.arrivalRanking(this, cancellation);
    }

    /**
     * The thread keys of the messages {@code found} (ascending sequence numbers), row i the message
     * {@code found[i]}, with at most the last {@code maxReferences} references each (the first time
     * by reading every message's structure; kept after).
     */
    public ThreadKeys threadKeys(int[] found, int maxReferences, Cancellation cancellation) throws IOException {
        return state.threadKeys(this, found, maxReferences, cancellation);
    }

    /** Looks up {@code needed} for the messages {@code seqs} where unknown. */
    public void learn(int[] seqs, Set<Fact> needed, Cancellation cancellation) throws IOException {
        learn(Arrays.stream(seqs), needed, cancellation);
    }

    private void learn(IntStream seqs, Set<Fact> needed, Cancellation cancellation) throws IOException {
        if (needed.isEmpty()) {
            return;
        }
        var missing = seqs.filter(seq -> Fact.missing(needed, rows(seq), seq - 1)).map(seq -> seq - 1).toArray();
        if (missing.length > 0) {
            state.learn(table(), missing, needed, cancellation);
        }
    }
}
