package org.roost.index;

import java.util.Arrays;

/**
 * A mailbox's messages ranked by one {@link org.roost.mail.sort.SortField}: equal values share a
 * rank, so a SORT compares two ints per criterion and never a header. Two primitive arrays (12
 * bytes a message), UIDs ascending; immutable, kept by {@link SortRankings} while no message newer
 * than its last UID appears.
 */
public final class SortRanking {
    private final long[] uids;
    private final int[] ranks;

    SortRanking(long[] uids, int[] ranks) {
        this.uids = uids;
        this.ranks = ranks;
    }

    /** The rank of the message with this UID, or -1 if it came after this ranking was made. */
    public int rank(long uid) {
        int i = Arrays.binarySearch(uids, uid);
        return i < 0 ? -1 : ranks[i];
    }

    long lastUid() {
        return uids.length == 0 ? 0 : uids[uids.length - 1];
    }

    long heapBytes() {
        return 32 + 12L * uids.length;
    }
}
