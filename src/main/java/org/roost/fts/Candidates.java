package org.roost.fts;

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

    /** The answer for each of {@code uids} (ascending), in one pass over the sorted lists. */
    public Answer[] of(long[] uids) {
        var answers = new Answer[uids.length];
        var inIndex = new Cursor(indexed);
        var inPart = new Cursor(partial);
        var found = new Cursor(hits);
        for (int i = 0; i < uids.length; i++) {
            long uid = uids[i];
            if (!inIndex.has(uid) | inPart.has(uid)) {
                answers[i] = Answer.MAYBE;
            } else if (!found.has(uid)) {
                answers[i] = Answer.NO;
            } else {
                answers[i] = exact ? Answer.YES : Answer.MAYBE;
            }
        }
        return answers;
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
