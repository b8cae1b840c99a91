package org.roost.fts;

import java.util.Arrays;

/**
 * The index's answer for one needle, message by message: {@link Answer#YES} when the message's indexed text
 * holds the needle within one unit (what the matcher finds), {@link Answer#NO} when it does not, and
 * {@link Answer#MAYBE} for what only the matcher can decide: messages not indexed yet, indexed in part,
 * or found by a needle too long to be asked whole.
 */
public final class Candidates {
    /** What the index says of one message. */
    public enum Answer { YES, NO, MAYBE }

    private final long[] hits;
    private final long[] partial;
    private final long[] indexed;
    private final boolean exact;

    /** Each array ascending. */
    Candidates(long[] hits, long[] partial, long[] indexed, boolean exact) {
        this.hits = hits;
        this.partial = partial;
        this.indexed = indexed;
        this.exact = exact;
    }

    public Answer of(long uid) {
        if (Arrays.binarySearch(indexed, uid) < 0 || Arrays.binarySearch(partial, uid) >= 0) {
            return Answer.MAYBE;
        }
        if (Arrays.binarySearch(hits, uid) < 0) {
            return Answer.NO;
        }
        return exact ? Answer.YES : Answer.MAYBE;
    }
}
