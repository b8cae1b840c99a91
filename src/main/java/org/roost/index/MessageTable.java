package org.roost.index;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.roost.mail.StoredMessage;
import org.roost.mail.SystemFlag;

/**
 * An immutable table of a mailbox's messages in ascending UID order, one primitive array per
 * field: 25 heap bytes per message while no keyword is set, every MODSEQ is the same and every
 * internal date lies in 1970-2106 (the keyword, MODSEQ and date high-byte columns are made on the
 * first change that needs them), 42 at most; the storage keys live in the {@link KeyArena}.
 * {@link StoredMessage} objects are made on demand. Tables of one mailbox share their arrays:
 * an append writes past the end that older tables see, a flag change copies only the flag
 * columns, an expunge compacts into new arrays. Only the newest table is ever extended.
 *
 * <p>One write happens in place: what was not known when the message was listed (its internal date
 * and physical size, which its file's metadata tells, and its virtual size, which reading it tells)
 * is filled in once looked up ({@link #fill}). A row of a shared array is the same message in every
 * table that shares it, and those facts of a message do not change, so every such table gains the
 * same facts; the caller serializes these writes with everything that reads them for the index
 * files. A date's two parts are published in order (its high byte last, with release semantics),
 * so that a reader on another thread sees either the pending date or the whole one.
 */
final class MessageTable {
    /**
     * The earliest and latest internal date the columns hold (about ±17,000 years): beyond RFC 3501's
     * years 0000-9999 in any zone, so that every date a client may give is kept as given. The lowest
     * high byte is left out: it marks a date not looked up yet ({@link #PENDING}).
     */
    static final long MIN_DATE = -(1L << 39) + (1L << 32);
    static final long MAX_DATE = (1L << 39) - 1;
    /** {@link StoredMessage#UNKNOWN_DATE} in epoch seconds: how the table and the index files give a date not looked up yet. */
    static final long UNKNOWN_DATE = StoredMessage.UNKNOWN_DATE.getEpochSecond();
    private static final byte PENDING = Byte.MIN_VALUE;
    private static final VarHandle HIGHS = MethodHandles.arrayElementVarHandle(byte[].class);

    private final KeyArena keys;
    private final KeywordNames keywordNames;
    private final int count;
    private final int[] uids;
    private final byte[] flags;
    /** Null while every message has no keyword. */
    private final long[] keywords;
    /** Null while every message has {@link #uniformModseq}. */
    private final long[] modseqs;
    private final long uniformModseq;
    /** Internal dates in epoch seconds: the low 32 bits, unsigned (1970 to 2106 alone)... */
    private final int[] dates;
    /** ...and the bits above them, signed, or {@link #PENDING}; null while every date has none. */
    private final byte[] dateHighs;
    /** Unsigned, {@link #UNKNOWN_STORED} where not looked up yet, as {@link #virtualSizes}. */
    private final int[] sizes;
    private final int[] virtualSizes;
    private final long[] keyRefs;
    /** How a size not known yet is stored: the one unsigned value no known size is given. */
    private static final int UNKNOWN_STORED = -1;
    private static final long LARGEST_SIZE = 0xffff_fffeL;

    private MessageTable(KeyArena keys, KeywordNames keywordNames, int count, int[] uids, byte[] flags,
                         long[] keywords, long[] modseqs, long uniformModseq, int[] dates, byte[] dateHighs,
                         int[] sizes, int[] virtualSizes, long[] keyRefs) {
        this.keys = keys;
        this.keywordNames = keywordNames;
        this.count = count;
        this.uids = uids;
        this.flags = flags;
        this.keywords = keywords;
        this.modseqs = modseqs;
        this.uniformModseq = uniformModseq;
        this.dates = dates;
        this.dateHighs = dateHighs;
        this.sizes = sizes;
        this.virtualSizes = virtualSizes;
        this.keyRefs = keyRefs;
    }

    static MessageTable empty(KeyArena keys, KeywordNames keywordNames) {
        return new MessageTable(keys, keywordNames, 0, new int[0], new byte[0], null, null, 0, new int[0], null,
                new int[0], new int[0], new long[0]);
    }

