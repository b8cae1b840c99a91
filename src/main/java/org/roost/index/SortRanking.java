package org.roost.index;

import org.roost.mail.sort.PackedLongs;

/**
 * A mailbox's messages ranked by one {@link org.roost.mail.sort.SortField}: equal values share a
 * rank, so a SORT compares two ints per criterion and never a header. The messages' UIDs (ascending,
 * as unsigned ints) are shared by the rankings made together; the ranks are packed in as few bits as
 * they need. Immutable, kept by {@link SortRankings} while no message newer than its last UID appears.
 */
public final class SortRanking {
    private final int[] uids;
    private final PackedLongs ranks;

    SortRanking(int[] uids, PackedLongs ranks) {
        this.uids = uids;
        this.ranks = ranks;
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

    long lastUid() {
        return uids.length == 0 ? 0 : Integer.toUnsignedLong(uids[uids.length - 1]);
    }

    /** What this ranking's own ranks cost (the UIDs are counted once for all, by {@link SortRankings}). */
    long heapBytes() {
        return 32 + ranks.heapBytes();
    }
}
