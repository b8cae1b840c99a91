package org.roost.mail.sort;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.function.IntToLongFunction;

/**
 * Numbers packed into one {@code long[]}, each as its distance from the least of them in as many bits
 * as the largest distance needs: a million ranks below 2^20 cost 2.5 MB instead of 4 as ints, sent dates
 * spanning years about 4 bytes each instead of 8, and a column with few distinct values (senders,
 * recipients) a few bits a message. What a mailbox keeps for every message is kept this way. Immutable.
 */
public final class PackedLongs {
    private final long[] words;
    private final long least;
    private final int bits;
    private final long mask;
    private final int size;

    /** The {@code size} numbers {@code values} gives for 0, 1, ..., read twice (no copy of them is made). */
    private PackedLongs(int size, IntToLongFunction values) {
        this.size = size;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < size; i++) {
            long value = values.applyAsLong(i);
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        least = size == 0 ? 0 : min;
        long span = size == 0 ? 0 : max - min; // negative when it overflows: all 64 bits then
        bits = span < 0 ? 64 : Math.max(1, 64 - Long.numberOfLeadingZeros(span));
        mask = bits == 64 ? -1L : (1L << bits) - 1;
        words = new long[(int) (((long) size * bits + 63) >>> 6)];
        for (int i = 0; i < size; i++) {
            long distance = values.applyAsLong(i) - least;
            long at = (long) i * bits;
            int word = (int) (at >>> 6);
            int offset = (int) (at & 63);
            words[word] |= distance << offset;
            if (offset + bits > 64) {
                words[word + 1] |= distance >>> (64 - offset);
            }
        }
    }

    private PackedLongs(long[] words, long least, int bits, int size) {
        this.words = words;
        this.least = least;
        this.bits = bits;
        this.mask = bits == 64 ? -1L : (1L << bits) - 1;
        this.size = size;
    }

    /** Writes this column as {@link #read} reads it back. */
    public void write(DataOutput out) throws IOException {
        out.writeInt(size);
        out.writeInt(bits);
        out.writeLong(least);
        for (long word : words) {
            out.writeLong(word);
        }
    }

    /**
     * A column {@link #write} wrote, of {@code size} numbers in no more than {@code maxBytes} (what is
     * left to read: a damaged count or width allocates nothing larger); an {@link IOException} for anything else.
     */
    public static PackedLongs read(DataInput in, int size, long maxBytes) throws IOException {
        int written = in.readInt();
        int bits = in.readInt();
        if (written != size || bits < 1 || bits > 64 || ((long) size * bits + 63) / 64 * 8 > maxBytes) {
            throw new IOException("not a packed column of " + size + " numbers");
        }
        long least = in.readLong();
        var words = new long[(int) (((long) size * bits + 63) >>> 6)];
        for (int i = 0; i < words.length; i++) {
            words[i] = in.readLong();
        }
        return new PackedLongs(words, least, bits, size);
    }

    /** The {@code size} numbers {@code values} gives for 0, 1, ... (asked twice each): no array of them is made. */
    public static PackedLongs of(int size, IntToLongFunction values) {
        return new PackedLongs(size, values);
    }

    public static PackedLongs of(long[] values) {
        return new PackedLongs(values.length, i -> values[i]);
    }

    public static PackedLongs of(int[] values) {
        return new PackedLongs(values.length, i -> values[i]);
    }

    public long get(int i) {
        long at = (long) i * bits;
        int word = (int) (at >>> 6);
        int offset = (int) (at & 63);
        long distance = words[word] >>> offset;
        if (offset + bits > 64) {
            distance |= words[word + 1] << (64 - offset);
        }
        return least + (distance & mask);
    }

    /** {@link #get} of a column packed from ints. */
    public int getInt(int i) {
        return (int) get(i);
    }

    public int size() {
        return size;
    }

    public long heapBytes() {
        return 40 + 8L * words.length;
    }
}