    /** Builds a table of {@code capacity} rows, filled by {@link Builder#add} in ascending UID order. */
    static Builder builder(KeyArena keys, KeywordNames keywordNames, int capacity) {
        return new Builder(keys, keywordNames, capacity);
    }

    static final class Builder {
        private final KeyArena keys;
        private final KeywordNames names;
        private int capacity;
        private int[] uids;
        private byte[] flags;
        private long[] keywords;
        private long[] modseqs;
        private long uniformModseq = -1;
        private int[] dates;
        private byte[] dateHighs;
        private int[] sizes;
        private int[] virtualSizes;
        private long[] keyRefs;
        private int n;

        private Builder(KeyArena keys, KeywordNames names, int capacity) {
            this.keys = keys;
            this.names = names;
            this.capacity = capacity;
            uids = new int[capacity];
            flags = new byte[capacity];
            dates = new int[capacity];
            sizes = new int[capacity];
            virtualSizes = new int[capacity];
            keyRefs = new long[capacity];
        }

        Builder add(long uid, int flag, long keyword, long modseq, long date, long size, long vsize, long keyRef) {
            if (n == capacity) {
                grow();
            }
            uids[n] = (int) uid;
            flags[n] = (byte) flag;
            if (keyword != 0 && keywords == null) {
                keywords = new long[capacity];
            }
            if (keywords != null) {
                keywords[n] = keyword;
            }
            if (uniformModseq == -1) {
                uniformModseq = modseq;
            }
            if (modseq != uniformModseq && modseqs == null) {
                modseqs = new long[capacity];
                Arrays.fill(modseqs, 0, n, uniformModseq);
            }
            if (modseqs != null) {
                modseqs[n] = modseq;
            }
            dates[n] = low(date);
            if (high(date) != 0 && dateHighs == null) {
                dateHighs = new byte[capacity];
            }
            if (dateHighs != null) {
                dateHighs[n] = high(date);
            }
            sizes[n] = storedSize(size);
            virtualSizes[n] = storedSize(vsize);
            keyRefs[n] = keyRef;
            n++;
            return this;
        }

        /** More rows than the capacity the storage expected (its count was a hint): half as many again. */
        private void grow() {
            capacity = capacity + (capacity >> 1) + 16;
            uids = Arrays.copyOf(uids, capacity);
            flags = Arrays.copyOf(flags, capacity);
            keywords = keywords == null ? null : Arrays.copyOf(keywords, capacity);
            modseqs = modseqs == null ? null : Arrays.copyOf(modseqs, capacity);
            dates = Arrays.copyOf(dates, capacity);
            dateHighs = dateHighs == null ? null : Arrays.copyOf(dateHighs, capacity);
            sizes = Arrays.copyOf(sizes, capacity);
            virtualSizes = Arrays.copyOf(virtualSizes, capacity);
            keyRefs = Arrays.copyOf(keyRefs, capacity);
        }

        MessageTable build() {
            return new MessageTable(keys, names, n, uids, flags, keywords, modseqs, Math.max(0, uniformModseq), dates,
                    dateHighs, sizes, virtualSizes, keyRefs);
        }
    }

    static long clampDate(long epochSecond) {
        return Math.max(MIN_DATE, Math.min(epochSecond, MAX_DATE));
    }

    /** Whether an index file or log may hold {@code epochSecond} as a date: one the columns hold, or {@link #UNKNOWN_DATE}. */
    static boolean validDate(long epochSecond) {
        return epochSecond == UNKNOWN_DATE || epochSecond == clampDate(epochSecond);
    }

    private static int low(long date) {
        return date == UNKNOWN_DATE ? 0 : (int) clampDate(date);
    }

    private static byte high(long date) {
        return date == UNKNOWN_DATE ? PENDING : (byte) (clampDate(date) >> 32);
    }

