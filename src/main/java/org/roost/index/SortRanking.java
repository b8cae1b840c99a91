package org.roost.index;

import org.roost.mail.sort.IntSort;
import org.roost.mail.sort.PackedLongs;

/**
 * A mailbox's messages ranked by one {@link org.roost.mail.sort.SortField}: equal values share a
 * rank, so a SORT compares two ints per criterion and never a header. The messages' UIDs (ascending,
 * as unsigned ints) are shared by the rankings made together; the ranks are packed in as few bits as
 * they need (any numbers that order the messages serve: the ARRIVAL ranking holds internal dates).
 * Immutable, kept by {@link SortRankings}; its {@link #order} is made at the first use and kept with it.
 */
public final class SortRanking {
    private final int[] uids;
    private final PackedLongs ranks;
    private volatile PackedLongs order;

    SortRanking(int[] uids, PackedLongs ranks) {
        this(uids, ranks, null);
    }

    /** A ranking whose {@link #order} is known already ({@code order} null: made at its first use). */
    SortRanking(int[] uids, PackedLongs ranks, PackedLongs order) {
        this.uids = uids;
        this.ranks = ranks;
        this.order = order;
    }

    /** The rank of the message with this UID, or -1 if it came after this ranking was made. */
    public int rank(long uid) {
        int lo = 0;
        int hi = uids.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long at = Integer.toUnsignedLong(uids[mid]);
            if (at < uid) {
                lo = mid + 1;
            } else if (at > uid) {
                hi = mid - 1;
            } else {
                return ranks.getInt(mid);
            }
        }
        return -1;
    }

    /**
     * The ranks of the messages with {@code uids} (ascending) into {@code ranks}, -1 for one that came
     * after this ranking was made: one walk along both lists, no search per message.
     */
    public void ranks(long[] uids, long[] ranks) {
        int i = 0;
        for (int k = 0; k < uids.length; k++) {
            while (i < this.uids.length && Integer.toUnsignedLong(this.uids[i]) < uids[k]) {
                i++;
            }
            ranks[k] = i < this.uids.length && Integer.toUnsignedLong(this.uids[i]) == uids[k] ? this.ranks.getInt(i) : -1;
        }
    }

    /** How many messages the ranking holds (expunged ones included: they keep their unused ranks). */
    public int size() {
        return uids.length;
    }

    PackedLongs ranks() {
        return ranks;
    }

    /** Whether this ranking's messages are exactly {@code view}'s, so that position i is sequence number i + 1. */
    public boolean holdsExactly(MailboxView view) {
        if (uids.length != view.count()) {
            return false;
        }
        for (int i = 0; i < uids.length; i++) {
            if (uidAt(i) != view.uid(i + 1)) {
                return false;
            }
        }
        return true;
    }

    /** The UID of the message at {@code position} (the ranking's messages in UID order, from 0). */
    public long uidAt(int position) {
        return Integer.toUnsignedLong(uids[position]);
    }

    /** The rank of the message at {@code position}. */
    public long rankAt(int position) {
        return ranks.get(position);
    }

    /**
     * The positions of the ranking's messages in rank order, equal ranks in UID order: a SORT by this
     * field over the whole mailbox, kept so that a repeated one is a walk along it (counted into place
     * at the first use, linear, and packed as the ranks are).
     */
    public PackedLongs order() {
        var kept = order;
        if (kept == null) {
            var values = new long[ranks.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = ranks.get(i);
            }
            kept = PackedLongs.of(IntSort.byValue(values, false));
            order = kept;
        }
        return kept;
    }

    long lastUid() {
        return uids.length == 0 ? 0 : Integer.toUnsignedLong(uids[uids.length - 1]);
    }

    /** What this ranking's own ranks cost (the UIDs are counted once for all, by {@link SortRankings}). */
    long heapBytes() {
        var kept = order;
        return 32 + ranks.heapBytes() + (kept == null ? 0 : kept.heapBytes());
    }
}
