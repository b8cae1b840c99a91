package org.roost.index;

import java.util.Arrays;

/**
 * The structure cache file's UID to record offset table, in two levels: the checkpointed table as
 * read from {@link StructureCacheMap} (UIDs ascending and offsets / {@link StructureCacheFile#ALIGN},
 * two int arrays taken as they are, so an open costs no loop over them), and what was added since
 * in an open-addressing table of two int arrays (UID, 0 = empty slot; offset / ALIGN, -1 =
 * forgotten). A forgotten checkpointed entry gets offset -1 in place. Not thread-safe: the cache
 * file's lock guards it.
 */
final class UidOffsets {
    private final int[] baseUids;
    private final int[] baseSlots;
    private int[] uids = new int[64];
    private int[] slots = new int[64];
    private int used;
    private int present;

    UidOffsets() {
        this(new int[0], new int[0]);
    }

    /** The checkpointed table: {@code sortedUids} ascending (unsigned), each entry present. */
    UidOffsets(int[] sortedUids, int[] baseSlots) {
        this.baseUids = sortedUids;
        this.baseSlots = baseSlots;
        this.present = sortedUids.length;
    }

    /** UIDs ascending with their offsets / ALIGN, as a checkpoint keeps them. */
    record Sorted(int[] uids, int[] slots) {}

    /** The offset for the UID, or -1. */
    long get(long uid) {
        int i = find(uid);
        if (i >= 0) {
            return slots[i] < 0 ? -1 : (long) slots[i] * StructureCacheFile.ALIGN;
        }
        int b = baseIndex(uid);
        return b < 0 || baseSlots[b] < 0 ? -1 : (long) baseSlots[b] * StructureCacheFile.ALIGN;
    }

    /** Sets the offset; returns the one it replaced, or -1. */
    long put(long uid, long offset) {
        long before = get(uid);
        int i = find(uid);
        if (i < 0) {
            if ((used + 1) * 4L > uids.length * 3L) {
                grow();
            }
            i = slotFor(uid);
            uids[i] = (int) uid;
            used++;
        }
        slots[i] = (int) (offset / StructureCacheFile.ALIGN);
        if (before < 0) {
            present++;
        }
        return before;
    }

    /** Forgets the UID; returns its offset, or -1 if it had none. */
    long remove(long uid) {
        long before = get(uid);
        if (before < 0) {
            return -1;
        }
        int i = find(uid);
        if (i >= 0) {
            slots[i] = -1;
        }
        int b = baseIndex(uid);
        if (b >= 0) {
            baseSlots[b] = -1;
        }
        present--;
        return before;
    }

    int size() {
        return present;
    }

    /** Every entry held, UIDs ascending. */
    Sorted sorted() {
        var packed = new long[baseUids.length + used];
        int n = 0;
        for (int b = 0; b < baseUids.length; b++) {
            if (baseSlots[b] >= 0 && find(baseUids[b] & 0xffffffffL) < 0) {
                packed[n++] = (baseUids[b] & 0xffffffffL) << 32 | baseSlots[b];
            }
        }
        for (int i = 0; i < uids.length; i++) {
            if (uids[i] != 0 && slots[i] >= 0) {
                packed[n++] = (uids[i] & 0xffffffffL) << 32 | slots[i];
            }
        }
        Arrays.sort(packed, 0, n);
        // signed order puts UIDs of 2^31 and above first: they go last
        int firstSmall = 0;
        while (firstSmall < n && packed[firstSmall] < 0) {
            firstSmall++;
        }
        var sortedUids = new int[n];
        var sortedSlots = new int[n];
        for (int k = 0; k < n; k++) {
            long v = packed[(firstSmall + k) % n];
            sortedUids[k] = (int) (v >>> 32);
            sortedSlots[k] = (int) v;
        }
        return new Sorted(sortedUids, sortedSlots);
    }

    /** Every offset held, in no particular order. */
    long[] offsets() {
        var slotsHeld = sorted().slots();
        var out = new long[slotsHeld.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = (long) slotsHeld[k] * StructureCacheFile.ALIGN;
        }
        return out;
    }

    private int baseIndex(long uid) {
        int lo = 0;
        int hi = baseUids.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Integer.compareUnsigned(baseUids[mid], (int) uid);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    private int find(long uid) {
        int mask = uids.length - 1;
        for (int i = hash(uid) & mask; ; i = (i + 1) & mask) {
            if (uids[i] == (int) uid) {
                return i;
            }
            if (uids[i] == 0) {
                return -1;
            }
        }
    }

    private int slotFor(long uid) {
        int mask = uids.length - 1;
        int i = hash(uid) & mask;
        while (uids[i] != 0) {
            i = (i + 1) & mask;
        }
        return i;
    }

    /** Rehashes the entries added since the checkpoint (forgotten ones are dropped: the base is marked too). */
    private void grow() {
        int[] oldUids = uids;
        int[] oldSlots = slots;
        int held = 0;
        for (int i = 0; i < oldUids.length; i++) {
            if (oldUids[i] != 0 && oldSlots[i] >= 0) {
                held++;
            }
        }
        int capacity = 64;
        while ((held + 1) * 2L > capacity) {
            capacity *= 2;
        }
        uids = new int[capacity];
        slots = new int[capacity];
        used = 0;
        for (int i = 0; i < oldUids.length; i++) {
            if (oldUids[i] != 0 && oldSlots[i] >= 0) {
                int j = slotFor(oldUids[i] & 0xffffffffL);
                uids[j] = oldUids[i];
                slots[j] = oldSlots[i];
                used++;
            }
        }
    }

    private static int hash(long uid) {
        int h = (int) uid * 0x9e3779b9;
        return h ^ (h >>> 16);
    }
}