    /** A size as the table and the index file store it (u32, {@link #UNKNOWN_STORED} when unknown). */
    static int storedSize(long size) {
        return size == StoredMessage.UNKNOWN_SIZE ? UNKNOWN_STORED : (int) Math.max(0, Math.min(size, LARGEST_SIZE));
    }

    /** The inverse of {@link #storedSize}. */
    static long sizeOf(int stored) {
        return stored == UNKNOWN_STORED ? StoredMessage.UNKNOWN_SIZE : Integer.toUnsignedLong(stored);
    }

    private MessageTable withCount(int n) {
        return new MessageTable(keys, keywordNames, n, uids, flags, keywords, modseqs, uniformModseq, dates, dateHighs,
                sizes, virtualSizes, keyRefs);
    }

    int count() {
        return count;
    }

    long uid(int i) {
        return Integer.toUnsignedLong(uids[i]);
    }

    int flags(int i) {
        return flags[i];
    }

    long keywords(int i) {
        return keywords == null ? 0 : keywords[i];
    }

    long modseq(int i) {
        return modseqs == null ? uniformModseq : modseqs[i];
    }

    /** The internal date of row {@code i} in epoch seconds, or {@link #UNKNOWN_DATE} while not looked up. */
    long internalDate(int i) {
        if (dateHighs == null) {
            return Integer.toUnsignedLong(dates[i]);
        }
        byte high = (byte) HIGHS.getAcquire(dateHighs, i); // before the low part: see the class comment
        return high == PENDING ? UNKNOWN_DATE : (long) high << 32 | Integer.toUnsignedLong(dates[i]);
    }

    /** The physical size of row {@code i}, or {@link StoredMessage#UNKNOWN_SIZE} while not looked up. */
    long size(int i) {
        return sizeOf(sizes[i]);
    }

    /** The virtual size of row {@code i}, or {@link StoredMessage#UNKNOWN_SIZE} while not measured. */
    long virtualSize(int i) {
        return sizeOf(virtualSizes[i]);
    }

    /**
     * Fills in, in place (see the class comment), what row {@code i} did not know of {@code date},
     * {@code size} and {@code virtualSize} ({@link #UNKNOWN_DATE} and {@link StoredMessage#UNKNOWN_SIZE}
     * where not found either); false when nothing was new, and then nothing changes.
     */
    boolean fill(int i, long date, long size, long virtualSize) {
        boolean filled = false;
        if (date != UNKNOWN_DATE && internalDate(i) == UNKNOWN_DATE) {
            dates[i] = low(date);
            HIGHS.setRelease(dateHighs, i, high(date));
            filled = true;
        }
        if (size != StoredMessage.UNKNOWN_SIZE && sizes[i] == UNKNOWN_STORED) {
            sizes[i] = storedSize(size);
            filled = true;
        }
        if (virtualSize != StoredMessage.UNKNOWN_SIZE && virtualSizes[i] == UNKNOWN_STORED) {
            virtualSizes[i] = storedSize(virtualSize);
            filled = true;
        }
        return filled;
    }

    long keyRef(int i) {
        return keyRefs[i];
    }

    String key(int i) {
        return keys.get(keyRefs[i]);
    }

    KeyArena keys() {
        return keys;
    }

    KeywordNames keywordNames() {
        return keywordNames;
    }

    boolean hasFlag(int i, SystemFlag flag) {
        return (flags[i] & (1 << flag.ordinal())) != 0;
    }

    StoredMessage message(int i) {
        return new StoredMessage(uid(i), key(i), flagSet(flags[i]), keywordNames.names(keywords(i)),
                Instant.ofEpochSecond(internalDate(i)), size(i), virtualSize(i));
    }

    static int flagBits(Set<SystemFlag> set) {
        return SystemFlag.bitsOf(set);
    }

    static Set<SystemFlag> flagSet(int bits) {
        return SystemFlag.setOf(bits);
    }

