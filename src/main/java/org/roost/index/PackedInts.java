package org.roost.index;

/**
 * Non-negative ints, each in as many bits as the largest of them needs, packed into one {@code long[]}:
 * a million ranks below 2^20 cost 2.5 MB instead of 4, and ranks of a field with few distinct values
 * (senders, recipients) a few bits each. Immutable.
 */
final class PackedInts {
    private final long[] words;
    private final int bits;
    private final long mask;

    /** {@code values}, none negative. */
    PackedInts(int[] values) {
        int max = 0;
        for (int value : values) {
            max |= value;
        }
        if (max < 0) {
            throw new IllegalArgumentException("negative value");
        }
        bits = Math.max(1, 32 - Integer.numberOfLeadingZeros(max));
        mask = (1L << bits) - 1;
        words = new long[(int) (((long) values.length * bits + 63) >>> 6)];
        for (int i = 0; i < values.length; i++) {
            long at = (long) i * bits;
            int word = (int) (at >>> 6);
            int offset = (int) (at & 63);
            words[word] |= (long) values[i] << offset;
            if (offset + bits > 64) {
                words[word + 1] |= (long) values[i] >>> (64 - offset);
            }
        }
    }

    int get(int i) {
        long at = (long) i * bits;
        int word = (int) (at >>> 6);
        int offset = (int) (at & 63);
        long value = words[word] >>> offset;
        if (offset + bits > 64) {
            value |= words[word + 1] << (64 - offset);
        }
        return (int) (value & mask);
    }

    long heapBytes() {
        return 16 + 8L * words.length;
    }
}
