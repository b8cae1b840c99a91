package org.roost.fts;

/**
 * The index's answer for one FUZZY text key (RFC 6203 §3), message by message: how much the message resembles
 * the needle, as a relevancy of 1 to 100 (the share of the needle's trigrams it holds), {@link #NOT} when the
 * index says it does not, or {@link #MATCHER} for the messages only the matcher can decide (not indexed yet,
 * or indexed in part), which it decides by the exact rule.
 */
public final class Resemblance {
    /** The index says the message does not resemble the needle. */
    public static final int NOT = 0;
    /** Only the matcher can decide. */
    public static final int MATCHER = -1;

    private final long[] hits;
    private final int[] relevancies;
    private final long[] partial;
    private final long[] indexed;

    /** {@code hits}, {@code partial} and {@code indexed} ascending; {@code relevancies} those of {@code hits}. */
    Resemblance(long[] hits, int[] relevancies, long[] partial, long[] indexed) {
        this.hits = hits;
        this.relevancies = relevancies;
        this.partial = partial;
        this.indexed = indexed;
    }

    /** The answer for each of {@code uids} (ascending), in one pass over the sorted lists. */
    public int[] of(long[] uids) {
        var answers = new int[uids.length];
        var inIndex = new Candidates.Cursor(indexed);
        var inPart = new Candidates.Cursor(partial);
        var found = new Candidates.Cursor(hits);
        for (int i = 0; i < uids.length; i++) {
            long uid = uids[i];
            if (!inIndex.has(uid) | inPart.has(uid)) {
                answers[i] = MATCHER;
            } else {
                answers[i] = found.has(uid) ? relevancies[found.position()] : NOT;
            }
        }
        return answers;
    }

    /** A relevancy of 1 to 100 from the share of the asked trigrams a message holds. */
    static int relevancy(float shared, int asked) {
        return Math.clamp(Math.round(100f * shared / asked), 1, 100);
    }
}