    /** Row of {@code uid}, or a negative insertion point as in {@link Arrays#binarySearch}. */
    int indexOf(long uid) {
        int lo = 0;
        int hi = count - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long m = uid(mid);
            if (m < uid) {
                lo = mid + 1;
            } else if (m > uid) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    /**
     * The rows below {@code rows} whose flags or keywords are not the same in {@code other}, when both tables are known
     * to hold the same messages there: they share the UID column (only flags, keywords and facts changed, or messages
     * were appended after them). Null when that is not known or the keyword columns cannot be compared as arrays; the
     * caller then compares message by message. Runs of equal rows are skipped by {@link Arrays#mismatch} (vectorised,
     * and compiled long before any one mailbox's loop would be): a flag change of one message in a million is found
     * without a per-row loop.
     */
    BitSet rowsWithOtherFlags(MessageTable other, int rows) {
        if (other.uids != uids || rows > count || rows > other.count
                || (keywords == null) != (other.keywords == null)) {
            return null;
        }
        var differing = new BitSet();
        if (flags != other.flags) {
            for (int i = 0, m; i < rows && (m = Arrays.mismatch(flags, i, rows, other.flags, i, rows)) >= 0; i += m + 1) {
                differing.set(i + m);
            }
        }
        if (keywords != other.keywords) {
            for (int i = 0, m; i < rows && (m = Arrays.mismatch(keywords, i, rows, other.keywords, i, rows)) >= 0;
                    i += m + 1) {
                differing.set(i + m);
            }
        }
        return differing;
    }

    /** Heap bytes held by this table's arrays (shared arrays counted in full). */
    long heapBytes() {
        long perRow = 4 + 1 + 4 + 4 + 4 + 8 + (keywords == null ? 0 : 8) + (modseqs == null ? 0 : 8)
                + (dateHighs == null ? 0 : 1);
        return uids.length * perRow + keys.heapBytes();
    }

    /** The table after {@code changes} (applied in order; changes to unknown UIDs are ignored). */
    MessageTable apply(List<? extends Change> changes) {
        var table = this;
        int from = 0;
        while (from < changes.size()) {
            int to = from;
            var kind = changes.get(from).getClass();
            while (to < changes.size() && changes.get(to).getClass() == kind) {
                to++;
            }
            var run = changes.subList(from, to);
            table = switch (changes.get(from)) {
                case Change.Append a -> table.appendAll(run);
                case Change.Flags f -> table.flagAll(run);
                case Change.Expunge e -> table.expungeAll(run);
                case Change.Facts f -> table.filledAll(run);
            };
            from = to;
        }
        return table;
    }

    private MessageTable appendAll(List<? extends Change> run) {
        var appends = new ArrayList<Change.Append>(run.size());
        long last = count == 0 ? 0 : uid(count - 1);
        boolean ascending = true;
        boolean uniform = true;
        boolean keywordsSet = false;
        boolean wideDates = false;
        for (var c : run) {
            var a = (Change.Append) c;
            if (indexOf(a.uid()) >= 0) {
                continue; // already there (a replayed change the table already holds)
            }
            ascending &= a.uid() > last;
            last = Math.max(last, a.uid());
            uniform &= a.modseq() == uniformModseq;
            keywordsSet |= a.keywords() != 0;
            wideDates |= high(a.internalDate()) != 0;
            appends.add(a);
        }
        if (appends.isEmpty()) {
            return this;
        }
        if (!ascending || count == 0) {
            return merged(appends);
        }
        int n = count + appends.size();
        int capacity = uids.length >= n ? uids.length : Math.max(n, count + (count >> 1) + 16);
        // New arrays where the shared ones lack room or a lazy column must now exist; shared ones otherwise.
        var t = new MessageTable(keys, keywordNames, count,
                grow(uids, capacity), grow(flags, capacity),
                keywords != null ? grow(keywords, capacity) : keywordsSet ? new long[capacity] : null,
                modseqs != null ? grow(modseqs, capacity) : uniform ? null : filled(capacity, uniformModseq),
                uniformModseq, grow(dates, capacity),
                dateHighs != null ? grow(dateHighs, capacity) : wideDates ? new byte[capacity] : null,
                grow(sizes, capacity), grow(virtualSizes, capacity), grow(keyRefs, capacity));
        int i = count;
        for (var a : appends) {
            t.put(i++, a, keys.add(a.key()));
        }
        return t.withCount(n);
    }

    private static int[] grow(int[] a, int capacity) {
        return a.length >= capacity ? a : Arrays.copyOf(a, capacity);
    }

    private static byte[] grow(byte[] a, int capacity) {
        return a.length >= capacity ? a : Arrays.copyOf(a, capacity);
    }

    private static long[] grow(long[] a, int capacity) {
        return a.length >= capacity ? a : Arrays.copyOf(a, capacity);
    }

    private static long[] filled(int capacity, long value) {
        var a = new long[capacity];
        Arrays.fill(a, value);
        return a;
    }

    private void put(int i, Change.Append a, long keyRef) {
        uids[i] = (int) a.uid();
        flags[i] = (byte) a.flags();
        if (keywords != null) {
            keywords[i] = a.keywords();
        }
        if (modseqs != null) {
            modseqs[i] = a.modseq();
        }
        dates[i] = low(a.internalDate());
        if (dateHighs != null) {
            dateHighs[i] = high(a.internalDate());
        }
        sizes[i] = storedSize(a.size());
        virtualSizes[i] = storedSize(a.virtualSize());
        keyRefs[i] = keyRef;
    }

    /** Appends below the highest UID (only an outside program could cause them), or into an empty table. */
    private MessageTable merged(List<Change.Append> appends) {
        appends.sort((a, b) -> Long.compare(a.uid(), b.uid()));
        var b = builder(keys, keywordNames, count + appends.size());
        int i = 0;
        int j = 0;
        while (i < count || j < appends.size()) {
            if (j == appends.size() || (i < count && uid(i) < appends.get(j).uid())) {
                copyRow(b, i++);
            } else {
                var a = appends.get(j++);
                b.add(a.uid(), a.flags(), a.keywords(), a.modseq(), a.internalDate(), a.size(), a.virtualSize(),
                        keys.add(a.key()));
            }
        }
        return b.build();
    }

    private void copyRow(Builder b, int i) {
        b.add(uid(i), flags[i], keywords(i), modseq(i), internalDate(i), size(i), virtualSize(i), keyRefs[i]);
    }

    private MessageTable flagAll(List<? extends Change> run) {
        byte[] newFlags = Arrays.copyOf(flags, uids.length);
        long[] newKeywords = keywords;
        long[] newModseqs = modseqs == null ? filled(uids.length, uniformModseq) : Arrays.copyOf(modseqs, uids.length);
        for (var c : run) {
            var f = (Change.Flags) c;
            int i = indexOf(f.uid());
            if (i < 0) {
                continue;
            }
            newFlags[i] = (byte) f.flags();
            long old = newKeywords == null ? 0 : newKeywords[i];
            if (old != f.keywords()) {
                if (newKeywords == keywords) {
                    newKeywords = keywords == null ? new long[uids.length] : Arrays.copyOf(keywords, uids.length);
                }
                newKeywords[i] = f.keywords();
            }
            newModseqs[i] = f.modseq();
        }
        return new MessageTable(keys, keywordNames, count, uids, newFlags, newKeywords, newModseqs, uniformModseq,
                dates, dateHighs, sizes, virtualSizes, keyRefs);
    }

    /** Facts looked up fill this table in place (see {@link #fill}). */
    private MessageTable filledAll(List<? extends Change> run) {
        for (var c : run) {
            int i = indexOf(c.uid());
            if (i >= 0) {
                var f = (Change.Facts) c;
                fill(i, f.internalDate(), f.size(), f.virtualSize());
            }
        }
        return this;
    }

    private MessageTable expungeAll(List<? extends Change> run) {
        var gone = new HashSet<Long>();
        run.forEach(c -> gone.add(c.uid()));
        var b = builder(keys, keywordNames, count);
        for (int i = 0; i < count; i++) {
            if (!gone.contains(uid(i))) {
                copyRow(b, i);
            }
        }
        return b.build();
    }
}
