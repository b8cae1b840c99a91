package org.roost.index;

import java.util.BitSet;
import org.roost.mail.StoredMessage;
import org.roost.mail.SystemFlag;

/**
 * What SELECT, EXAMINE and STATUS report about a whole mailbox, in a few numbers: kept in the
 * index file's header so that opening a large mailbox answers them before its records are read,
 * and computed once per snapshot otherwise.
 *
 * @param firstUnseenRow   the row of the first message without {@code \Seen}, or -1
 * @param keywordMask      every keyword bit set on some message
 * @param totalVirtualSize the sum of the virtual sizes known
 * @param pendingSizes     how many messages have a virtual size not measured yet (not in the sum)
 */
record TableSummary(int count, long lastUid, int firstUnseenRow, int unseenCount, long keywordMask,
                    long totalVirtualSize, int pendingSizes) {

    static TableSummary of(MessageTable table) {
        int count = table.count();
        var totals = new Totals();
        for (int i = 0; i < count; i++) {
            totals.add(table, i);
        }
        return totals.summary(count == 0 ? 0 : table.uid(count - 1));
    }

    /**
     * The sums over rows added in order, one call per row: a loop inside one call runs interpreted for tens of
     * thousands of rows before the JIT compiles it, a method called per row is compiled after a few hundred (see
     * IndexFile's Records, which sums the records as it reads them).
     */
    static final class Totals {
        private int rows;
        private int firstUnseen = -1;
        private int unseen;
        private long keywords;
        private long virtualSize;
        private int pending;

        void add(MessageTable table, int i) {
            add(table.flags(i), table.keywords(i), table.virtualSize(i));
        }

        /** Adds the next row: its flag bits, keyword mask and virtual size ({@link StoredMessage#UNKNOWN_SIZE} when not known). */
        void add(int flags, long keywordMask, long size) {
            if ((flags & (1 << SystemFlag.SEEN.ordinal())) == 0) {
                unseen++;
                if (firstUnseen < 0) {
                    firstUnseen = rows;
                }
            }
            rows++;
            keywords |= keywordMask;
            if (size == StoredMessage.UNKNOWN_SIZE) {
                pending++;
            } else {
                virtualSize += size;
            }
        }

        /** The summary of the rows added, the last of which has {@code lastUid} (0 when none). */
        TableSummary summary(long lastUid) {
            return new TableSummary(rows, lastUid, firstUnseen, unseen, keywords, virtualSize, pending);
        }
    }

    /**
     * The summary of {@code after}, which is {@code before} (summed up by this summary) with the flags or keywords of
     * {@code rows} changed and nothing else, without a pass over every row (a STORE of one message in a million would
     * otherwise sum a million rows); null when a keyword was taken off a message (whether another message still has
     * it takes that pass) or the tables do not hold the same rows.
     */
    TableSummary afterFlagChanges(MessageTable before, MessageTable after, BitSet rows) {
        if (before.count() != count || after.count() != count) {
            return null;
        }
        int unseen = unseenCount;
        int firstUnseen = firstUnseenRow;
        long keywords = keywordMask;
        for (int i = rows.nextSetBit(0); i >= 0 && i < count; i = rows.nextSetBit(i + 1)) {
            if ((before.keywords(i) & ~after.keywords(i)) != 0) {
                return null;
            }
            keywords |= after.keywords(i);
            boolean wasUnseen = !seen(before.flags(i));
            boolean isUnseen = !seen(after.flags(i));
            if (wasUnseen != isUnseen) {
                unseen += isUnseen ? 1 : -1;
                firstUnseen = isUnseen && (firstUnseen < 0 || i < firstUnseen) ? i : firstUnseen;
            }
        }
        if (unseen == 0) {
            firstUnseen = -1;
        }
        while (firstUnseen >= 0 && firstUnseen < count && seen(after.flags(firstUnseen))) {
            firstUnseen++; // the first unseen was seen: the next one is further on
        }
        if (firstUnseen == count) {
            return null; // (this summary did not describe before's rows)
        }
        return new TableSummary(count, lastUid, firstUnseen, unseen, keywords, totalVirtualSize, pendingSizes);
    }

    private static boolean seen(int flags) {
        return (flags & (1 << SystemFlag.SEEN.ordinal())) != 0;
    }

    /** The summary once {@code measured} pending sizes, together {@code bytes}, are known. */
    TableSummary withMeasured(int measured, long bytes) {
        return new TableSummary(count, lastUid, firstUnseenRow, unseenCount, keywordMask, totalVirtualSize + bytes,
                pendingSizes - measured);
    }

    /** Whether the numbers can describe a table of {@code count} rows below {@code uidNext} with {@code keywords} names. */
    boolean plausible(long uidNext, int keywords) {
        long validKeywords = keywords == KeywordNames.MAX ? -1L : (1L << keywords) - 1;
        return count >= 0 && unseenCount >= 0 && unseenCount <= count
                && (unseenCount == 0 ? firstUnseenRow == -1 : firstUnseenRow >= 0 && firstUnseenRow < count)
                && (count == 0 ? lastUid == 0 : lastUid > 0 && lastUid < uidNext && lastUid >= count)
                && (keywordMask & ~validKeywords) == 0 && totalVirtualSize >= 0 && pendingSizes >= 0
                && pendingSizes <= count;
    }
}
