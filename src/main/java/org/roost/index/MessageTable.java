package org.roost.index;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.roost.mail.SystemFlag;
import org.roost.storage.StoredMessage;

/**
 * An immutable table of a mailbox's messages in ascending UID order, one primitive array per
 * field (about 45 heap bytes per message; the storage keys live in the {@link KeyArena}).
 * {@link StoredMessage} objects are made on demand. Tables of one mailbox share their arrays:
 * an append writes past the end that older tables see, a flag change copies only the flag
 * columns, an expunge compacts into new arrays. Only the newest table is ever extended.
 */
final class MessageTable {
    private static final SystemFlag[] FLAGS = SystemFlag.values();
    private final KeyArena keys;
    private final KeywordNames keywordNames;
    private final int count;
    private final int[] uids;
    private final byte[] flags;
    private final long[] keywords;
    private final long[] modseqs;
    private final long[] dates;
    private final int[] sizes;
    private final int[] virtualSizes;
    private final long[] keyRefs;

    private MessageTable(KeyArena keys, KeywordNames keywordNames, int count, int[] uids, byte[] flags,
                         long[] keywords, long[] modseqs, long[] dates, int[] sizes, int[] virtualSizes, long[] keyRefs) {
        this.keys = keys;
        this.keywordNames = keywordNames;
        this.count = count;
        this.uids = uids;
        this.flags = flags;
        this.keywords = keywords;
        this.modseqs = modseqs;
        this.dates = dates;
        this.sizes = sizes;
        this.virtualSizes = virtualSizes;
        this.keyRefs = keyRefs;
    }

    static MessageTable empty(KeyArena keys, KeywordNames keywordNames) {
        return new MessageTable(keys, keywordNames, 0, new int[0], new byte[0], new long[0], new long[0],
                new long[0], new int[0], new int[0], new long[0]);
    }

    /** Builds a table of {@code capacity} rows, filled by {@link Builder#add} in ascending UID order. */
    static Builder builder(KeyArena keys, KeywordNames keywordNames, int capacity) {
        return new Builder(keys, keywordNames, capacity);
    }

    static final class Builder {
        private final MessageTable t;
        private int n;

        private Builder(KeyArena keys, KeywordNames names, int capacity) {
            t = new MessageTable(keys, names, 0, new int[capacity], new byte[capacity], new long[capacity],
                    new long[capacity], new long[capacity], new int[capacity], new int[capacity], new long[capacity]);
        }

        Builder add(long uid, int flags, long keywords, long modseq, long date, long size, long vsize, long keyRef) {
            t.uids[n] = (int) uid;
            t.flags[n] = (byte) flags;
            t.keywords[n] = keywords;
            t.modseqs[n] = modseq;
            t.dates[n] = date;
            t.sizes[n] = (int) Math.min(size, 0xffff_ffffL);
            t.virtualSizes[n] = (int) Math.min(vsize, 0xffff_ffffL);
            t.keyRefs[n] = keyRef;
            n++;
            return this;
        }

        MessageTable build() {
            return t.withCount(n);
        }
    }

    private MessageTable withCount(int n) {
        return new MessageTable(keys, keywordNames, n, uids, flags, keywords, modseqs, dates, sizes, virtualSizes, keyRefs);
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
        return keywords[i];
    }

    long modseq(int i) {
        return modseqs[i];
    }

    long internalDate(int i) {
        return dates[i];
    }

    long size(int i) {
        return Integer.toUnsignedLong(sizes[i]);
    }

    long virtualSize(int i) {
        return Integer.toUnsignedLong(virtualSizes[i]);
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
        return new StoredMessage(uid(i), key(i), flagSet(flags[i]), keywordNames.names(keywords[i]),
                Instant.ofEpochSecond(dates[i]), size(i), virtualSize(i));
    }

    static int flagBits(Set<SystemFlag> set) {
        int bits = 0;
        for (var f : set) {
            bits |= 1 << f.ordinal();
        }
        return bits;
    }

