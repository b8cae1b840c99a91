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

    /**
     * The ranks of the messages with {@code uids} (ascending) into {@code ranks}, -1 for one that came
     * after this ranking was made: one walk along both lists, no search per message.
     */
    public void ranks(long[] uids, long[] ranks) {
        int i = 0;
        for (int k = 0; k < uids.length; k++) {
            while (i < this.uids.length && this.uids[i] < uids[k]) {
                i++;
            }
            ranks[k] = i < this.uids.length && this.uids[i] == uids[k] ? this.ranks[i] : -1;
        }
    }

    long lastUid() {
        return uids.length == 0 ? 0 : uids[uids.length - 1];
    }

    long heapBytes() {
        return 32 + 12L * uids.length;
    }
}
