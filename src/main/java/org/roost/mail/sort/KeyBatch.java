package org.roost.mail.sort;

import java.io.IOException;
import java.util.Arrays;

/**
 * Records (column, row, key) held in memory, up to a fixed number of bytes: one run of a {@link KeyRanker}
 * before it is sorted and written to its {@link RunFile}. The bytes grow as records come (a ranking of a
 * small mailbox holds little), never past the capacity; a record is its column (1 byte), row (4), key length
 * (4) and key, as in a run file.
 */
final class KeyBatch {
    /** Column (1 byte), row (4), key length (4). */
    static final int HEADER = 9;
    private static final int FIRST_BYTES = 1 << 16;

    private final int capacity;
    private byte[] bytes;
    private int used;
    private int[] offsets = new int[1024];
    private int count;

    KeyBatch(int capacity) {
        this.capacity = capacity;
        this.bytes = new byte[Math.min(capacity, FIRST_BYTES)];
    }

    /** The bytes a record of a key of {@code keyLength} bytes takes. */
    static long recordBytes(int keyLength) {
        return (long) HEADER + keyLength;
    }

    /** Whether a record of this key length fits in a batch of this capacity at all. */
    boolean canEverHold(int keyLength) {
        return recordBytes(keyLength) <= capacity;
    }

    /** Whether a record of this key length fits beside those held. */
    boolean fits(int keyLength) {
        return used + recordBytes(keyLength) <= capacity;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** The bytes of the records held: what their run takes in the file. */
    int bytes() {
        return used;
    }

    /** Holds a record; it {@link #fits}. */
    void put(int column, int row, byte[] key) {
        int size = HEADER + key.length;
        if (used + size > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(capacity, Math.max(used + size, 2L * bytes.length)));
        }
        if (count == offsets.length) {
            offsets = Arrays.copyOf(offsets, count * 2);
        }
        offsets[count++] = used;
        bytes[used] = (byte) column;
        putInt(used + 1, row);
        putInt(used + 5, key.length);
        System.arraycopy(key, 0, bytes, used + HEADER, key.length);
        used += size;
    }

    /** Forgets the records (the bytes stay for the next ones). */
    void clear() {
        used = 0;
        count = 0;
    }

    /**
     * Sorts the records by column and key: by their {@link KeyCursor#prefix}es first, numbers held side by
     * side, and by the bytes only where those are equal (most comparisons of a first SORT's keys end at the
     * prefix).
     */
    void sort() {
        var prefixes = new long[count];
        for (int k = 0; k < count; k++) {
            int at = offsets[k];
            prefixes[k] = KeyCursor.prefix(bytes[at] & 0xff, bytes, at + HEADER, getInt(at + 5));
        }
        var order = IntSort.identity(count);
        IntSort.sort(order, (a, b) -> {
            int byPrefix = Long.compareUnsigned(prefixes[a], prefixes[b]);
            return byPrefix != 0 ? byPrefix : compareKeys(offsets[a], offsets[b]);
        });
        for (int k = 0; k < count; k++) {
            order[k] = offsets[order[k]];
        }
        System.arraycopy(order, 0, offsets, 0, count);
    }

    /** Writes the records, in their order (sorted first), to {@code out}. */
    void writeTo(RunFile.Output out) throws IOException {
        for (int k = 0; k < count; k++) {
            int at = offsets[k];
            out.write(bytes[at] & 0xff, getInt(at + 1), bytes, at + HEADER, getInt(at + 5));
        }
    }

    /** A cursor over the records in their order (sorted first); valid until they change. */
    KeyCursor cursor() {
        return new KeyCursor() {
            private int next;

            @Override
            boolean read() {
                if (next == count) {
                    return false;
                }
                int at = offsets[next++];
                column = bytes[at] & 0xff;
                row = getInt(at + 1);
                take(getInt(at + 5));
                System.arraycopy(bytes, at + HEADER, key, 0, length);
                return true;
            }
        };
    }

    private int compareKeys(int a, int b) {
        return Arrays.compareUnsigned(bytes, a + HEADER, a + HEADER + getInt(a + 5),
                bytes, b + HEADER, b + HEADER + getInt(b + 5));
    }

    private void putInt(int at, int value) {
        bytes[at] = (byte) (value >>> 24);
        bytes[at + 1] = (byte) (value >>> 16);
        bytes[at + 2] = (byte) (value >>> 8);
        bytes[at + 3] = (byte) value;
    }

    private int getInt(int at) {
        return (bytes[at] & 0xff) << 24 | (bytes[at + 1] & 0xff) << 16 | (bytes[at + 2] & 0xff) << 8
                | bytes[at + 3] & 0xff;
    }
}