    static Set<SystemFlag> flagSet(int bits) {
        if (bits == 0) {
            return Set.of();
        }
        var set = EnumSet.noneOf(SystemFlag.class);
        for (var f : FLAGS) {
            if ((bits & (1 << f.ordinal())) != 0) {
                set.add(f);
            }
        }
        return set;
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

    /** Heap bytes held by this table's arrays (shared arrays counted in full). */
    long heapBytes() {
        return (long) uids.length * (4 + 1 + 8 + 8 + 8 + 4 + 4 + 8) + keys.heapBytes();
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
            };
            from = to;
        }
        return table;
    }

    private MessageTable appendAll(List<? extends Change> run) {
        var appends = new ArrayList<Change.Append>(run.size());
        long last = count == 0 ? 0 : uid(count - 1);
        boolean ascending = true;
        for (var c : run) {
            var a = (Change.Append) c;
            if (indexOf(a.uid()) >= 0) {
                continue; // already there (a replayed change the table already holds)
            }
            ascending &= a.uid() > last;
            last = Math.max(last, a.uid());
            appends.add(a);
        }
        if (appends.isEmpty()) {
            return this;
        }
        if (!ascending) {
            return merged(appends);
        }
        int n = count + appends.size();
        var grown = uids.length >= n ? this : grownTo(Math.max(n, count + (count >> 1) + 16));
        int i = count;
        for (var a : appends) {
            grown.put(i++, a, keys.add(a.key()));
        }
        return grown.withCount(n);
    }

    private void put(int i, Change.Append a, long keyRef) {
        uids[i] = (int) a.uid();
        flags[i] = (byte) a.flags();
        keywords[i] = a.keywords();
        modseqs[i] = a.modseq();
        dates[i] = a.internalDate();
        sizes[i] = (int) Math.min(a.size(), 0xffff_ffffL);
        virtualSizes[i] = (int) Math.min(a.virtualSize(), 0xffff_ffffL);
        keyRefs[i] = keyRef;
    }

    private MessageTable grownTo(int capacity) {
        return new MessageTable(keys, keywordNames, count, Arrays.copyOf(uids, capacity), Arrays.copyOf(flags, capacity),
                Arrays.copyOf(keywords, capacity), Arrays.copyOf(modseqs, capacity), Arrays.copyOf(dates, capacity),
                Arrays.copyOf(sizes, capacity), Arrays.copyOf(virtualSizes, capacity), Arrays.copyOf(keyRefs, capacity));
    }

    /** Appends below the highest UID (only an outside program could cause them): rebuilt in order. */
    private MessageTable merged(List<Change.Append> appends) {
        appends.sort((a, b) -> Long.compare(a.uid(), b.uid()));
        var b = builder(keys, keywordNames, count + appends.size());
        int i = 0;
        int j = 0;
        while (i < count || j < appends.size()) {
            if (j == appends.size() || (i < count && uid(i) < appends.get(j).uid())) {
                b.add(uid(i), flags[i], keywords[i], modseqs[i], dates[i], size(i), virtualSize(i), keyRefs[i]);
                i++;
            } else {
                var a = appends.get(j++);
                b.add(a.uid(), a.flags(), a.keywords(), a.modseq(), a.internalDate(), a.size(), a.virtualSize(),
                        keys.add(a.key()));
            }
        }
        return b.build();
    }

    private MessageTable flagAll(List<? extends Change> run) {
        byte[] newFlags = Arrays.copyOf(flags, uids.length);
        long[] newKeywords = keywords;
        long[] newModseqs = Arrays.copyOf(modseqs, uids.length);
        for (var c : run) {
            var f = (Change.Flags) c;
            int i = indexOf(f.uid());
            if (i < 0) {
                continue;
            }
            newFlags[i] = (byte) f.flags();
            if (newKeywords[i] != f.keywords()) {
                if (newKeywords == keywords) {
                    newKeywords = Arrays.copyOf(keywords, uids.length);
                }
                newKeywords[i] = f.keywords();
            }
            newModseqs[i] = f.modseq();
        }
        return new MessageTable(keys, keywordNames, count, uids, newFlags, newKeywords, newModseqs, dates, sizes,
                virtualSizes, keyRefs);
    }

    private MessageTable expungeAll(List<? extends Change> run) {
        var gone = new HashSet<Long>();
        run.forEach(c -> gone.add(c.uid()));
        var b = builder(keys, keywordNames, count);
        for (int i = 0; i < count; i++) {
            if (!gone.contains(uid(i))) {
                b.add(uid(i), flags[i], keywords[i], modseqs[i], dates[i], size(i), virtualSize(i), keyRefs[i]);
            }
        }
        return b.build();
    }
}
