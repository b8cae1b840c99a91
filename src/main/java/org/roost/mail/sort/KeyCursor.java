package org.roost.mail.sort;

import java.io.IOException;
import java.util.Arrays;

/** The record (column, row, key) a sorted source of a {@link KeyRanker} stands at: a batch in memory or a run in a file. */
abstract class KeyCursor implements Comparable<KeyCursor> {
    /** Key bytes in a {@link #prefix}, beside the column's byte. */
    private static final int PREFIX_BYTES = 7;

    int column;
    int row;
    byte[] key = new byte[64];
    int length;
    /** The record's {@link #prefix}, what comparisons look at first. */
    private long prefix;

    /** Moves to the next record; false at the end. */
    final boolean next() throws IOException {
        if (!read()) {
            return false;
        }
        prefix = prefix(column, key, 0, length);
        return true;
    }

    /** Reads the next record into the fields; false at the end. */
    abstract boolean read() throws IOException;

    /** By column, then key as unsigned bytes (a key before the longer ones it begins). */
    @Override
    public final int compareTo(KeyCursor other) {
        int byPrefix = Long.compareUnsigned(prefix, other.prefix);
        return byPrefix != 0 ? byPrefix : Arrays.compareUnsigned(key, 0, length, other.key, 0, other.length);
    }

    /** Makes room for a key of {@code length} bytes in {@link #key}. */
    final void take(int length) {
        this.length = length;
        if (key.length < length) {
            key = new byte[Math.max(length, key.length * 2)];
        }
    }

    /**
     * A record's column and the first {@value #PREFIX_BYTES} bytes of its key (zeros past its end) as one
     * number: two records whose prefixes differ, compared as unsigned numbers, order as their columns and
     * keys do; equal prefixes leave the order to the rest of the keys (a key and the same with a zero byte
     * more share one).
     */
    static long prefix(int column, byte[] key, int from, int length) {
        long prefix = (long) column << 8 * PREFIX_BYTES;
        for (int i = 0; i < PREFIX_BYTES; i++) {
            prefix |= (long) (i < length ? key[from + i] & 0xff : 0) << 8 * (PREFIX_BYTES - 1 - i);
        }
        return prefix;
    }
}
