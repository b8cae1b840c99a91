package org.roost.fts;

import java.util.BitSet;

/**
 * The index's answer for one needle, message by message: {@link Answer#YES} when the message's indexed text
 * holds the needle within one unit (what the matcher finds), {@link Answer#NO} when it does not, and
 * {@link Answer#MAYBE} for what only the matcher can decide: messages not indexed yet, indexed in part,
 * found by a needle too long to be asked whole, or whose text past its positioned characters has every
 * trigram of the needle.
 */
public final class Candidates {
    /** What the index says of one message. */
    public enum Answer { YES, NO, MAYBE }

    private final long[] hits;
    private final long[] unsure;
    private final long[] partial;
    private final long[] indexed;
    private final boolean exact;

    /**
     * Each array ascending: {@code hits} found as a phrase where the text keeps positions, {@code unsure} found
     * only by their trigrams past them, {@code partial} indexed in part, {@code indexed} every one indexed.
     */
    Candidates(long[] hits, long[] unsure, long[] partial, long[] indexed, boolean exact) {
        this.hits = hits;
        this.unsure = unsure;
        this.partial = partial;
        this.indexed = indexed;
        this.exact = exact;
    }

    /** The answer for each of {@code uids} (ascending), in one pass over the sorted lists. */
    public Answers of(long[] uids) {
        var possible = new BitSet(uids.length);
        var sure = new BitSet(uids.length);
        var inIndex = new Cursor(indexed);
        var inPart = new Cursor(partial);
        var found = new Cursor(hits);
        var perhaps = new Cursor(unsure);
        for (int i = 0; i < uids.length; i++) {
            long uid = uids[i];
            if (!inIndex.has(uid) | inPart.has(uid)) {
                possible.set(i);
            } else if (found.has(uid)) {
                possible.set(i);
                if (exact) {
                    sure.set(i);
                }
            } else if (perhaps.has(uid)) {
                possible.set(i);
            }
        }
        return new Answers(possible, sure);
    }

    /**
     * The answers for messages by position as two sets, not one object per message: the messages not ruled
     * out, and among them those sure to match (a million-message mailbox takes two 125 kB sets).
     */
    public record Answers(BitSet possible, BitSet sure) {
        public Answer get(int position) {
            return sure.get(position) ? Answer.YES : possible.get(position) ? Answer.MAYBE : Answer.NO;
        }
    }

    /** Walks an ascending list along ascending UIDs. */
    static final class Cursor {
        private final long[] values;
        private int next;

        Cursor(long[] values) {
            this.values = values;
        }

        boolean has(long uid) {
            while (next < values.length && values[next] < uid) {
                next++;
            }
            return next < values.length && values[next] == uid;
        }

        /** Where the UID {@link #has} found last is in the list. */
        int position() {
            return next;
        }
    }
}
